"""A task taken or finished by someone else is a 409 with a stable code; nothing is done twice."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from viewflow.workflow.exceptions import FlowLockFailed

from nominations.demo import DEMO_PASSWORD
from nominations.models import Membership, Nomination, OrgUnit, Role
from workflow import audit
from workflow.flows import NominationFlow
from workflow.models import AuditEvent
from workflow.permissions import grant_membership

from .helpers import act, add_nomination, complete_dossier, find_task, items, ok, start

F = NominationFlow


def _second(username, unit_code, role):
    """Another demo user with the same role, so that two people compete for one task."""
    user = get_user_model().objects.create_user(username, password=DEMO_PASSWORD)
    unit = OrgUnit.objects.get(code=unit_code)
    grant_membership(Membership.objects.create(user=user, unit=unit, role=role, valid_from=datetime.date(2024, 1, 1)))
    return user


@pytest.fixture
def at_head(api):
    clerk = api("canbo_vinhtrai")
    submission = start(clerk)
    nomination = add_nomination(clerk, submission, "Hoàng Thị Ánh")
    complete_dossier(clerk, submission, [nomination])
    ok(act(clerk, submission, "prepare"))
    return submission, nomination


def _state(submission):
    tasks = F.task_class.objects.filter(process__artifact_object_id=submission["id"], process__flow_class=F)
    return (
        list(tasks.order_by("pk").values_list("pk", "flow_task", "status", "owner_id")),
        AuditEvent.objects.filter(scope=f"submission:{submission['id']}").count(),
    )


def test_the_same_task_claimed_twice(api, at_head):
    submission, _ = at_head
    _second("phochutich_vinhtrai", "p-ky-lua", Role.UNIT_HEAD)
    head, other = api("chutich_vinhtrai"), api("phochutich_vinhtrai")
    task = find_task(head, submission, "head_approval")
    assert find_task(other, submission, "head_approval")["id"] == task["id"]  # both see it in their queue
    claimed = ok(head.post(f"/api/tasks/{task['id']}/claim/"))
    assert claimed["owner"] == "chutich_vinhtrai" and claimed["status"] == "ASSIGNED" and claimed["can_complete"]
    before = _state(submission)

    response = other.post(f"/api/tasks/{task['id']}/claim/")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Công việc này đã được người khác nhận. Không có thay đổi nào được ghi.",
        "code": "task_taken",
        "errors": {},
    }
    again = head.post(f"/api/tasks/{task['id']}/claim/")
    assert again.status_code == 409 and again.json()["code"] == "task_already_claimed"
    stolen = other.post(f"/api/tasks/{task['id']}/complete/", {"decision": "submit"}, format="json")
    assert stolen.status_code == 409 and stolen.json()["code"] == "task_taken"
    assert _state(submission) == before


def test_a_task_completed_by_one_user_then_by_another(api, at_head):
    submission, nomination = at_head
    ok(act(api("chutich_vinhtrai"), submission, "head_approval", {"decision": "submit"}))
    _second("thamdinh_2", "ls-noi-vu", Role.REVIEWER)
    first, second = api("thamdinh_noivu"), api("thamdinh_2")
    task = find_task(first, submission, "review")
    body = {"items": items((nomination, "accept", ""))}
    ok(first.post(f"/api/tasks/{task['id']}/claim/"))
    done = ok(first.post(f"/api/tasks/{task['id']}/complete/", body, format="json"))
    assert done["status"] == "DONE" and done["finished"]
    before = _state(submission)

    for client in (second, first):
        response = client.post(f"/api/tasks/{task['id']}/complete/", body, format="json")
        assert response.status_code == 409
        assert response.json()["code"] == "task_finished"
        assert "đã hoàn thành" in response.json()["detail"]
        assert client.post(f"/api/tasks/{task['id']}/claim/").json()["code"] == "task_finished"
    assert _state(submission) == before
    assert F.task_class.objects.filter(process__artifact_object_id=submission["id"], flow_task=F.council).count() == 1
    reviewed = AuditEvent.objects.filter(event_type=audit.NOMINATION_REVIEWED, target_id=str(nomination["id"]))
    assert reviewed.count() == 1
    assert Nomination.objects.get(pk=nomination["id"]).status == Nomination.Status.ACCEPTED


def test_completing_without_claiming_first(api, at_head):
    submission, _ = at_head
    head = api("chutich_vinhtrai")
    task = find_task(head, submission, "head_approval")
    response = head.post(f"/api/tasks/{task['id']}/complete/", {"decision": "submit"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "task_not_claimed"
    # The clerk sees the dossier but may not take the head's task.
    clerk = api("canbo_vinhtrai")
    assert clerk.post(f"/api/tasks/{task['id']}/claim/").status_code == 403
    assert clerk.post(f"/api/tasks/{task['id']}/complete/", {}, format="json").status_code == 403


def test_a_locked_process_is_a_409(api, at_head, monkeypatch):
    submission, _ = at_head
    head = api("chutich_vinhtrai")
    task = find_task(head, submission, "head_approval")

    def locked(process_pk):
        raise FlowLockFailed("Lock failed")

    monkeypatch.setattr(F, "lock", locked)
    response = head.post(f"/api/tasks/{task['id']}/claim/")
    assert response.status_code == 409
    assert response.json()["code"] == "process_locked"
    assert find_task(head, submission, "head_approval")["status"] == "NEW"


def test_a_refused_step_leaves_the_task_with_its_owner(api):
    """A 400 from the service rolls the started task back: still assigned, nothing recorded."""
    clerk = api("canbo_vinhtrai")
    submission = start(clerk)
    before = _state(submission)
    assert act(clerk, submission, "prepare").status_code == 400
    assert _state(submission) == before
    assert find_task(clerk, submission, "prepare")["status"] == "ASSIGNED"
