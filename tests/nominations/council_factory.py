"""A council of N members and accepted nominations, built directly for service tests."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

from nominations.models import (
    AwardRuleSet,
    AwardType,
    Campaign,
    CampaignAward,
    Candidate,
    Council,
    CouncilMember,
    Membership,
    Nomination,
    OrgUnit,
    Role,
    Submission,
)

DAY = datetime.date(2026, 11, 20)


def build(members=9, nominations=3, **rule):
    """Return (council, member list, secretary, nominations, campaign)."""
    User = get_user_model()
    start = datetime.date(2020, 1, 1)
    city = OrgUnit.objects.create(code="tp-test", name="Thành phố Thử", kind="city", level=2, valid_from=start)
    ward = OrgUnit.objects.create(code="p-test", name="Phường Thử", kind="ward", level=3, parent=city, valid_from=start)
    award = AwardType.objects.create(code="gk-test", name="Giấy khen", form="giay_khen")
    AwardRuleSet.objects.create(
        award_type=award,
        valid_from=start,
        authority_level=2,  # the issuer is a city (district level)
        recipient_kinds=["individual"],
        **{"quorum": Decimal("0.6667"), "vote_threshold": Decimal("0.7"), **rule},
    )
    campaign = Campaign.objects.create(
        issuer=city,
        code="c-test",
        title="Đợt thi đua thử",
        period_start=start,
        period_end=DAY,
        nomination_deadline=DAY,
        status="launched",
    )
    CampaignAward.objects.create(campaign=campaign, award_type=award)
    council = Council.objects.create(issuer=city, name="Hội đồng Thi đua – Khen thưởng thành phố Thử")
    seats = []
    for i in range(members):
        user = User.objects.create_user(f"tv{i:02d}", first_name=f"Thành viên {i}")
        seats.append(
            CouncilMember.objects.create(
                council=council, user=user, valid_from=start, position="chair" if i == 0 else "member"
            )
        )
    secretary_user = User.objects.create_user("thuky", first_name="Thư ký")
    secretary = CouncilMember.objects.create(
        council=council, user=secretary_user, valid_from=start, position="secretary"
    )
    clerk = User.objects.create_user("canbo")
    Membership.objects.create(user=clerk, unit=ward, role=Role.UNIT_CLERK, valid_from=start)
    submission = Submission.objects.create(
        campaign=campaign, unit=ward, title="Tờ trình", created_by=clerk, status="in_review"
    )
    items = []
    for i in range(nominations):
        person = Candidate.objects.create(kind="individual", name=f"Người được đề nghị {i}", gender="female", unit=ward)
        items.append(
            Nomination.objects.create(
                submission=submission, candidate=person, award_type=award, achievement="Thành tích", status="accepted"
            )
        )
    return council, seats, secretary, items, campaign


def seat_secretary(council, secretary) -> None:
    """Give the factory's secretary the role rights come from (workflow.roles): council secretary in the
    committee's standing body, in force from its start."""
    office = OrgUnit.objects.filter(parent=council.issuer).first()
    Membership.objects.create(
        user=secretary.user, unit=office, role=Role.COUNCIL_SECRETARY, valid_from=office.valid_from
    )


def open_over_http(members: int, title: str):
    """A factory council with ``members`` seats whose secretary opens a session on its 3 nominations through
    the page, as in production: (council process, seats, secretary)."""
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from workflow.flows import CouncilFlow
    from workflow.permissions import grant_council_seat

    council, seats, secretary, noms, campaign = build(members=members, nominations=3)
    seat_secretary(council, secretary)
    for member in [*seats, secretary]:
        grant_council_seat(member)
    client = Client()
    client.force_login(secretary.user)
    response = client.post(
        reverse("council:start:execute"),
        {
            "council": council.pk,
            "campaign": campaign.pk,
            "title": title,
            "held_on": timezone.localdate().strftime("%d/%m/%Y"),
            "nominations": [n.pk for n in noms],
            "present": [m.pk for m in seats],
        },
    )
    assert response.status_code == 302, response.status_code
    return CouncilFlow.process_class.objects.filter(flow_class=CouncilFlow).latest("pk"), seats, secretary
