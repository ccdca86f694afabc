"""Two API callers completing or claiming one task at the same moment (needs PostgreSQL: real row locks)."""

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from nominations.models import Membership, OrgUnit, Role
from workflow.flows import NominationFlow
from workflow.permissions import grant_membership

from .helpers import act, add_nomination, complete_dossier, find_task, ok, start

F = NominationFlow
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks (select_for_update)"),
]


def _client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def _race(requests):
    """Fire the POSTs from separate threads released together; return their responses."""
    barrier, responses = threading.Barrier(len(requests)), [None] * len(requests)

    def run(i, user, path, body):
        client = _client(user)
        barrier.wait()
        try:
            responses[i] = client.post(path, body, format="json")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *r)) for i, r in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return responses


@pytest.fixture
def at_head(committed_demo):
    users = {u.username: u for u in get_user_model().objects.all()}
    clerk = _client(users["canbo_vinhtrai"])
    submission = start(clerk)
    nomination = add_nomination(clerk, submission, "Đàm Văn Quý", gender="male")
    complete_dossier(clerk, submission, [nomination])
    ok(act(clerk, submission, "prepare"))
    return users, submission


def _tasks(submission, node):
    return F.task_class.objects.filter(process__artifact_object_id=submission["id"], flow_task=node)


def test_double_completion_of_one_task_creates_one_next_task(at_head):
    users, submission = at_head
    head = users["chutich_vinhtrai"]
    task = find_task(_client(head), submission, "head_approval")
    ok(_client(head).post(f"/api/tasks/{task['id']}/claim/"))
    path = f"/api/tasks/{task['id']}/complete/"
    responses = _race([(head, path, {"decision": "submit"}), (head, path, {"decision": "submit"})])
    assert sorted(r.status_code for r in responses) == [200, 409]
    assert next(r for r in responses if r.status_code == 409).json()["code"] in ("task_finished", "process_locked")
    assert _tasks(submission, F.head_approval).count() == 1
    assert _tasks(submission, F.review).count() == 1


def test_two_reviewers_claiming_the_same_task(at_head):
    users, submission = at_head
    second = get_user_model().objects.create_user("thamdinh_2", password="x")
    unit = OrgUnit.objects.get(code="ls-noi-vu")
    grant_membership(
        Membership.objects.create(user=second, unit=unit, role=Role.REVIEWER, valid_from=datetime.date(2024, 1, 1))
    )
    ok(act(_client(users["chutich_vinhtrai"]), submission, "head_approval", {"decision": "submit"}))
    task = find_task(_client(second), submission, "review")
    path = f"/api/tasks/{task['id']}/claim/"
    responses = _race([(users["thamdinh_noivu"], path, {}), (second, path, {})])
    assert sorted(r.status_code for r in responses) == [200, 409]
    assert next(r for r in responses if r.status_code == 409).json()["code"] in ("task_taken", "process_locked")
    assert _tasks(submission, F.review).get().status == "ASSIGNED"
