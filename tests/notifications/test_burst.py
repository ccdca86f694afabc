"""The worker tells a burst of arrived tasks at once (issue 18 item 3), losing and doubling nothing."""

from unittest import mock

import pytest
from celery.exceptions import Retry
from django.contrib.auth import get_user_model
from django.db import connection as db_connection
from django.db.models import Q
from django.utils import timezone

from jobs.models import OutboxJob
from notifications.models import Notification
from tests.workflow.helpers import F, act, add_nomination, complete_dossier, start

from .helpers import arrival_jobs, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_arrivals(client, demo):
    """Two dossiers sent to the head: their two "task arrived" jobs, both handed to the broker (sent)."""
    return _arrivals(client, ("Hoàng Thị Ánh", "Trần Văn Bình"))


def _arrivals(client, names):
    users = {u.username: u for u in get_user_model().objects.all()}
    jobs = []
    for name in names:
        process = start(client, users["canbo_vinhtrai"])
        nomination = add_nomination(client, process.artifact, name)
        complete_dossier(client, process.artifact, [nomination])
        with arrival_jobs() as recorded:
            act(client, users["canbo_vinhtrai"], process, F.prepare)
        jobs.extend(recorded)
    OutboxJob.objects.filter(pk__in=[job.pk for job in jobs]).update(sent_at=timezone.now())
    return jobs


def assigned(jobs=None):
    """The "task arrived" notices (of the tasks of ``jobs`` only, when given: other pending jobs may ride along)."""
    notes = Notification.objects.filter(kind=Notification.Kind.ASSIGNED)
    if jobs is None:
        return notes
    keys = Q()
    for job in jobs:
        keys |= Q(dedup_key__startswith=f"task:{job.args[0]}:")
    return notes.filter(keys)


def mails(mailoutbox, jobs) -> int:
    urls = [note.url for note in assigned(jobs)]
    return sum(1 for mail in mailoutbox if any(url in mail.body for url in urls))


def test_one_job_tells_the_other_sent_tasks_and_their_own_messages_then_do_nothing(two_arrivals, mailoutbox):
    first, second = two_arrivals
    run([first])
    assert assigned([first, second]).count() == 2  # both heads' tasks told by the first job's run
    assert not OutboxJob.objects.filter(pk__in=[first.pk, second.pk], done_at=None).exists()
    run([second, first])  # their messages arrive: each finds its job done
    assert assigned([first, second]).count() == 2
    assert mails(mailoutbox, [first, second]) == 2


def test_a_failing_burst_leaves_every_job_pending_and_the_next_run_tells_each_once(two_arrivals, mailoutbox):
    first, second = two_arrivals
    with mock.patch("notifications.services._mail_many", side_effect=ConnectionError("SMTP down")):
        with pytest.raises((ConnectionError, Retry)):  # the task's autoretry, inline
            run([first])
    assert not assigned([first, second]).exists()
    assert OutboxJob.objects.filter(pk__in=[first.pk, second.pk], done_at=None).count() == 2
    run([second])
    run([first])
    assert assigned([first, second]).count() == 2
    assert mails(mailoutbox, [first, second]) == 2


def test_a_job_never_sent_is_left_to_its_own_send(two_arrivals):
    first, second = two_arrivals
    OutboxJob.objects.filter(pk=second.pk).update(sent_at=None)  # the broker was down when it was recorded
    run([first])
    assert assigned([first, second]).count() == 1
    assert OutboxJob.objects.filter(pk=second.pk, done_at=None).exists()
    run([second])
    assert assigned([first, second]).count() == 2


class BurstBroker:
    """Redis as the broker: messages kept until the worker runs them, and the burst's key (SET NX / DELETE)."""

    def __init__(self):
        self.messages, self.keys, self.down = [], set(), False

    def set_key(self, task_name, *, ttl):
        if self.down:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        if task_name in self.keys:
            return False
        self.keys.add(task_name)
        return True

    def work(self):
        """The worker: runs every message waiting, in order."""
        messages, self.messages = self.messages, []
        for task, args, kwargs, task_id in messages:
            task.apply(args, kwargs, task_id=task_id)


