"""The demo: domain data and a few draft dossiers in the flow.

Besides the real 2024 campaign (closed for proposals since 05/10/2024), a
rehearsal campaign dated around today lets people walk the whole flow; it is
marked as illustrative.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from nominations import demo as domain
from nominations.demo_registrations import load_registrations
from nominations.models import Campaign, CampaignAward, ContentArea, OrgUnit, Submission
from nominations.selectors import successor_on
from nominations.services import dossiers

from .flows import NominationFlow

REHEARSAL_CODE = "dien-tap"


def load_rehearsal_campaign(seed: Campaign) -> Campaign:
    today = timezone.localdate()
    campaign, created = Campaign.objects.get_or_create(
        code=REHEARSAL_CODE,
        defaults=dict(
            # The city ended with the 2025 reform: the committee in force today issues the rehearsal.
            issuer=successor_on(seed.issuer, today),
            title=f"[{domain.ILLUSTRATIVE}] Đợt diễn tập: {seed.title}",
            theme=seed.theme,
            goal=seed.goal,
            legal_basis=seed.legal_basis,
            doc_number="DT/PĐ-UBND",
            doc_date=today,
            doc_signer=seed.doc_signer,
            doc_signer_title=seed.doc_signer_title,
            period_start=today - datetime.timedelta(days=30),
            period_end=today + datetime.timedelta(days=60),
            nomination_deadline=today + datetime.timedelta(days=75),
            status=Campaign.Status.LAUNCHED,
        ),
    )
    if created:
        for area in seed.content_areas.all():
            ContentArea.objects.create(campaign=campaign, number=area.number, title=area.title)
        for offer in seed.offers.all():
            CampaignAward.objects.create(
                campaign=campaign, award_type=offer.award_type, default_quota=offer.default_quota
            )
    return campaign


def load_draft_dossiers(campaign: Campaign, users: dict) -> None:
    """One draft dossier per proposing unit of the demo, opened through the flow."""
    by_unit = {}
    for kind, name, gender, year, ethnicity, position, unit_code, direct, award_code, text in domain.CANDIDATES:
        person = dict(
            kind=kind,
            name=name,
            gender=gender,
            birth_year=year,
            ethnicity=ethnicity,
            position=position,
            direct_worker=direct,
        )
        by_unit.setdefault(unit_code, []).append((person, award_code, text))
    clerks = {"p-vinh-trai": "canbo_vinhtrai", "p-vinh-trai-khoi-5": "canbo_khoi5", "tp-ls-vhtt": "canbo_vhtt"}
    for unit_code, items in by_unit.items():
        # The nominees' units of 2024 propose today as their successors (where their clerks now hold the role).
        unit = successor_on(OrgUnit.objects.get(code=unit_code), timezone.localdate())
        if Submission.objects.filter(campaign=campaign, unit=unit).exists():
            continue
        clerk = users[clerks[unit_code]]
        submission = NominationFlow.start_from_code.run(
            actor=clerk, campaign=campaign, unit=unit, title=f"Tờ trình đề nghị khen thưởng – {unit.name}"
        )
        for person, award_code, achievement in items:
            dossiers.nomination_add(
                submission=submission,
                candidate=person,
                award_type=campaign.award_types.get(code=award_code),
                achievement=achievement,
                actor=clerk,
            )


@transaction.atomic
def load_demo() -> dict:
    # Saving the memberships, seats and delegations joined their holders to their groups (workflow.signals);
    # the rights themselves are read from the memberships in force (workflow.roles).
    result = domain.load_demo()
    rehearsal = load_rehearsal_campaign(result["campaign"])
    load_draft_dossiers(rehearsal, result["users"])
    load_registrations(rehearsal)
    return {**result, "rehearsal": rehearsal}
