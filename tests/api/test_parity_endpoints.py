"""The API's counterparts of the UI's actions that had none: the right person gets what the page gives, anyone
else the page's 403 or 404, bad input a 400 with Vietnamese field errors, never a 500, and nothing written."""

import datetime
import io
import uuid
import zipfile

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from viewflow.workflow.status import STATUS

from nominations.demo import DEMO_PASSWORD
from nominations.models import BallotCast, CouncilMember, CouncilSession, Decision, OrgUnit, Recusal
from nominations.selectors import campaign_summary
from nominations.services import decisions, delegations
from nominations.services.decision_documents import (
    certificates_generate,
    certificates_progress,
    decision_documents_generate,
)
from tests.workflow.helpers import (
    accepted_dossier,
    council_session,
    draft_decision,
    open_task,
    sign_decision,
    signed_decision,
    start,
    url,
)
from workflow.flows import NominationFlow as F
from workflow.models import AuditEvent

PRESENT = ["chutich_ubnd", "phochutich_ubnd", "uyvien_1", "uyvien_2"]  # uyvien_3 is away


def _api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _errors(response) -> dict:
    assert response.status_code == 400, (response.status_code, response.content[:500])
    errors = response.json()["errors"]
    for messages in errors.values():
        assert all(not m["message"].isascii() for m in messages), errors  # Vietnamese, not DRF's English
    return errors


def _ui(client, user, path, data=None):
    client.force_login(user)
    return (client.post(path, data) if data is not None else client.get(path)).status_code


def _trail():
    return AuditEvent.objects.exclude(scope__in=["auth", "access"]).count()


@pytest.fixture
def voting(client, users):
    """A council session in its vote, uyvien_3 away and written ballots allowed: the session."""
    _process, noms = accepted_dossier(client, users, ["Hà Thị Thu", ("Lò Văn Sáu", {"gender": "male"})])
    session = council_session(client, users, noms, present=PRESENT, vote=False).artifact
    CouncilSession.objects.filter(pk=session.pk).update(written_votes_allowed=True)
    session.refresh_from_db()
    return session


def test_the_secretary_enters_a_written_ballot(client, users, voting):
    session = voting
    away = CouncilMember.objects.get(council=session.council, user=users["uyvien_3"])
    here = CouncilMember.objects.get(council=session.council, user=users["uyvien_1"])
    items = {str(i.pk): "agree" for i in session.items.all()}
    first = next(iter(items))
    path = f"/api/council-sessions/{session.pk}/written-votes/"
    page = reverse("sessions:written_vote", args=[session.pk])
    form = {"member": away.pk, **{f"item_{k}": v for k, v in items.items()}}
    before = _trail()
    # A member sees the session but may not enter ballots (403); a clerk does not see it (404): as the page.
    for username, expected in (("uyvien_1", 403), ("canbo_vinhtrai", 404)):
        api = _api(users[username]).post(path, {"member": away.pk, "items": items}, format="json").status_code
        assert (api, _ui(client, users[username], page, form)) == (expected, expected), username
    assert _api(users["thuky_hoidong"]).post("/api/council-sessions/999999/written-votes/", {}).status_code == 404

    secretary = _api(users["thuky_hoidong"])
    assert "member" in _errors(secretary.post(path, {"member": here.pk, "items": items}, format="json"))
    errors = _errors(secretary.post(path, {"member": away.pk, "items": {**items, first: "có lẽ"}}, format="json"))
    assert f"items.{first}" in errors
    assert f"items.{first}" in _errors(secretary.post(path, {"member": away.pk, "items": {}}, format="json"))
    assert {"member", "items"} <= set(_errors(secretary.post(path, {"member": "x", "items": "y"}, format="json")))
    assert not BallotCast.objects.filter(member=away).exists() and _trail() == before

    done = secretary.post(path, {"member": away.pk, "items": items}, format="json")
    assert done.status_code == 201, done.content
    assert done.json()["id"] == session.pk
    cast = BallotCast.objects.get(member=away)
    assert cast.written and cast.round == session.round
    event = AuditEvent.objects.filter(event_type="council.ballot_cast").latest("pk")
    assert event.actor == users["thuky_hoidong"] and event.data["written"]
    again = _errors(secretary.post(path, {"member": away.pk, "items": items}, format="json"))
    assert again and BallotCast.objects.filter(member=away).count() == 1