@pytest.fixture
def redis_broker(monkeypatch):
    from celery import Task

    from config.celery import app
    from jobs import outbox

    fake = BurstBroker()

    def apply_async(task, args=None, kwargs=None, task_id=None, **options):
        if fake.down:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        fake.messages.append((task, args, kwargs, task_id))

    monkeypatch.setattr(Task, "apply_async", apply_async)
    monkeypatch.setattr(outbox, "_redis_broker", lambda: True)
    monkeypatch.setattr(outbox, "BURST_WINDOW", 0.5)  # THIDUA_OUTBOX_BURST_WINDOW's default
    monkeypatch.setattr(outbox, "_burst_key_set", fake.set_key)
    monkeypatch.setattr(outbox, "burst_started", fake.keys.discard)
    monkeypatch.setattr(outbox, "_burst_key_delete", fake.keys.discard)
    monkeypatch.setattr(app.conf, "CELERY_TASK_ALWAYS_EAGER", False)
    return fake


def unsent(jobs):
    OutboxJob.objects.filter(pk__in=[job.pk for job in jobs]).update(sent_at=None)
    return [OutboxJob.objects.get(pk=job.pk) for job in jobs]


def test_the_jobs_of_one_window_share_one_message_whose_run_tells_them_all(two_arrivals, redis_broker, mailoutbox):
    from jobs.outbox import send

    first, second = unsent(two_arrivals)
    assert send(first) and send(second)
    assert len(redis_broker.messages) == 1  # the second rides with the first's message
    assert OutboxJob.objects.filter(pk__in=[first.pk, second.pk], sent_at=None).count() == 0
    redis_broker.work()
    assert assigned([first, second]).count() == 2 and mails(mailoutbox, [first, second]) == 2
    assert not OutboxJob.objects.filter(pk__in=[first.pk, second.pk], done_at=None).exists()


def test_a_job_sent_once_the_burst_has_started_sends_its_own_message(two_arrivals, redis_broker):
    from jobs.outbox import send

    first, second = unsent(two_arrivals)
    send(first)
    redis_broker.work()  # the burst deletes its key before taking the jobs
    assert assigned([first, second]).count() == 1
    send(second)
    assert len(redis_broker.messages) == 1
    redis_broker.work()
    assert assigned([first, second]).count() == 2


def test_with_redis_down_the_job_is_left_to_the_relay_which_sends_it_later(two_arrivals, redis_broker):
    from jobs.outbox import relay, send

    first, _second = unsent(two_arrivals)
    redis_broker.down = True
    assert not send(first)
    job = OutboxJob.objects.get(pk=first.pk)
    assert job.sent_at is None and job.done_at is None and "Connection refused" in job.last_error
    redis_broker.down = False
    assert relay(unsent_after=0) >= 1
    redis_broker.work()
    assert OutboxJob.objects.get(pk=first.pk).done_at is not None
    assert assigned().filter(dedup_key__startswith=f"task:{first.args[0]}:").count() == 1


