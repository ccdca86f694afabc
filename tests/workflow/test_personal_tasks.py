"""A task the flow gives one person stays theirs: given back, nobody else may take it (UI, API, queues).

Every personal step (ballot, close voting, prepare, complete, redraft) is given
back by its person; then every other user of the demo, the superuser included,
tries to take it through the UI and the API and must not find it in a queue.
"""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient
from viewflow.workflow.status import STATUS

from nominations.models import BallotCast, CouncilMember
from workflow import permissions as perms
from workflow.flows import CouncilFlow as C
from workflow.flows import DecisionFlow as D
from workflow.models import AuditEvent

from .helpers import (
    F,
    accepted_dossier,
    act,
    add_nomination,
    complete_dossier,
    council_session,
    draft_decision,
    open_task,
    sign_decision,
    start,
    url,
)

User = get_user_model()


def _prepare(client, users):
    return open_task(start(client, users["canbo_vinhtrai"]), F.prepare)


def _complete(client, users):
    process = start(client, users["canbo_vinhtrai"])
    nomination = add_nomination(client, process.artifact, "Hà Thị Thu")
    complete_dossier(client, process.artifact, [nomination])
    act(client, users["canbo_vinhtrai"], process, F.prepare)
    act(client, users["chutich_vinhtrai"], process, F.head_approval, {"decision": "submit"})
    review = {f"choice_{nomination.pk}": "complete", f"note_{nomination.pk}": "Thiếu ảnh"}
    act(client, users["thamdinh_noivu"], process, F.review, review)
    return open_task(process, F.complete)


def _session(client, users):
    _process, noms = accepted_dossier(client, users, ["Hà Thị Thu"])
    present = ["uyvien_1", "uyvien_2", "uyvien_3", "phochutich_ubnd"]
    return council_session(client, users, noms, present=present, vote=False)


def _vote(client, users):
    member = CouncilMember.objects.get(council__issuer__code="ls", user=users["uyvien_2"])
    return _session(client, users).task_set.get(flow_task=C.vote, data__member_id=member.pk)


def _close_voting(client, users):
    return open_task(_session(client, users), C.close_voting)


def _redraft(client, users):
    _process, noms = accepted_dossier(client, users, ["Hà Thị Thu"])
    council_session(client, users, noms)
    decision = draft_decision(client, users, noms)
    response = sign_decision(client, users["chutich_ubnd"], decision, {"decision": "return", "comment": "Sửa lại"})
    assert response.status_code == 302
    return open_task(decision, D.redraft)


# step → (its node, who the flow gives it to, how to reach it)
STEPS = {
    "prepare": (F.prepare, "canbo_vinhtrai", _prepare),
    "complete": (F.complete, "canbo_vinhtrai", _complete),
    "vote": (C.vote, "uyvien_2", _vote),
    "close_voting": (C.close_voting, "thuky_hoidong", _close_voting),
    "redraft": (D.redraft, "thuky_hoidong", _redraft),
}


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _offered(user, task) -> dict:
    """Where ``task`` is offered to ``user`` to take: the UI's queue, viewflow's own queue, the API's."""
    node = task.flow_task
    user = User.objects.get(pk=user.pk)  # no cached grants
    queue = _api(user).get("/api/tasks/", {"box": "queue", "page_size": 200}).json()["results"]
    perms.prime_queue_cache(user)
    offered = {
        "ui queue": perms.queue_tasks(user, node.flow_class).filter(pk=task.pk).exists(),
        "api queue": task.pk in {t["id"] for t in queue},
    }
    if not user.is_superuser:  # viewflow's own queue shows a superuser everything
        viewflow_queue = node.flow_class.task_class.objects.user_queue(user, node.flow_class)
        offered["viewflow queue"] = viewflow_queue.filter(pk=task.pk).exists()
    return offered


def _state(task):
    task.refresh_from_db()
    trail = AuditEvent.objects.exclude(scope__in=["auth", "access"]).count()  # sign-ins and refusals
    return task.status, task.owner_id, BallotCast.objects.count(), trail


@pytest.mark.parametrize("step", STEPS)
def test_a_given_back_task_is_taken_only_by_its_person(demo, client, step):
    users = {u.username: u for u in User.objects.all()}
    node, person, reach = STEPS[step]
    task = reach(client, users)
    assert task.status == STATUS.ASSIGNED and task.owner == users[person]
    client.force_login(users[person])
    assert client.post(url(node, "unassign", task)).status_code == 302
    given_back = _state(task)
    assert given_back[:2] == (STATUS.NEW, None)

    failures = []
    for username, user in users.items():
        if username == person:
            continue
        client.force_login(user)
        ui = client.post(url(node, "assign", task)).status_code
        api = _api(user).post(f"/api/tasks/{task.pk}/claim/").status_code
        if ui not in (403, 404) or api not in (403, 404):
            failures.append(f"{username} took it: UI {ui}, API {api}")
        if _state(task) != given_back:
            failures.append(f"{username} changed it")
        offered = _offered(user, task)
        if any(offered.values()):
            failures.append(f"offered to {username}: {offered}")
    assert not failures, "\n".join(failures)

    # Its person still finds it and takes it back, in the UI and over the API.
    assert all(_offered(users[person], task).values())
    client.force_login(users[person])
    assert client.post(url(node, "assign", task)).status_code == 302
    assert client.post(url(node, "unassign", task)).status_code == 302
    assert _api(users[person]).post(f"/api/tasks/{task.pk}/claim/").status_code == 200
    task.refresh_from_db()
    assert (task.status, task.owner) == (STATUS.ASSIGNED, users[person])


def test_tasks_open_at_upgrade_become_their_persons(demo, client):
    """Migration 0007 marks the personal tasks created before it: held ones by their owner, given-back ones
    by the person the flow names."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("workflow.migrations.0007_personal_tasks")
    users = {u.username: u for u in User.objects.all()}
    ballot = _vote(client, users)
    process = ballot.process
    close = open_task(process, C.close_voting)
    tasks = process.task_set.filter(flow_task__in=[C.vote, C.close_voting])
    expected = {t.pk: str(t.owner_id) for t in tasks}
    tasks.filter(pk=ballot.pk).update(owner=None, status=STATUS.NEW)  # given back
    tasks.update(owner_permission=None, owner_permission_content_type=None, owner_permission_obj_pk=None)
    assert _offered(users["thuky_hoidong"], ballot)["ui queue"]  # unmarked: offered to all

    migration.mark_personal_tasks(apps, None)

    assert {t.pk: t.owner_permission_obj_pk for t in tasks} == expected
    assert {t.owner_permission for t in tasks} == {perms.PERSONAL_TASK}
    assert close.pk in expected
    assert not any(_offered(users["thuky_hoidong"], ballot).values())
    client.force_login(users["thuky_hoidong"])
    assert client.post(url(C.vote, "assign", ballot)).status_code == 403
    client.force_login(users["uyvien_2"])
    assert client.post(url(C.vote, "assign", ballot)).status_code == 302
