"""The cheaper step of workflow.nodes (s27flow): the lock's statement reads the task, the finished task saves only
what changed, the next human task is written with its ``previous`` link in one statement. Same rows, signals and
answers as viewflow's own step (``LEAN = False``)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models.signals import m2m_changed
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.status import STATUS

from notifications.tasks import notify_task_arrived_task
from workflow import nodes

from .helpers import F, add_nomination, complete_dossier, open_task, sent_jobs, start, url


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


def _ready(client, users):
    process = start(client, users["canbo_vinhtrai"])
    complete_dossier(client, process.artifact, [add_nomination(client, process.artifact, "Người đề nghị")])
    return process, open_task(process, F.prepare)


def _prepare(client, user, task):
    from django.test import TestCase

    client.force_login(user)
    with TestCase.captureOnCommitCallbacks() as callbacks:
        response = client.post(url(F.prepare, "execute", task), {"comment": "Trình thủ trưởng"})
    return response, callbacks


@pytest.mark.parametrize("lean", [True, False])
def test_the_step_writes_the_same_rows_lean_or_stock(client, users, monkeypatch, lean):
    monkeypatch.setattr(nodes, "LEAN", lean)
    process, task = _ready(client, users)
    before = F.task_class.objects.get(pk=task.pk)
    response, callbacks = _prepare(client, users["canbo_vinhtrai"], task)
    assert response.status_code == 302
    done = F.task_class.objects.get(pk=task.pk)
    assert done.status == STATUS.DONE
    assert done.started is not None and done.finished is not None and done.started <= done.finished
    # The columns the step does not change are as they were.
    for field in ("owner_id", "token", "data", "created", "flow_task", "process_id", "owner_permission"):
        assert getattr(done, field) == getattr(before, field), field
    following = open_task(process, F.head_approval)
    assert list(following.previous.all()) == [done]
    assert following.flow_task_type == "HUMAN" and following.created is not None
    # post_save of the new task ran: its arrival notice is in the outbox, once.
    assert [job.args for job in sent_jobs(callbacks, notify_task_arrived_task)] == [[following.pk]]


def test_the_lock_reads_the_task_in_its_statement(client, users):
    process, task = _ready(client, users)
    client.force_login(users["canbo_vinhtrai"])
    with CaptureQueriesContext(connection) as ctx:
        assert client.post(url(F.prepare, "execute", task), {"comment": ""}).status_code == 302
    reads = [q["sql"] for q in ctx.captured_queries if 'FROM "viewflow_task"' in q["sql"]]
    task_reads = [sql for sql in reads if f'"viewflow_task"."id" = {task.pk}' in sql]
    assert len(task_reads) == 1, task_reads
    if connection.vendor == "postgresql":
        assert 'FOR UPDATE OF "viewflow_process" NOWAIT' in task_reads[0]
        assert not any(
            'FROM "viewflow_process" WHERE' in q["sql"] and "FOR UPDATE" in q["sql"] for q in ctx.captured_queries
        )


def test_a_foreign_task_under_ones_own_process_is_refused(client, users):
    mine, _ = _ready(client, users)
    other, foreign = _ready(client, users)
    client.force_login(users["canbo_vinhtrai"])
    path = url(F.prepare, "execute", foreign).replace(f"/{other.pk}/", f"/{mine.pk}/")
    assert client.post(path, {"comment": "x"}).status_code == 404
    assert F.task_class.objects.get(pk=foreign.pk).status == STATUS.ASSIGNED


def test_the_lock_refused_is_a_conflict_and_nothing_moves(client, users, monkeypatch):
    from django.db import DatabaseError

    process, task = _ready(client, users)
    monkeypatch.setattr(nodes.time, "sleep", lambda seconds: None)

    attempts = []

    def refused(self, flow_class, process_pk):
        attempts.append(process_pk)
        raise DatabaseError("could not obtain lock on row")

    monkeypatch.setattr(nodes._LockReadingTask, "read", refused)
    response, _ = _prepare(client, users["canbo_vinhtrai"], task)
    assert attempts == [process.pk] * F.lock_impl.attempts  # viewflow's attempts, then FlowLockFailed
    assert response.status_code == 409
    assert F.task_class.objects.get(pk=task.pk).status == STATUS.ASSIGNED


def test_nothing_listens_to_the_previous_link_it_does_not_signal():
    """insert_linked writes ``previous`` without RelatedManager.add, so no m2m_changed: safe while nobody
    listens. A receiver added one day fails here and must be sent by insert_linked."""
    through = F.task_class.previous.through
    assert not m2m_changed.has_listeners(through)


def test_the_compiled_locking_read_builds_what_the_orm_builds(client, users):
    from django.db import transaction

    process, task = _ready(client, users)
    with transaction.atomic():
        orm = list(nodes._locking_read(F.task_class, task.pk, process.pk, True))[0]
        nodes._LOCKING_READS.clear()
        for _ in range(2):  # compiled, then run from the kept statement
            read = nodes._read_locked(F.task_class, task.pk, process.pk, True)
            assert type(read) is type(orm) and type(read.process) is type(orm.process)
            for model in (F.task_class, type(orm.process)):
                obj, expected = (read, orm) if model is F.task_class else (read.process, orm.process)
                for field in model._meta.concrete_fields:
                    assert getattr(obj, field.attname) == getattr(expected, field.attname), field.name
            assert read.token == orm.token and read.flow_task is orm.flow_task and read.data == orm.data
        # Another process's id, or no such task: nothing.
        assert nodes._read_locked(F.task_class, task.pk, process.pk + 10**6, True) is None
        assert nodes._read_locked(F.task_class, 10**9, process.pk, True) is None


@pytest.mark.django_db
def test_a_locking_read_compiled_differently_is_refused(monkeypatch):
    from django.db import transaction

    # A statement taking one more parameter than the two ids: running it with two would be wrong.
    def locking_read(task_class, task_pk, process_pk, nowait):
        tasks = task_class._default_manager.select_related("process")
        return tasks.filter(pk=task_pk, process_id=process_pk, status="x")

    monkeypatch.setattr(nodes, "_locking_read", locking_read)
    monkeypatch.setattr(nodes, "_LOCKING_READS", {})
    with pytest.raises(RuntimeError), transaction.atomic():
        nodes._read_locked(F.task_class, 1, 2, True)


def test_the_success_message_is_viewflows(client, users):
    from types import SimpleNamespace

    from django.contrib.messages import get_messages
    from viewflow.workflow.flow.views import mixins

    from workflow.views.base import StepView

    process, task = _ready(client, users)
    response, _ = _prepare(client, users["canbo_vinhtrai"], task)
    message = [str(m) for m in get_messages(response.wsgi_request)][-1]
    stock = SimpleNamespace(request=response.wsgi_request, success_message=StepView.success_message)
    assert message == mixins.SuccessMessageMixin.get_success_message(stock, {})
    assert f">#{task.pk}</a>" in message and "Đã hoàn thành công việc" in message


def test_the_finished_task_is_saved_as_save_with_its_fields_saves_it(client, users):
    """nodes.save_finished (its UPDATE compiled once) sends what ``save(update_fields=...)`` sends, writes the
    three columns only, and fails as it fails when the row is gone."""
    from django.db import DatabaseError, transaction
    from django.db.models.signals import post_save, pre_save
    from django.utils.timezone import now

    _process, task = _ready(client, users)
    sent = []

    def listen(signal):
        def receiver(sender, instance, **kwargs):
            kwargs.pop("signal")
            sent.append((signal, sender, instance.pk, kwargs))

        return receiver

    receivers = [(signal, listen(name)) for signal, name in ((pre_save, "pre"), (post_save, "post"))]
    for signal, receiver in receivers:
        signal.connect(receiver, sender=F.task_class)
    try:
        stock = F.task_class.objects.get(pk=task.pk)
        stock.finished = now()
        stock.save(update_fields=nodes._FINISHED_FIELDS)
        expected, sent[:] = list(sent), []
        lean = F.task_class.objects.get(pk=task.pk)
        lean.status, lean.started, lean.finished, lean.token = STATUS.DONE, now(), now(), "not-saved"
        nodes.save_finished(lean)
        assert sent == expected and len(sent) == 2
    finally:
        for signal, receiver in receivers:
            signal.disconnect(receiver, sender=F.task_class)
    row = F.task_class.objects.get(pk=task.pk)
    assert (row.status, row.started, row.finished) == (STATUS.DONE, lean.started, lean.finished)
    assert row.token == stock.token  # a column the step does not change is not written
    gone = F.task_class(pk=10**9, status=STATUS.DONE, finished=now())
    with pytest.raises(DatabaseError, match="did not affect any rows"), transaction.atomic():
        nodes.save_finished(gone)