def test_a_member_steps_away_from_an_item(client, users, voting):
    session = voting
    item, other = session.items.order_by("pk")[:2]
    path = f"/api/agenda-items/{item.pk}/recusal/"
    body = {"reason": "Người thân của tôi"}
    # Not a voting member of this session: the clerk, the secretary (no vote). 404, as the page.
    for username in ("canbo_vinhtrai", "thuky_hoidong"):
        api = _api(users[username]).post(path, body, format="json").status_code
        ui = _ui(client, users[username], reverse("sessions:recusal", args=[item.pk]), body)
        assert (api, ui) == (404, 404), username
    assert _api(users["uyvien_1"]).post("/api/agenda-items/999999/recusal/", body, format="json").status_code == 404
    member = _api(users["uyvien_1"])
    assert "reason" in _errors(member.post(path, {"reason": ""}, format="json"))
    assert "reason" in _errors(member.post(path, {"reason": "x" * 300}, format="json"))
    assert not Recusal.objects.exists()

    done = member.post(path, body, format="json")
    assert done.status_code == 201, done.content
    recusal = Recusal.objects.get()
    assert (recusal.item, recusal.member.user, recusal.reason) == (item, users["uyvien_1"], body["reason"])
    assert recusal.item != other


def test_minutes_of_a_closed_session(client, users):
    _process, noms = accepted_dossier(client, users, ["Hà Thị Thu"])
    session = council_session(client, users, noms, present=PRESENT).artifact
    session.refresh_from_db()
    assert session.status == CouncilSession.Status.CLOSED
    member = _api(users["uyvien_1"])
    for fmt, mime in (("docx", "wordprocessingml"), ("pdf", "application/pdf")):
        response = member.get(f"/api/council-sessions/{session.pk}/minutes.{fmt}")
        assert response.status_code == 200 and mime in response["Content-Type"]
        assert f"bien-ban-hop-hoi-dong-{session.pk}.{fmt}" in response["Content-Disposition"]
    assert member.get(f"/api/council-sessions/{session.pk}/minutes.exe").status_code == 404
    outsider = f"/api/council-sessions/{session.pk}/minutes.pdf"
    assert _api(users["canbo_vinhtrai"]).get(outsider).status_code == 404
    assert _ui(client, users["canbo_vinhtrai"], reverse("sessions:minutes", args=[session.pk, "pdf"])) == 404


def test_minutes_of_a_session_still_voting_are_not_there(users, voting):
    response = _api(users["uyvien_1"]).get(f"/api/council-sessions/{voting.pk}/minutes.pdf")
    assert response.status_code == 404


def _download(client, path):
    response = client.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, response.get("Content-Type"), response.get("Content-Disposition"), body


def test_a_signed_decision_documents_certificates_and_verification(client, users):
    decision, _noms = signed_decision(client, users)
    # What the worker does after the signature: the documents, then the certificates.
    decision = decision_documents_generate(decision.pk)
    certificates_generate(decision.pk)
    chairman = _api(users["chutich_ubnd"])
    client.force_login(users["chutich_ubnd"])
    for name in ("docx", "pdf", "letter.docx", "letter.pdf"):
        api = _download(chairman, f"/api/decisions/{decision.pk}/files/{name}")
        assert api[0] == 200 and api == _download(client, reverse("decisions:file", args=[decision.pk, name])), name
        draft = chairman.get(f"/api/decisions/{decision.pk}/draft/{name}")
        assert draft.status_code == 200 and draft.content and "du-thao" in draft["Content-Disposition"]
    for bad in ("files/x.exe", "draft/x.exe", "files/..%2Fsettings.py"):
        assert chairman.get(f"/api/decisions/{decision.pk}/{bad}").status_code == 404, bad

    done, total = certificates_progress(decision)
    assert done == total == 2
    progress = chairman.get(f"/api/decisions/{decision.pk}/certificates/progress/").json()
    assert progress == {"done": done, "total": total}
    listed = chairman.get(f"/api/decisions/{decision.pk}/certificates/").json()["results"]
    codes = {str(i.certificate.code) for i in decision.items.all()}
    assert {c["code"] for c in listed} == codes and all(c["verify_url"].startswith("/verify/") for c in listed)
    archive = chairman.get(f"/api/decisions/{decision.pk}/certificates.zip")
    assert archive.status_code == 200 and archive["Content-Type"] == "application/zip"
    assert len(zipfile.ZipFile(io.BytesIO(archive.content)).namelist()) == done

    # Someone who may not see the decision: 404 everywhere, as the pages.
    clerk = _api(users["canbo_vinhtrai"])
    for tail in ("files/pdf", "draft/pdf", "certificates/", "certificates/progress/", "certificates.zip"):
        assert clerk.get(f"/api/decisions/{decision.pk}/{tail}").status_code == 404, tail
        assert clerk.get(f"/api/decisions/999999/{tail}").status_code == 404, tail
    assert _ui(client, users["canbo_vinhtrai"], reverse("decisions:certificates", args=[decision.pk])) == 404

    # Verification, open to anyone: real and standing, then revoked.
    code = listed[0]["code"]
    public = _api()
    shown = public.get(f"/api/public/certificates/{code}/").json()
    assert shown["valid"] and not shown["revoked"] and shown["candidate"] in {"Hoàng Thị Ánh", "Lý Văn Bình"}
    assert shown["decision_reference"] == decision.reference
    assert public.get(f"/api/public/certificates/{uuid.uuid4()}/").status_code == 404
    assert public.get("/api/public/certificates/not-a-code/").status_code == 404
    decisions.decision_revoke(decision=decision, actor=users["chutich_ubnd"], reason="Sai sót", password=DEMO_PASSWORD)
    shown = public.get(f"/api/public/certificates/{code}/").json()
    assert not shown["valid"] and shown["revoked"] and shown["revoke_reason"] == "Sai sót"


