"""Driving the nomination flow over the REST API as portals and scripts do."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from nominations.models import Campaign, Council, Nomination, OrgUnit
from nominations.services.council import voting_members
from tests.workflow.helpers import dossiers_move_on

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="bao-cao.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.content.decode()[:2000])
    return response.json() if response.content else None


def start(client, unit_code="p-ky-lua", campaign_code="dien-tap", title="Tờ trình đề nghị"):
    body = {
        "campaign": Campaign.objects.get(code=campaign_code).pk,
        "unit": OrgUnit.objects.get(code=unit_code).pk,
        "title": title,
    }
    return ok(client.post("/api/submissions/", body, format="json"), 201)


def add_nomination(client, submission, name, **extra):
    body = {
        "kind": "individual",
        "name": name,
        "gender": "female",
        "birth_year": 1980,
        "ethnicity": "Tày",
        "position": "Công chức",
        "award_type": Campaign.objects.get(pk=submission["campaign"]).award_types.get(code="giay-khen").pk,
        "achievement": "Hoàn thành xuất sắc nhiệm vụ.",
        **extra,
    }
    return ok(client.post(f"/api/submissions/{submission['id']}/nominations/", body, format="json"), 201)


def attach(client, submission, kind, nomination=None, upload=None):
    data = {"kind": kind, "file": upload or pdf()}
    if nomination is not None:
        data["nomination"] = nomination["id"]
    return client.post(f"/api/submissions/{submission['id']}/attachments/", data, format="multipart")


def complete_dossier(client, submission, nominations):
    """Attach the documents the rule set requires: minutes once, a report per nomination."""
    ok(attach(client, submission, "review_minutes"), 201)
    for nomination in nominations:
        ok(attach(client, submission, "achievement_report", nomination), 201)


def find_task(client, submission, node):
    """The caller's open task ``node`` of ``submission`` (inbox or queue), or None."""
    page = ok(client.get("/api/tasks/", {"submission": submission["id"], "node": node}))
    return page["results"][0] if page["results"] else None


def act(client, submission, node, body=None):
    """Claim (if needed) and complete the open task ``node`` of ``submission``."""
    task = find_task(client, submission, node)
    assert task is not None, f"no {node} task for this user"
    if task["status"] == "NEW":
        ok(client.post(f"/api/tasks/{task['id']}/claim/"))
    with dossiers_move_on():
        return client.post(f"/api/tasks/{task['id']}/complete/", body or {}, format="json")


def items(*choices) -> dict:
    """``items((nomination, choice, note), …)`` → the per-nomination part of a task body."""
    return {str(n["id"]): {"choice": choice, "note": note} for n, choice, note in choices}


def council_session(api, nominations, title="Phiên họp Hội đồng", choice="agree", vote=True):
    """The secretary opens a session on ``nominations``; every voting member votes ``choice`` on every item."""
    council = Council.objects.get(issuer__code="ls")
    members = list(voting_members(council, timezone.localdate()))
    body = {
        "council": council.pk,
        "campaign": Nomination.objects.get(pk=nominations[0]["id"]).submission.campaign_id,
        "title": title,
        "held_on": timezone.localdate().isoformat(),
        "place": "Phòng họp số 1",
        "nominations": [n["id"] for n in nominations],
        "present": [m.pk for m in members],
    }
    session = ok(api("thuky_hoidong").post("/api/council-sessions/", body, format="json"), 201)
    for member in members if vote else []:
        client = api(member.user.username)
        page = ok(client.get("/api/tasks/", {"session": session["id"], "node": "vote", "box": "inbox"}))
        (task,) = page["results"]
        form = ok(client.get(f"/api/tasks/{task['id']}/"))["form"]
        ballot = {"items": {str(item["id"]): {"choice": choice} for item in form["items"]}}
        with dossiers_move_on():  # the last ballot closes the session
            done = ok(client.post(f"/api/tasks/{task['id']}/complete/", ballot, format="json"))
        assert done["status"] == "DONE" and done["result"]["receipt"]
    return session


def find_decision_task(client, decision, node):
    page = ok(client.get("/api/tasks/", {"decision": decision["id"], "node": node}))
    return page["results"][0] if page["results"] else None


def act_on_decision(client, decision, node, body):
    """Claim (if needed) and complete the open task ``node`` of ``decision``."""
    task = find_decision_task(client, decision, node)
    assert task is not None, f"no {node} task for this user"
    if task["status"] == "NEW":
        ok(client.post(f"/api/tasks/{task['id']}/claim/"))
    with dossiers_move_on():  # signing closes the dossiers
        return client.post(f"/api/tasks/{task['id']}/complete/", body, format="json")
