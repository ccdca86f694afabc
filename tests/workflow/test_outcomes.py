"""One truth for outcomes: no council-passed nomination dropped, revocation followed everywhere."""

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from jobs.models import OutboxJob
from nominations.demo import DEMO_PASSWORD
from nominations.exports import campaign_summary_xlsx
from nominations.models import AwardRecord, Council, Nomination
from nominations.selectors import campaign_summary
from nominations.services import council as council_service
from nominations.services import decisions, dossiers
from nominations.services.notices import notify_revocation
from nominations.tasks import notify_revocation_task
from workflow.flows import CouncilFlow, DecisionFlow

from .helpers import (
    F,
    accepted_dossier,
    act,
    add_nomination,
    complete_dossier,
    council_session,
    draft_decision,
    signed_decision,
    start,
)

N = Nomination.Status


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


def review(client, reviewer, process, choices):
    """The reviewer's per-nomination decisions: {nomination: (choice, note)}."""
    data = {}
    for nomination, (choice, note) in choices.items():
        data[f"choice_{nomination.pk}"], data[f"note_{nomination.pk}"] = choice, note
    return act(client, reviewer, process, F.review, data)


def test_an_accepted_nomination_waits_for_its_dossiers_appraisal_and_is_never_dropped(client, users):
    """A accepted, B returned for completion: A may not go to the council until B is appraised.

    Before: a session could vote on A mid-completion; B's rejection then closed the dossier without
    the chairman, and A ended "not awarded" with an empty reason.
    """
    clerk, reviewer = users["canbo_vinhtrai"], users["thamdinh_noivu"]
    process = start(client, clerk)
    a = add_nomination(client, process.artifact, "Hoàng Thị Ánh")
    b = add_nomination(client, process.artifact, "Lý Văn Bình", gender="male")
    complete_dossier(client, process.artifact, [a, b])
    act(client, clerk, process, F.prepare)
    act(client, users["chutich_vinhtrai"], process, F.head_approval, {"decision": "submit"})
    review(client, reviewer, process, {a: ("accept", ""), b: ("complete", "Thiếu bản nhận xét")})
    a.refresh_from_db()
    assert a.status == N.ACCEPTED

    # The secretary's form does not offer A, and a forged post is refused with a Vietnamese error.
    client.force_login(users["thuky_hoidong"])
    assert f'name="nominations" value="{a.pk}"' not in client.get(reverse("council:start:execute")).content.decode()
    sessions = CouncilFlow.process_class.objects.filter(flow_class=CouncilFlow).count()
    with pytest.raises(AssertionError):
        council_session(client, users, [a])
    assert CouncilFlow.process_class.objects.filter(flow_class=CouncilFlow).count() == sessions
    # The service refuses it whoever calls it (API, shell).
    council = Council.objects.get(issuer__code="ls")
    with pytest.raises(ValidationError, match="chưa thẩm định xong"):
        council_service.session_open(
            council=council,
            campaign=a.submission.campaign,
            title="Phiên thử",
            held_on=timezone.localdate(),
            place="",
            nominations=[a],
            present=list(council_service.voting_members(council, timezone.localdate())),
            actor=users["thuky_hoidong"],
        )

    # B is completed and rejected: the dossier goes on to the council with A, then to the chairman.
    assert act(client, clerk, process, F.complete, {"comment": "Đã bổ sung"}).status_code == 302
    review(client, reviewer, process, {b: ("reject", "Chưa đủ thời gian công tác")})
    council_session(client, users, [a])
    a.refresh_from_db()
    assert a.status == N.COUNCIL_PASSED
    process.refresh_from_db()
    assert process.artifact.status == "at_chairman"
    assert process.task_set.filter(flow_task=F.decision, status="NEW").exists()


def test_every_nomination_closed_without_award_has_a_reason(client, users):
    """The council turns one down and the chairman strikes another: each unit line says why."""
    process, (a, b, c) = accepted_dossier(client, users, ["Hoàng Thị Ánh", "Lý Văn Bình", "Nông Thị Cúc"])
    council_session(client, users, [a, b, c], choices={u: {c.pk: "disagree"} for u in users})
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    assert (a.status, b.status, c.status) == (N.COUNCIL_PASSED, N.COUNCIL_PASSED, N.COUNCIL_FAILED)
    decision_process = draft_decision(client, users, [a, b])
    item = decision_process.artifact.items.get(nomination=b)
    with TestCase.captureOnCommitCallbacks(execute=True):
        act(
            client,
            users["chutich_ubnd"],
            decision_process,
            DecisionFlow.sign,
            {
                "decision": "sign",
                "comment": "",
                "password": DEMO_PASSWORD,
                f"strike_{item.pk}": "on",
                f"reason_{item.pk}": "Trùng thành tích",
            },
        )
    for n in (a, b, c):
        n.refresh_from_db()
    assert a.status == N.AWARDED
    assert (b.status, b.outcome_reason) == (N.NOT_AWARDED, "Trùng thành tích")
    assert c.status == N.NOT_AWARDED and "Không thông qua" in c.outcome_reason


@pytest.fixture
def awarded(client, users):
    """Two awardees of one signed decision of the rehearsal campaign: (decision, [a, b])."""
    return signed_decision(client, users)


def public_api_names(campaign):
    body = Client().get(f"/api/public/campaigns/{campaign.pk}/results/").json()
    return {row["candidate"] for row in body["results"]}


