"""Roles and delegations are in force exactly within their dates, however they were written (issue 13).

The clock is frozen (time-machine) at each day a right is used.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from nominations.demo import DEMO_PASSWORD
from nominations.models import Campaign, Decision, Delegation, Membership, OrgUnit, Submission
from nominations.services import decisions, delegations, dossiers
from workflow import permissions as perms
from workflow.flows import DecisionFlow
from workflow.models import AuditEvent

from .helpers import accepted_dossier, council_session, draft_decision, open_task, sign_decision, url

User = get_user_model()
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def on(day: datetime.date):
    """Freeze the clock at 10:00 on ``day`` (the site's time zone)."""
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), ZoneInfo(settings.TIME_ZONE)), tick=False
    )


@pytest.fixture
def users(demo):
    return {u.username: u for u in User.objects.all()}


def propose(client, user, unit_code):
    client.force_login(user)
    body = {"campaign": Campaign.objects.get(code="dien-tap").pk, "unit": OrgUnit.objects.get(code=unit_code).pk}
    return client.post(reverse("nomination:start:execute"), {**body, "title": "Tờ trình thử"})


def test_a_role_added_in_the_django_admin_takes_effect_at_once_and_stops_after_its_end_date(client, users):
    client.force_login(users["admin"])
    response = client.post(
        "/admin/auth/user/add/",
        {
            "username": "canbo_moi",
            "password1": "Mk-thu-2026!x",
            "password2": "Mk-thu-2026!x",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    clerk = User.objects.get(username="canbo_moi")
    unit = OrgUnit.objects.get(code="p-dong-kinh-moi")
    end = TODAY + 5 * DAY
    response = client.post(
        "/admin/nominations/membership/add/",
        {
            "user": clerk.pk,
            "unit": unit.pk,
            "role": "unit_clerk",
            "title": "Công chức",
            "valid_from": TODAY.isoformat(),
            "valid_to": end.isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Membership.objects.filter(user=clerk, unit=unit).exists()

    with on(TODAY):  # at once: no grant to write, no job to run
        assert propose(client, clerk, "p-dong-kinh-moi").status_code == 302
    with on(end):  # the last day is still in
        assert propose(client, clerk, "p-dong-kinh-moi").status_code == 302
    before = Submission.objects.count()
    with on(end + DAY):
        assert propose(client, clerk, "p-dong-kinh-moi").status_code in (403, 404)
        assert perms.units_user_may_propose_for(User.objects.get(pk=clerk.pk)) == []
    assert Submission.objects.count() == before


def test_a_dissolved_unit_cannot_propose(client, users):
    """Vĩnh Trại ended on 30/06/2025 (merged into Kỳ Lừa): its clerk's old role gives nothing today."""
    old = OrgUnit.objects.get(code="p-vinh-trai")
    before = Submission.objects.count()
    response = propose(client, users["canbo_vinhtrai"], "p-vinh-trai")
    assert response.status_code == 200  # the form again: the unit is not offered
    assert Submission.objects.count() == before
    with pytest.raises(ValidationError) as error:
        dossiers.submission_create(
            campaign=Campaign.objects.get(code="dien-tap"), unit=old, title="Tờ trình", actor=users["canbo_vinhtrai"]
        )
    assert "không còn hoạt động" in " ".join(error.value.messages)
    assert Submission.objects.count() == before
    # The successor proposes.
    assert propose(client, users["canbo_vinhtrai"], "p-ky-lua").status_code == 302


def test_a_dissolved_issuer_takes_no_dossier_and_signs_nothing(users):
    seed = Campaign.objects.get(code="ky-niem-22-nam-tp-lang-son")
    Campaign.objects.filter(pk=seed.pk).update(nomination_deadline=TODAY + 10 * DAY)
    seed.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        dossiers.check_accepts_nominations(seed, TODAY)
    assert error.value.code == "issuer_not_in_force"
    decision = Decision(issuer=seed.issuer, campaign=seed, award_type=seed.award_types.first())
    with pytest.raises(ValidationError) as error:
        decisions.signing_authority(users["chutich_ubnd"], decision, TODAY)
    assert error.value.code == "issuer_not_in_force"


@pytest.fixture
def two_drafts(client, users):
    """Two council-passed nominations of the rehearsal, each in its own draft decision awaiting signature."""
    _process, noms = accepted_dossier(client, users, ["Mạc Thị Sen", ("Nông Văn Pó", {"gender": "male"})])
    council_session(client, users, noms)
    return draft_decision(client, users, noms[:1]), draft_decision(client, users, noms[1:])


def grant(users, start, end):
    return delegations.delegation_grant(
        issuer=OrgUnit.objects.get(code="ls"),
        delegate=users["phochutich_ubnd"],
        valid_from=start,
        valid_to=end,
        basis="Quyết định phân công (thử)",
        actor=users["chutich_ubnd"],
    )


def may_take_sign_task(user, process) -> bool:
    task = open_task(process, DecisionFlow.sign)
    return perms.queue_tasks(User.objects.get(pk=user.pk), DecisionFlow).filter(pk=task.pk).exists()


def test_an_expired_delegation_can_neither_sign_nor_revoke(client, users, two_drafts):
    first, second = two_drafts
    vice = users["phochutich_ubnd"]
    grant(users, TODAY, TODAY + 2 * DAY)
    with on(TODAY + DAY):
        assert may_take_sign_task(vice, first)
        response = sign_decision(client, vice, first, {"decision": "sign", "password": DEMO_PASSWORD})
        assert response.status_code == 302
    signed = first.artifact
    signed.refresh_from_db()
    assert signed.status == Decision.Status.SIGNED and signed.delegation is not None
    with on(TODAY + 3 * DAY):
        # Not in the queue, not takeable, not signable, not revocable.
        assert not may_take_sign_task(vice, second)
        client.force_login(vice)
        task = open_task(second, DecisionFlow.sign)
        assert client.post(url(DecisionFlow.sign, "assign", task)).status_code in (403, 404)
        with pytest.raises(ValidationError, match="không có ủy quyền ký còn hiệu lực"):
            decisions.signing_authority(vice, second.artifact, TODAY + 3 * DAY)
        response = client.post(reverse("decisions:revoke", args=[signed.pk]), {"reason": "Thử hủy"})
        assert response.status_code in (403, 404)
    signed.refresh_from_db()
    assert signed.status == Decision.Status.SIGNED
    assert open_task(second, DecisionFlow.sign).owner_id is None


def test_a_delegation_ended_early_stops_that_day(client, users, two_drafts):
    _first, second = two_drafts
    vice, chairman = users["phochutich_ubnd"], users["chutich_ubnd"]
    delegation = grant(users, TODAY, TODAY + 30 * DAY)
    with on(TODAY + DAY):
        assert may_take_sign_task(vice, second)
        client.force_login(chairman)
        response = client.post(reverse("decisions:delegation_end", args=[delegation.pk]), {"reason": "Đi công tác"})
        assert response.status_code == 302
        delegation.refresh_from_db()
        assert delegation.ended_on == TODAY + DAY and delegation.ended_by == chairman
        event = AuditEvent.objects.filter(event_type="delegation.ended").get()
        assert event.actor_id == chairman.pk and event.comment == "Đi công tác"
        # The same day: gone from the queue, refused at the task and at signing.
        assert not may_take_sign_task(vice, second)
        client.force_login(vice)
        assert client.post(url(DecisionFlow.sign, "assign", open_task(second, DecisionFlow.sign))).status_code in (
            403,
            404,
        )
        with pytest.raises(ValidationError):
            decisions.signing_authority(vice, second.artifact, TODAY + DAY)


def test_the_delegation_page_grants_lists_and_ends(client, users):
    chairman, vice = users["chutich_ubnd"], users["phochutich_ubnd"]
    issuer = OrgUnit.objects.get(code="ls")
    client.force_login(chairman)
    assert client.get(reverse("decisions:delegations")).status_code == 200
    assert client.get(reverse("decisions:delegation_add", args=[issuer.pk])).status_code == 200
    body = {"delegate": vice.pk, "valid_from": TODAY.isoformat(), "valid_to": (TODAY + 9 * DAY).isoformat()}
    # Bad input: the form again with a Vietnamese message, nothing written.
    response = client.post(reverse("decisions:delegation_add", args=[issuer.pk]), {**body, "valid_to": "2020-01-01"})
    assert response.status_code == 200 and "Ngày kết thúc phải sau ngày bắt đầu" in response.content.decode()
    response = client.post(
        reverse("decisions:delegation_add", args=[issuer.pk]), {**body, "delegate": users["uyvien_1"].pk}
    )
    assert response.status_code == 200 and not Delegation.objects.exists()
    response = client.post(reverse("decisions:delegation_add", args=[issuer.pk]), body)
    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert (delegation.delegate, delegation.valid_to, delegation.created_by) == (vice, TODAY + 9 * DAY, chairman)
    assert AuditEvent.objects.filter(event_type="delegation.granted", actor_id=chairman.pk).count() == 1
    page = client.get(reverse("decisions:delegations")).content.decode()
    assert "Hoàng Minh Đức" in page and "Đang hiệu lực" in page
    assert client.post(reverse("decisions:delegation_end", args=[delegation.pk]), {"reason": "Thay đổi phân công"})
    delegation.refresh_from_db()
    assert delegation.ended_on == TODAY
    assert "Đã chấm dứt" in client.get(reverse("decisions:delegations")).content.decode()


def test_the_delegation_pages_refuse_everyone_but_the_chairman(client, users):
    issuer = OrgUnit.objects.get(code="ls")
    delegation = grant(users, TODAY, TODAY + 9 * DAY)
    body = {"delegate": users["phochutich_ubnd"].pk, "valid_from": TODAY.isoformat(), "valid_to": TODAY.isoformat()}
    for username in ("phochutich_ubnd", "canbo_vinhtrai", "chutich_vinhtrai"):
        client.force_login(users[username])
        assert client.get(reverse("decisions:delegations")).status_code == 403
        assert client.get(reverse("decisions:delegation_add", args=[issuer.pk])).status_code == 404
        assert client.post(reverse("decisions:delegation_add", args=[issuer.pk]), body).status_code == 404
        response = client.post(reverse("decisions:delegation_end", args=[delegation.pk]), {"reason": "x"})
        assert response.status_code == 404
    assert Delegation.objects.count() == 1
    delegation.refresh_from_db()
    assert delegation.ended_on is None
    # The old city's chairman role ended with the city: it chairs nothing today.
    client.force_login(users["chutich_ubnd"])
    assert (
        client.get(reverse("decisions:delegation_add", args=[OrgUnit.objects.get(code="tp-ls").pk])).status_code == 404
    )


def test_a_dissolved_issuer_neither_launches_nor_holds_a_council(users):
    from nominations.models import Council
    from nominations.services import council as council_service

    city = OrgUnit.objects.get(code="tp-ls")
    campaign = Campaign(
        issuer=city,
        code="sau-sap-xep",
        title="Phong trào sau sắp xếp",
        period_start=TODAY,
        period_end=TODAY + 30 * DAY,
        nomination_deadline=TODAY + 40 * DAY,
        doc_date=TODAY,
        status=Campaign.Status.LAUNCHED,
    )
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert "issuer" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        council_service.session_open(
            council=Council.objects.get(issuer=city),
            campaign=Campaign.objects.get(code="dien-tap"),
            title="Phiên họp",
            held_on=TODAY,
            place="Phòng họp",
            nominations=[],
            present=[],
            actor=users["thuky_hoidong"],
        )
    assert "không còn hoạt động" in " ".join(error.value.message_dict["held_on"])


def test_a_delegation_gives_nothing_once_its_holder_is_no_longer_vice_chairman(client, users, two_drafts):
    _first, second = two_drafts
    vice = users["phochutich_ubnd"]
    grant(users, TODAY, TODAY + 30 * DAY)
    Membership.objects.filter(user=vice, role="vice_chairman", unit__code="ls").update(valid_to=TODAY + 2 * DAY)
    with on(TODAY + 2 * DAY):
        assert may_take_sign_task(vice, second)
    with on(TODAY + 3 * DAY):
        assert not may_take_sign_task(vice, second)
        with pytest.raises(ValidationError):
            decisions.signing_authority(vice, second.artifact, TODAY + 3 * DAY)
