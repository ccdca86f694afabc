"""Council sessions over the API: opening, ballots with receipts, closing early, the second-round decision."""

import datetime

import pytest
from django.utils import timezone

from nominations.models import Council, CouncilSession, Nomination
from nominations.services.council import voting_members
from tests.workflow.helpers import dossiers_move_on

from .helpers import act, add_nomination, complete_dossier, items, ok, start


@pytest.fixture
def accepted(api):
    """A nomination accepted by the reviewer, waiting for the council."""
    clerk = api("canbo_vinhtrai")
    dossier = start(clerk)
    nomination = add_nomination(clerk, dossier, "Hoàng Thị Ánh")
    complete_dossier(clerk, dossier, [nomination])
    ok(act(clerk, dossier, "prepare"))
    ok(act(api("chutich_vinhtrai"), dossier, "head_approval", {"decision": "submit"}))
    ok(act(api("thamdinh_noivu"), dossier, "review", {"items": items((nomination, "accept", ""))}))
    return dossier, nomination


def _body(nomination, **extra):
    council = Council.objects.get(issuer__code="ls")
    return {
        "council": council.pk,
        "campaign": Nomination.objects.get(pk=nomination["id"]).submission.campaign_id,
        "title": "Phiên họp",
        "held_on": timezone.localdate().isoformat(),
        "nominations": [nomination["id"]],
        "present": [m.pk for m in voting_members(council, timezone.localdate())],
        **extra,
    }


def _vote_task(client, session):
    return ok(client.get("/api/tasks/", {"session": session["id"], "node": "vote", "box": "inbox"}))["results"][0]


def test_only_a_secretary_opens_a_session(api, accepted):
    _dossier, nomination = accepted
    response = api("thamdinh_noivu").post("/api/council-sessions/", _body(nomination), format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    bad = api("thuky_hoidong").post("/api/council-sessions/", _body(nomination, present=[]), format="json")
    assert bad.status_code == 400 and "present" in bad.json()["errors"]


def test_a_ballot_is_checked_like_the_form_and_cast_once(api, accepted):
    _dossier, nomination = accepted
    session = ok(api("thuky_hoidong").post("/api/council-sessions/", _body(nomination), format="json"), 201)
    member = api("uyvien_1")
    task = _vote_task(member, session)
    item = ok(member.get(f"/api/tasks/{task['id']}/"))["form"]["items"][0]["id"]
    empty = member.post(f"/api/tasks/{task['id']}/complete/", {"items": {}}, format="json")
    assert empty.json()["errors"] == {
        f"items.{item}.choice": [{"message": "Trường này là bắt buộc.", "code": "required"}]
    }
    done = ok(
        member.post(f"/api/tasks/{task['id']}/complete/", {"items": {str(item): {"choice": "agree"}}}, format="json")
    )
    assert len(done["result"]["receipt"]) == 10 and done["session"]["id"] == session["id"] and done["flow"] == "council"
    again = member.post(
        f"/api/tasks/{task['id']}/complete/", {"items": {str(item): {"choice": "agree"}}}, format="json"
    )
    assert again.status_code == 409 and again.json()["code"] == "task_finished"
    # A member of no council does not see the session.
    assert api("chutich_vinhtrai").get(f"/api/council-sessions/{session['id']}/").status_code == 404
    assert ok(member.get("/api/council-sessions/"))["results"][0]["id"] == session["id"]


def test_closing_early_then_concluding(api, accepted):
    dossier, nomination = accepted
    secretary = api("thuky_hoidong")
    session = ok(secretary.post("/api/council-sessions/", _body(nomination), format="json"), 201)
    close = ok(secretary.get("/api/tasks/", {"session": session["id"], "node": "close_voting"}))["results"][0]
    with dossiers_move_on():
        ok(secretary.post(f"/api/tasks/{close['id']}/complete/", {}, format="json"))
    # No ballot was cast: nothing reached the threshold, the secretary decides on a second round.
    second = ok(secretary.get("/api/tasks/", {"session": session["id"], "node": "second_round"}))["results"][0]
    form = ok(secretary.get(f"/api/tasks/{second['id']}/"))["form"]
    assert [c["value"] for c in form["decisions"]] == ["revote", "conclude"]
    with dossiers_move_on():
        ok(secretary.post(f"/api/tasks/{second['id']}/complete/", {"decision": "conclude"}, format="json"))
    assert ok(secretary.get(f"/api/council-sessions/{session['id']}/"))["status"] == "closed"
    timeline = ok(secretary.get(f"/api/council-sessions/{session['id']}/timeline/"))["results"]
    assert timeline[0]["event_type"] == "council.session_opened"
    # Nothing passed: the dossier is closed without going to the chairman.
    assert ok(api("canbo_vinhtrai").get(f"/api/submissions/{dossier['id']}/"))["status"] == "decided"
    assert ok(api("canbo_vinhtrai").get(f"/api/nominations/{nomination['id']}/"))["status"] == "not_awarded"


@pytest.mark.parametrize("held_on", ["2001-01-01", "2099-12-31"])
def test_a_far_held_on_day_is_a_400_on_the_field(api, accepted, held_on):
    _dossier, nomination = accepted
    response = api("thuky_hoidong").post("/api/council-sessions/", _body(nomination, held_on=held_on), format="json")
    assert response.status_code == 400
    (error,) = response.json()["errors"]["held_on"]
    earliest = timezone.localdate() - datetime.timedelta(days=30)
    assert error["message"].startswith(f"Ngày họp phải trong khoảng từ {earliest:%d/%m/%Y} đến ")
    assert not CouncilSession.objects.exists()


def test_a_nomination_on_an_open_session_is_a_400(api, accepted):
    _dossier, nomination = accepted
    secretary = api("thuky_hoidong")
    ok(secretary.post("/api/council-sessions/", _body(nomination), format="json"), 201)
    again = secretary.post("/api/council-sessions/", _body(nomination, title="Phiên thứ hai"), format="json")
    assert again.status_code == 400 and "nominations" in again.json()["errors"]
    assert CouncilSession.objects.count() == 1