def test_a_revoked_award_disappears_everywhere_and_the_units_are_told(client, users, awarded):
    decision, (a, b) = awarded
    campaign = decision.campaign
    assert public_api_names(campaign) == {"Hoàng Thị Ánh", "Lý Văn Bình"}
    assert campaign_summary(campaign)["totals"]["awarded"] == 2
    users["canbo_vinhtrai"].email = "canbo@vinhtrai.example.vn"
    users["canbo_vinhtrai"].save()

    decisions.decision_revoke(
        decision=decision, actor=users["chutich_ubnd"], reason="Kê khai thành tích không đúng", password=DEMO_PASSWORD
    )
    # The notice is a job of the outbox, recorded with the revocation; run here, wherever the worker is.
    job = OutboxJob.objects.get(task=notify_revocation_task.name)
    assert job.args == [decision.pk]
    assert notify_revocation(decision.pk) is True
    decision.refresh_from_db()
    assert decision.status == "revoked" and decision.revocation_reference == f"{decision.number + 1:02d}/QĐ-UBND"
    for n in (a, b):
        n.refresh_from_db()
        assert (n.status, n.outcome_reason) == (N.REVOKED, "Kê khai thành tích không đúng")
    # One rule everywhere: the public API, the public page, the summary, its Excel, the award history.
    assert public_api_names(campaign) == set()
    page = Client().get(f"/public/campaigns/{campaign.pk}/").content.decode()
    assert "Hoàng Thị Ánh" not in page and "Lý Văn Bình" not in page
    assert campaign_summary(campaign)["totals"]["awarded"] == 0
    sheet = openpyxl.load_workbook(io.BytesIO(campaign_summary_xlsx(campaign, campaign_summary(campaign))))
    values = [row for ws in sheet.worksheets for row in ws.iter_rows(values_only=True)]
    assert ("Số được khen thưởng", 0) in values
    assert not AwardRecord.objects.filter(decision=decision, revoked_at__isnull=True).exists()
    # The unit is told once, with the revoking decision's number and the reason.
    notices = [m for m in mail.outbox if "hủy bỏ" in m.subject]
    assert len(notices) == 1 and "canbo@vinhtrai.example.vn" in notices[0].to
    assert decision.revocation_reference in notices[0].body and "Kê khai thành tích không đúng" in notices[0].body
    assert notify_revocation(decision.pk) is False  # a redelivered task sends nothing twice


def test_a_revoked_award_frees_the_units_quota(client, users, awarded):
    decision, (a, _b) = awarded
    offer = decision.campaign.offers.get(award_type=a.award_type)
    offer.default_quota = Nomination.objects.filter(
        submission__campaign=decision.campaign, submission__unit=a.submission.unit, award_type=a.award_type
    ).count()
    offer.save()
    process = start(client, users["canbo_vinhtrai"], title="Tờ trình bổ sung")
    with pytest.raises(ValidationError, match="hết chỉ tiêu"):
        dossiers.nomination_add(submission=process.artifact, actor=users["canbo_vinhtrai"], **_candidate(a))
    decisions.decision_revoke(decision=decision, actor=users["chutich_ubnd"], reason="Sai sót", password=DEMO_PASSWORD)
    dossiers.nomination_add(submission=process.artifact, actor=users["canbo_vinhtrai"], **_candidate(a))


def _candidate(nomination):
    person = {"kind": "individual", "name": "Đàm Văn Dũng", "gender": "male", "ethnicity": "Tày"}
    return {"candidate": person, "award_type": nomination.award_type, "achievement": "Thành tích mới"}


def test_revocation_needs_reason_password_and_authority_and_leaves_nothing_half_done(users, awarded):
    decision, (a, _b) = awarded
    chairman, vice = users["chutich_ubnd"], users["phochutich_ubnd"]
    cases = [
        (dict(actor=chairman, reason="  ", password=DEMO_PASSWORD), "Cần ghi lý do"),
        (dict(actor=chairman, reason="Sai sót", password="sai"), "Mật khẩu xác nhận không đúng"),
        (dict(actor=vice, reason="Sai sót", password=DEMO_PASSWORD), "không có ủy quyền"),
    ]
    for kwargs, message in cases:
        with pytest.raises(ValidationError, match=message):
            decisions.decision_revoke(decision=decision, **kwargs)
        decision.refresh_from_db()
        a.refresh_from_db()
        assert decision.status == "signed" and decision.revocation_number is None and a.status == N.AWARDED


def test_the_verification_page_names_the_revoking_decision(client, users, awarded):
    from nominations.services.decision_documents import certificates_generate

    decision, _noms = awarded
    certificates_generate(decision.pk)
    certificate = decision.items.filter(certificate__isnull=False).first().certificate
    decisions.decision_revoke(decision=decision, actor=users["chutich_ubnd"], reason="Sai sót", password=DEMO_PASSWORD)
    decision.refresh_from_db()
    page = Client().get(f"/verify/{certificate.code}/").content.decode()
    assert "đã bị hủy bỏ" in page and f"Quyết định số {decision.revocation_reference}" in page


def test_revocation_through_the_api_is_the_same_rule(users, awarded):
    from rest_framework.test import APIClient

    decision, (a, _b) = awarded
    api = APIClient()
    api.force_authenticate(users["chutich_ubnd"])
    url = f"/api/decisions/{decision.pk}/revoke/"
    response = api.post(url, {"reason": "Sai sót", "password": "sai"}, format="json")
    assert response.status_code == 400 and "password" in response.json()["errors"]
    response = api.post(url, {"reason": "Sai sót", "password": DEMO_PASSWORD}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "revoked" and response.json()["revocation_number"] == decision.number + 1
    a.refresh_from_db()
    assert a.status == N.REVOKED