def test_a_decision_says_it_was_signed_by_delegation_and_by_whom(client, users):
    _process, noms = accepted_dossier(client, users, ["Mạc Thị Sen", ("Nông Văn Pó", {"gender": "male"})])
    council_session(client, users, noms)
    by_chairman, by_deputy = draft_decision(client, users, noms[:1]), draft_decision(client, users, noms[1:])
    sign = {"decision": "sign", "comment": "", "password": DEMO_PASSWORD}
    assert sign_decision(client, users["chutich_ubnd"], by_chairman, sign).status_code == 302
    today = datetime.date.today()
    delegations.delegation_grant(
        issuer=OrgUnit.objects.get(code="ls"),
        delegate=users["phochutich_ubnd"],
        valid_from=today,
        valid_to=today + datetime.timedelta(days=5),
        basis="Quyết định phân công",
        actor=users["chutich_ubnd"],
    )
    assert sign_decision(client, users["phochutich_ubnd"], by_deputy, sign).status_code == 302
    chairman = _api(users["chutich_ubnd"])
    own = chairman.get(f"/api/decisions/{by_chairman.artifact.pk}/").json()
    assert (own["signed_by"], own["signed_by_delegation"], own["signed_as"]) == ("chutich_ubnd", False, None)
    deputy = chairman.get(f"/api/decisions/{by_deputy.artifact.pk}/").json()
    assert deputy["signed_by"] == "phochutich_ubnd" and deputy["signed_by_name"] == "Hoàng Minh Đức"
    assert deputy["signed_by_delegation"] and deputy["signed_as"] and deputy["delegation"]
    listed = {d["id"]: d for d in chairman.get("/api/decisions/").json()["results"]}
    assert listed[by_deputy.artifact.pk]["signed_by_delegation"]
    assert Decision.objects.get(pk=by_deputy.artifact.pk).delegation_id == deputy["delegation"]


def test_the_campaign_summary_and_its_excel(client, users):
    _process, noms = accepted_dossier(client, users, ["Hà Thị Thu"])
    campaign = noms[0].submission.campaign
    reviewer = _api(users["thamdinh_noivu"])
    summary = reviewer.get(f"/api/campaigns/{campaign.pk}/summary/")
    assert summary.status_code == 200
    body = summary.json()
    expected = campaign_summary(campaign)
    assert body["totals"] == expected["totals"] and body["totals"]["proposed"] >= 1
    units = {row["label"]: row["proposed"] for row in body["by_unit"]}
    assert units == {row["submission__unit__name"]: row["proposed"] for row in expected["by_unit"]}
    assert units[noms[0].submission.unit.name] >= 1
    excel = reviewer.get(f"/api/campaigns/{campaign.pk}/summary.xlsx")
    assert excel.status_code == 200 and "spreadsheetml" in excel["Content-Type"]
    for tail in ("summary/", "summary.xlsx"):
        assert _api(users["canbo_vinhtrai"]).get(f"/api/campaigns/{campaign.pk}/{tail}").status_code == 404
        assert reviewer.get(f"/api/campaigns/999999/{tail}").status_code == 404
    assert _ui(client, users["canbo_vinhtrai"], reverse("decisions:summary", args=[campaign.pk])) == 404


def test_a_task_given_back_over_the_api_stays_its_persons(client, users):
    clerk = users["canbo_vinhtrai"]
    process = start(client, clerk)
    task = open_task(process, F.prepare)
    assert (task.status, task.owner) == (STATUS.ASSIGNED, clerk)
    path = f"/api/tasks/{task.pk}/unassign/"
    # The unit's head sees the dossier but does not hold the task: refused, as viewflow's unassign page.
    head = users["chutich_vinhtrai"]
    ui = _ui(client, head, url(F.prepare, "unassign", task), {})
    assert _api(head).post(path).status_code == ui == 403
    assert _api(users["thamdinh_noivu"]).post(path).status_code == 404  # not yet visible to the reviewers
    task.refresh_from_db()
    assert task.owner == clerk

    given = _api(clerk).post(path)
    assert given.status_code == 200 and given.json()["status"] == "NEW" and given.json()["owner"] is None
    task.refresh_from_db()
    assert (task.status, task.owner) == (STATUS.NEW, None)
    assert AuditEvent.objects.filter(event_type="task.unassigned", task_id=task.pk).count() == 1
    assert _api(clerk).post(path).status_code == 409  # nothing to give back
    # Given back, it is still the clerk's: the head may not take it, the clerk may.
    assert _api(head).post(f"/api/tasks/{task.pk}/claim/").status_code in (403, 404)
    assert _api(clerk).post(f"/api/tasks/{task.pk}/claim/").status_code == 200