def test_a_job_its_burst_settled_is_not_marked_done_a_second_time(two_arrivals):
    """The burst marks its jobs done in its own transaction; the task's success writes no second UPDATE of the
    own row (a worker's statement per job), and the row is done all the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first, second = two_arrivals
    with CaptureQueriesContext(connection) as ctx:
        run([first])
    updates = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('UPDATE "jobs_outboxjob"')]
    # One for the send (sent_at, attempts), one for the burst's done_at: none after the task's success.
    assert len(updates) == 2, updates
    assert not OutboxJob.objects.filter(pk__in=[first.pk, second.pk], done_at=None).exists()
    with CaptureQueriesContext(connection) as ctx:
        run([second])  # its row found done by the first burst: settled, nothing written
    updates = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('UPDATE "jobs_outboxjob"')]
    assert len(updates) == 1, updates  # the send's own
    assert OutboxJob.objects.get(pk=second.pk).done_at is not None


def test_a_job_alone_writes_its_notices_with_one_savepoint_and_no_redis_round_trip(two_arrivals, monkeypatch):
    """With no burst window no job sets the burst's key: the worker does not delete it for each job;
    and the notices' rows need no savepoint of their own inside the burst's transaction, nor the insert (a key
    taken concurrently is skipped by the insert itself)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jobs import outbox

    monkeypatch.setattr(outbox, "BURST_WINDOW", 0)  # THIDUA_OUTBOX_BURST_WINDOW=0
    monkeypatch.setattr(outbox, "_redis_broker", lambda: True)

    def no_redis(*args, **kwargs):
        raise AssertionError("Redis asked")

    with monkeypatch.context() as patched:
        patched.setattr(outbox.current_app.pool, "acquire", no_redis)
        patched.setattr(outbox.current_app.conf, "CELERY_TASK_ALWAYS_EAGER", False)  # as in a worker
        outbox.burst_started("notifications.tasks.notify_task_arrived_task")  # what each job's burst calls first
    first, second = two_arrivals
    with CaptureQueriesContext(connection) as ctx:
        run([first])
    savepoints = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SAVEPOINT")]
    # The burst's transaction (a savepoint inside the test's own): the insert skips taken keys itself (ON CONFLICT),
    # with no savepoint of its own and no read of the taken keys before it.
    assert len(savepoints) == 1, savepoints
    notices = [q["sql"] for q in ctx.captured_queries if '"notifications_notification"' in q["sql"]]
    assert len(notices) == 1 and notices[0].startswith('INSERT INTO "notifications_notification"'), notices
    assert assigned([first, second]).count() == 2


def test_bursts_are_on_by_default(settings):
    from jobs import outbox

    assert settings.THIDUA_OUTBOX_BURST_WINDOW == outbox.BURST_WINDOW == 0.5
    assert outbox.burst_task_names() == ["notifications.tasks.notify_task_arrived_task"]


def _aged(jobs, seconds):
    """The jobs as the relay sees them ``seconds`` after they were handed over."""
    OutboxJob.objects.filter(pk__in=[job.pk for job in jobs]).update(
        tried_at=timezone.now() - timezone.timedelta(seconds=seconds)
    )


def test_a_burst_lost_with_redis_is_resent_by_the_relay_within_a_minute_and_told_once(
    two_arrivals, redis_broker, mailoutbox
):
    from jobs.outbox import BURST_KEY_TTL, burst_resend_after, relay, send

    first, second = unsent(two_arrivals)
    assert send(first) and send(second)
    assert len(redis_broker.messages) == 1  # the second rides with the first's message
    redis_broker.messages.clear()  # Redis restarted without persistence: the message and the key are gone
    redis_broker.keys.clear()
    assert burst_resend_after() < 60 and burst_resend_after() > BURST_KEY_TTL
    assert relay() == 0  # the burst may still be on its way
    _aged([first, second], burst_resend_after() - 2)
    assert relay() == 0
    _aged([first, second], burst_resend_after() + 1)  # not THIDUA_OUTBOX_RESEND_AFTER (15 minutes)
    assert relay() == 2  # each with its own message
    assert len(redis_broker.messages) == 2
    redis_broker.work()  # the first message's burst tells both; the second finds its job done
    assert assigned([first, second]).count() == 2 and mails(mailoutbox, [first, second]) == 2
    assert not OutboxJob.objects.filter(pk__in=[first.pk, second.pk], done_at=None).exists()
    _aged([first, second], 3600)
    assert relay() == 0  # done: never sent again


def test_a_job_of_a_task_not_run_in_bursts_still_waits_for_the_long_resend(db, redis_broker):
    from jobs.outbox import burst_resend_after, pending
    from workflow.tasks import resume_dossiers_task

    job = OutboxJob.objects.create(task=resume_dossiers_task.name, args=[[]], sent_at=timezone.now(), attempts=1)
    _aged([job], burst_resend_after() + 1)
    assert not pending().filter(pk=job.pk).exists()
    _aged([job], 901)
    assert pending().filter(pk=job.pk).exists()


