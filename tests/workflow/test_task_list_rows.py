"""The task lists' rows read in one statement (issue 18 item 1, workflow.task_lists.page_tasks): the same words,
the same deadlines and the same rows as the objects and the ORM gave, for every kind of artifact; and the inbox and
queue read without viewflow's list machinery show what its filtered path shows."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from nominations.models import CampaignAward, CouncilSession, Decision, Nomination, Submission
from workflow import deadlines, task_lists
from workflow.demo import load_demo
from workflow.flows import NominationFlow

from .helpers import (
    F,
    accepted_dossier,
    act,
    add_nomination,
    complete_dossier,
    council_session,
    draft_decision,
    open_task,
    start,
)

D = datetime.date
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
KINDS = [Submission, CouncilSession, Decision]


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


def _said(artifact) -> str:
    """What the inbox's "Hồ sơ" column said of an artifact object before the statement (the former
    ``task_lists.dossier_text``)."""
    if isinstance(artifact, Decision):
        return f"{artifact.reference} – {artifact.subject}"
    owner = artifact.unit if isinstance(artifact, Submission) else artifact.council
    return f"{owner} – {artifact.title}"


def test_the_statement_says_what_the_objects_say_for_the_three_kinds(client, users):
    _process, passed = accepted_dossier(client, users, ["Hoàng Thị Ánh"])
    council_session(client, users, passed, title="Phiên đã biểu quyết")
    draft_decision(client, users, list(Nomination.objects.filter(pk__in=[n.pk for n in passed])))
    _process, waiting = accepted_dossier(client, users, ["Lục Văn Bình"])
    council_session(client, users, waiting, vote=False, title="Phiên đang mở")
    start(client, users["canbo_vinhtrai"], title="Tờ trình <đang soạn> & chờ")
    tasks = list(
        Task.objects.filter(flow_task_type="HUMAN", status__in=[STATUS.NEW, STATUS.ASSIGNED]).select_related("process")
    )
    assert {type(t.process.artifact) for t in tasks} == set(KINDS)
    read = task_lists.with_deadlines(task_lists.page_tasks([t.pk for t in reversed(tasks)], KINDS))
    assert [t.pk for t in read] == [t.pk for t in reversed(tasks)]  # the order asked
    expected = deadlines.task_deadlines(tasks)
    by_pk = {t.pk: t for t in read}
    for task in tasks:
        row = by_pk[task.pk]
        assert row.dossier == _said(task.process.artifact), task
        assert (row.flow_task, row.process_id, row.status, row.created) == (
            task.flow_task,
            task.process_id,
            task.status,
            task.created,
        )
        assert row.deadline == expected.get(task.pk), task
    assert any(d is not None for d in expected.values())  # the demo's rules date some of them
    # A kind not asked for keeps its row, without words: a task is never dropped nor given another's artifact.
    decisions = [t.pk for t in tasks if isinstance(t.process.artifact, Decision)]
    assert [t.dossier for t in task_lists.page_tasks(decisions, [Submission])] == ["—"] * len(decisions)


@pytest.mark.django_db
def test_the_appraisal_counts_from_the_receipt_and_stands_still_during_completion(client):
    """The statement's receipt (the dossier's first appraisal task) and the hand-written pauses give the deadline
    ``task_deadline`` gives: 18 working days left after the completion round, due 23/03/2026 (test_deadlines)."""
    with time_machine.travel(datetime.datetime.combine(D(2026, 2, 9), datetime.time(9), HANOI), tick=False) as t:
        load_demo()
        users = {u.username: u for u in get_user_model().objects.all()}
        process = start(client, users["canbo_vinhtrai"])
        nomination = add_nomination(client, process.artifact, "Hoàng Thị Ánh")
        complete_dossier(client, process.artifact, [nomination])
        act(client, users["canbo_vinhtrai"], process, F.prepare)
        act(client, users["chutich_vinhtrai"], process, F.head_approval, {"decision": "submit"})
        first = process.task_set.get(flow_task=NominationFlow.review)
        t.move_to(datetime.datetime.combine(D(2026, 2, 11), datetime.time(9), HANOI))
        choice = {f"choice_{nomination.pk}": "complete", f"note_{nomination.pk}": "Thiếu biên bản họp"}
        act(client, users["thamdinh_noivu"], process, F.review, choice)
        t.move_to(datetime.datetime.combine(D(2026, 2, 25), datetime.time(9), HANOI))
        act(client, users["canbo_vinhtrai"], process, F.complete, {"comment": "Đã bổ sung"})
        second = open_task(process, F.review)  # back to the reviewer who returned it, or in the queue
        assert second.pk != first.pk
        (row,) = task_lists.with_deadlines(task_lists.page_tasks([second.pk], [Submission]))
        assert row.received == first.created
        assert row.deadline == deadlines.task_deadline(second)
        assert (row.deadline.due_on, row.deadline.working_days_left) == (D(2026, 3, 23), 18)
        client.force_login(users["thamdinh_noivu"])
        listed = client.get("/nomination/inbox/" if second.owner_id else "/nomination/queue/").content.decode()
        assert re.search(rf'data-row-id="{second.pk}".*?23/03/2026 – còn 18 ngày làm việc', listed, re.S)


def _table(page: str) -> str:
    return re.search(r"<tbody>.*?</tbody>.*?(?:</nav>|$)", page, re.S).group()


@pytest.mark.parametrize(
    ("path", "username"), [("/nomination/inbox/", "canbo_vinhtrai"), ("/nomination/queue/", "chutich_vinhtrai")]
)
def test_the_unfiltered_list_shows_what_viewflows_filtered_list_shows(client, users, path, username):
    """Without a filter the list's ids and rows are read directly; with an empty filter (``?han=``) viewflow's
    list machinery runs as before: the same rows, in the same order, with the same pager, on every page."""
    CampaignAward.objects.update(default_quota=None)  # 27 dossiers of one unit: past the demo's quota
    for i in range(27):  # more than a page (25) of the clerk's own tasks and of the head's queue
        process = start(client, users["canbo_vinhtrai"], title=f"Tờ trình số {i}")
        if path.endswith("queue/"):
            complete_dossier(client, process.artifact, [add_nomination(client, process.artifact, f"Hoàng Thị {i}")])
            act(client, users["canbo_vinhtrai"], process, F.prepare)
    client.force_login(users[username])
    for page in ("", "page=2"):
        direct = client.get(f"{path}?{page}").content.decode()
        filtered = client.get(f"{path}?han=&{page}").content.decode()
        rows = re.findall(r'data-row-id="(\d+)"', direct)
        assert rows and rows == re.findall(r'data-row-id="(\d+)"', filtered)
        # The same table and pager but for the filter kept in the pager's links.
        assert _table(direct) == _table(filtered).replace("han=&amp;", "")
    assert len(re.findall(r'data-row-id="', client.get(f"{path}?page=2").content.decode())) >= 2