def test_an_expired_bursts_jobs_are_taken_by_the_next_burst(two_arrivals, redis_broker, mailoutbox):
    from jobs.outbox import send

    first, second = unsent(two_arrivals)
    send(first)
    send(second)
    redis_broker.messages.clear()  # lost; the key expires
    redis_broker.keys.clear()
    third = OutboxJob.objects.create(task=first.task, args=first.args, kwargs=first.kwargs)
    send(third)  # a later step's notice: a new burst
    assert len(redis_broker.messages) == 1
    redis_broker.work()
    assert assigned([first, second]).count() == 2 and mails(mailoutbox, [first, second]) == 2
    assert not OutboxJob.objects.filter(pk__in=[first.pk, second.pk, third.pk], done_at=None).exists()


def test_a_publish_that_fails_after_the_key_was_set_deletes_the_key(two_arrivals, redis_broker, monkeypatch):
    from celery import Task

    from jobs import outbox
    from jobs.outbox import send

    deleted = []

    def delete(name):
        deleted.append(name)
        redis_broker.keys.discard(name)

    monkeypatch.setattr(outbox, "_burst_key_delete", delete)
    first, second = unsent(two_arrivals)
    with monkeypatch.context() as failing:

        def refused(*args, **kwargs):
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        failing.setattr(Task, "apply_async", refused)
        assert not send(first)  # left for the relay, as before
    assert deleted == [first.task] and not redis_broker.keys
    assert OutboxJob.objects.get(pk=first.pk).sent_at is None
    assert send(second)  # no burst pending: its own message, not a ride on a message that was never sent
    assert len(redis_broker.messages) == 1 and redis_broker.messages[0][3] == str(second.pk)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(db_connection.vendor != "postgresql", reason="row locks: PostgreSQL only")
def test_a_burst_whose_own_row_another_burst_holds_waits_for_it_and_takes_only_the_rest():
    """The own row and the others are taken in one statement that skips locked rows: when another burst holds the
    own row, this one waits for it alone (no deadlock), finds it done and takes only the others."""
    import threading

    from django.db import connections, transaction

    from jobs import outbox

    name = "notifications.tasks.notify_task_arrived_task"
    first, second = (OutboxJob.objects.create(task=name, args=[pk], sent_at=timezone.now()) for pk in (1, 2))
    holding, release = threading.Event(), threading.Event()

    def other_burst():  # holds the first job's row, then commits it done
        try:
            with transaction.atomic():
                OutboxJob.objects.select_for_update().get(pk=first.pk)
                OutboxJob.objects.filter(pk=first.pk).update(done_at=timezone.now())
                holding.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_burst)
    thread.start()
    assert holding.wait(10)
    threading.Timer(0.5, release.set).start()
    with outbox.burst(first.pk, first.task) as jobs:
        taken = [job.pk for job in jobs]
    thread.join(10)
    assert taken == [second.pk]  # the own row came done: not taken twice
    assert not OutboxJob.objects.filter(pk__in=[first.pk, second.pk], done_at=None).exists()


def test_a_burst_of_any_size_takes_the_same_statements(client, demo, mailoutbox):
    """The worker's statements for a burst do not grow with its jobs (one read of the jobs, of the tasks, of each
    kind of dossier, of the units, of the holders, of the digest takers; one insert of the notices; one update
    marking the jobs done): pinned, and the same for one job as for two."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    alone, first, second = _arrivals(client, ("Hoàng Thị Ánh", "Trần Văn Bình", "Lê Thị Cúc"))
    unsent([first, second])
    with CaptureQueriesContext(connection) as one:
        run([alone])
    assert assigned([alone, first, second]).count() == 1
    OutboxJob.objects.filter(pk__in=[first.pk, second.pk]).update(sent_at=timezone.now())
    with CaptureQueriesContext(connection) as two:
        run([first])
    assert assigned([alone, first, second]).count() == 3 and mails(mailoutbox, [alone, first, second]) == 3
    statements = [q["sql"].split(None, 1)[0] for q in two.captured_queries]
    assert len(two.captured_queries) == len(one.captured_queries) == 11, statements
