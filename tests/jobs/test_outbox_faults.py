"""No lost work when Redis or a worker dies: a real Redis, stopped and restarted, and real workers, one SIGKILLed.

* Redis down at the last ballot and at the signature: each request answers (302) and commits; its jobs wait in
  the outbox; once Redis is back the relay sends them, and every dossier moves on, the documents, the
  certificates and the outcome notice are made exactly once.
* A worker SIGKILLed in the middle of a certificate batch: the job comes back both ways it can (the broker's
  visibility timeout, and the relay re-sending a job not done), and each awardee still has exactly one
  certificate.

How a killed worker's message comes back (kombu 5.5, ``kombu/transport/redis.py``): a delivered message stays
in the ``unacked`` hash and the ``unacked_index`` sorted set (score = delivery time) until acknowledged (the
tasks are acknowledged late). Killing the whole worker means nobody rejects or restores it:
``reject_on_worker_lost`` only helps when a pool child dies under a living parent, and ``restore_unacked`` only
runs at a warm shutdown. It comes back through ``QoS.restore_visible``, which a consumer runs at start-up and
then every ~100 s, for messages older than ``visibility_timeout`` (300 s in production, 5 s here).

Everything runs on this test's own Redis server and workers (tests/jobs/live.py); CI's worker is not involved.
"""

import os
import shutil
import time

import pytest
from django.db import connection, transaction
from django.db.models import Count

from jobs.models import OutboxJob
from jobs.outbox import enqueue, relay
from nominations.models import Certificate, CouncilSession, Decision, Submission
from nominations.tasks import generate_certificates_task
from workflow import audit
from workflow.models import AuditEvent

from ..nominations.decision_factory import build_signed_decision
from . import scenario
from .live import RedisServer, Worker, app_on, celery_client, wait_until

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.postgres,
    pytest.mark.skipif(os.environ.get("THIDUA_CELERY_WORKER") != "1", reason="needs live workers (make test-pg)"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the workers must share a real database"),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
]


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def workers(redis_server, tmp_path):
    """Start workers with ``workers.start()``; all are stopped at the end, their logs shown on failure."""

    class Workers(list):
        client = celery_client(redis_server.url)

        def start(self, **options):
            worker = Worker(redis_server.url, tmp_path / "private", tmp_path / f"worker-{len(self)}.log", **options)
            self.append(worker)
            worker.wait_ready(self.client)
            return worker

    started = Workers()
    yield started
    for worker in started:
        worker.stop()
    started.client.close()


def _all_done():
    return not OutboxJob.objects.filter(done_at=None).exists()


def _with_the_relay(condition):
    """``condition``, polled while the relay runs as celery beat runs it (here at every poll, not every minute):
    the notices of a burst lost with Redis are sent again by it (jobs.outbox.burst_resend_after)."""

    def check():
        relay()
        return condition()

    return check


def test_redis_down_at_the_last_ballot_and_at_the_signature(committed_demo, client, redis_server, workers):
    users = scenario.users()
    with app_on(redis_server.url):
        try:
            worker = workers.start()
            process, noms, session, last = scenario.before_the_last_ballot(client, users)

            redis_server.stop()
            scenario.cast_the_last_ballot(client, session, last)  # asserts the 302
            session.artifact.refresh_from_db()
            assert session.artifact.status == CouncilSession.Status.CLOSED
            assert scenario.waiting_for_the_council(process)
            # Not the earlier tasks' notification jobs, which the worker may still be running.
            resume = OutboxJob.objects.get(done_at=None, task="workflow.tasks.resume_dossiers_task")
            assert resume.sent_at is None and resume.last_error

            redis_server.start()  # empty: whatever it held is lost
            # The resume and, since issue 17, the council's result for the units: both were left for the relay.
            assert relay(unsent_after=0) == 2
            wait_until(_with_the_relay(_all_done), 60, "the dossier's resume job done", alive=[worker])
            assert scenario.waiting_for_the_decision(process)

            decision_process = scenario.draft(client, users, noms)
            redis_server.stop()
            assert scenario.sign(client, users, decision_process).status_code == 302
            decision = decision_process.artifact
            decision.refresh_from_db()
            assert decision.status == Decision.Status.SIGNED and decision.number
            assert OutboxJob.objects.filter(done_at=None, sent_at=None).count() == 4

            redis_server.start()
            assert relay(unsent_after=0) == 4
            submission = process.artifact

            def all_made():
                submission.refresh_from_db()
                return scenario.decision_made(decision) and submission.notified_at is not None and _all_done()

            wait_until(_with_the_relay(all_made), 90, "documents, certificates and the outcome notice", alive=[worker])
        except BaseException:
            for w in workers:
                print(w.tail())
            raise

    assert scenario.finished(process) and scenario.awarded(noms)
    assert submission.status == Submission.Status.DECIDED
    per_item = Certificate.objects.filter(item__decision=decision).values("item").annotate(c=Count("pk"))
    assert sorted(row["c"] for row in per_item) == [1] * len(noms)
    notices = AuditEvent.objects.filter(event_type=audit.SUBMISSION_NOTIFIED, scope=f"submission:{submission.pk}")
    assert notices.count() == 1
    assert AuditEvent.objects.filter(event_type=audit.DECISION_DOCUMENTS).count() == 1


def _unacked(r, task_id: str):
    """Delivery time of the task's unacknowledged message, or None."""
    for tag, payload in r.hgetall("unacked").items():
        if task_id.encode() in payload:
            return r.zscore("unacked_index", tag)
    return None


AWARDEES = 60  # three batches of 20: the kill lands in the second
VISIBILITY_TIMEOUT = 5


def test_a_worker_killed_mid_batch_still_gives_one_certificate_per_awardee(
    committed_db, redis_server, workers, tmp_path
):
    decision = build_signed_decision(AWARDEES)
    made = Certificate.objects.filter(item__decision=decision, generated_at__isnull=False)
    r = redis_server.client()
    with app_on(redis_server.url):
        try:
            first = workers.start(visibility_timeout=VISIBILITY_TIMEOUT)
            with transaction.atomic():
                job = enqueue(generate_certificates_task, decision.pk)
            job.refresh_from_db()
            assert job.sent_at is not None

            # Killed as soon as the first batch of 20 is committed: the second batch is being rendered.
            wait_until(made.exists, 60, "a first batch of certificates", alive=[first])
            first.kill()
            before = made.count()
            assert 0 < before < AWARDEES, f"the batch was not interrupted ({before} made before the kill)"
            delivered_at = _unacked(r, str(job.pk))
            assert delivered_at, "the killed worker left no unacknowledged message: was the task acked early?"
            job.refresh_from_db()
            assert job.done_at is None

            # Both ways back: the broker hands the message out again once it is older than the visibility
            # timeout (a starting worker restores such messages), and the relay sends the job again.
            time.sleep(max(0.0, delivered_at + VISIBILITY_TIMEOUT + 0.5 - time.time()))
            second = workers.start(visibility_timeout=VISIBILITY_TIMEOUT)
            assert relay(resend_after=0) == 1

            def finished():
                job.refresh_from_db()
                return made.count() == AWARDEES and job.done_at and not r.hlen("unacked") and not r.llen("celery")

            wait_until(finished, 120, f"{AWARDEES} certificates, the job done, no message left", alive=[second])
        except BaseException:
            for w in workers:
                print(w.tail())
            raise

    certificates = list(Certificate.objects.filter(item__decision=decision))
    assert len(certificates) == AWARDEES
    assert {c.item_id for c in certificates} == set(decision.items.values_list("pk", flat=True))
    assert len({c.code for c in certificates}) == AWARDEES
    storage = tmp_path / "private"
    for certificate in certificates:
        assert (storage / certificate.pdf.name).read_bytes().startswith(b"%PDF"), certificate.pdf.name
    assert job.attempts == 2  # sent after commit, then once by the relay


# --- Bursts of notices (jobs.outbox, THIDUA_OUTBOX_BURST_WINDOW): an expired burst loses and doubles nothing ---


TASKS = 3  # the demo's open tasks with holders (the clerks' prepare tasks)


def _open_tasks_with_holders(count: int):
    """``count`` open human tasks of the demo that have holders, their earlier "task arrived" notices removed."""
    from viewflow.workflow.models import Task

    from notifications.alerts import OPEN
    from notifications.models import Notification
    from notifications.recipients import holders_of_tasks

    tasks = list(Task.objects.select_related("process", "owner").filter(status__in=OPEN).order_by("pk"))
    holders = holders_of_tasks(tasks)
    chosen = [task for task in tasks if holders.get(task.pk)][:count]
    assert len(chosen) == count, "the demo has too few open tasks with holders"
    Notification.objects.filter(dedup_key__regex=r"^task:\d+:").delete()
    return {task.pk: {user.pk for user in holders[task.pk]} for task in chosen}


def _burst_of_notices(task_ids):
    """The notices of ``task_ids`` recorded in one transaction: on commit the first opens a burst, the rest ride."""
    from notifications.tasks import notify_task_arrived_task

    with transaction.atomic():
        jobs = [enqueue(notify_task_arrived_task, pk) for pk in task_ids]
    return OutboxJob.objects.filter(pk__in=[job.pk for job in jobs])


def _told_once(expected: dict, workers) -> None:
    """Every holder of every task has exactly one notice, and was mailed once (the workers' console mail)."""
    from notifications.models import Notification

    for task_pk, users in expected.items():
        notes = Notification.objects.filter(dedup_key__startswith=f"task:{task_pk}:")
        assert sorted(notes.values_list("user_id", flat=True)) == sorted(users), task_pk
    urls = set(Notification.objects.filter(dedup_key__regex=r"^task:\d+:").values_list("url", flat=True))
    mailed = Notification.objects.filter(dedup_key__regex=r"^task:\d+:", emailed_at__isnull=False).count()
    logs = "".join(w.log.read_text(errors="replace") for w in workers)
    sent = sum(logs.count(f"Xem chi tiết: {url}\n") + logs.count(f"Xem chi tiết: http://127.0.0.1:8000{url}\n")
               for url in urls)  # fmt: skip
    assert mailed and sent == mailed, f"{sent} mails for {mailed} notices"


@pytest.fixture
def short_bursts(monkeypatch):
    """A burst window and key life of a few seconds in this process (the sender and the relay)."""
    from jobs import outbox

    monkeypatch.setattr(outbox, "BURST_WINDOW", 2.0)
    monkeypatch.setattr(outbox, "BURST_KEY_TTL", 3)
    monkeypatch.setattr(outbox, "BURST_GRACE", 1)
    return outbox


def test_redis_lost_mid_burst_the_relay_resends_its_jobs_at_once_and_each_is_told_once(
    committed_demo, redis_server, workers, short_bursts
):
    expected = _open_tasks_with_holders(TASKS)
    r = redis_server.client()
    with app_on(redis_server.url):
        try:
            jobs = _burst_of_notices(expected)
            assert jobs.filter(sent_at__isnull=False).count() == TASKS  # all handed over: one message, the others ride
            assert r.llen("workflow") == 1  # one message for them all
            assert r.exists(short_bursts._burst_key("notifications.tasks.notify_task_arrived_task"))
            redis_server.stop()  # within the window: the burst's message and key are lost
            redis_server.start()
            worker = workers.start()
            assert not jobs.filter(done_at__isnull=False).exists()
            assert relay() == 0  # not yet: the burst might only be late
            time.sleep(short_bursts.burst_resend_after() + 0.2)
            assert relay() == TASKS  # every job of the expired burst, without waiting THIDUA_OUTBOX_RESEND_AFTER
            wait_until(lambda: not jobs.filter(done_at=None).exists(), 60, "the burst's jobs done", alive=[worker])
            time.sleep(1)  # any message left runs and finds its job done
            wait_until(lambda: not r.llen("workflow") and not r.hlen("unacked"), 30, "the queue empty", alive=[worker])
        except BaseException:
            for w in workers:
                print(w.tail())
            raise
    _told_once(expected, workers)


def test_a_worker_killed_mid_burst_the_relay_resends_its_jobs_and_each_is_told_once(
    committed_demo, redis_server, workers, short_bursts
):
    """The worker dies inside the burst's transaction: the rows locked, the key deleted, the notices being
    written (held here by an uncommitted notice with one of their keys), the message unacknowledged."""
    import threading

    from notifications.models import Notification

    expected = _open_tasks_with_holders(TASKS)
    last = max(expected)
    blocker_key = f"task:{last}:{min(expected[last])}"
    r = redis_server.client()
    held, release = threading.Event(), threading.Event()

    def hold_a_key():
        try:
            with transaction.atomic():
                Notification.objects.create(user_id=min(expected[last]), kind=Notification.Kind.ASSIGNED,
                                            title="x", body="x", url="/", dedup_key=blocker_key)  # fmt: skip
                held.set()
                release.wait(60)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        finally:
            connection.close()

    def blocked_inserting():
        with connection.cursor() as cursor:
            cursor.execute(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
                "and query like 'INSERT INTO \"notifications_notification\"%%'"
            )
            return cursor.fetchone()[0] > 0

    holder = threading.Thread(target=hold_a_key)
    holder.start()
    with app_on(redis_server.url):
        try:
            assert held.wait(10)
            worker = workers.start(visibility_timeout=VISIBILITY_TIMEOUT)
            jobs = _burst_of_notices(expected)
            wait_until(blocked_inserting, 30, "the burst writing its notices", alive=[worker])
            worker.kill()
            delivered_at = max(score for _tag, score in r.zrange("unacked_index", 0, -1, withscores=True))
            assert not r.exists(short_bursts._burst_key("notifications.tasks.notify_task_arrived_task"))
            release.set()
            holder.join(10)

            def unlocked():  # the dead worker's transaction rolled back once PostgreSQL found its connection gone
                with transaction.atomic():
                    return len(jobs.select_for_update(skip_locked=True)) == TASKS

            wait_until(unlocked, 30, "the killed burst's rows unlocked")
            assert not jobs.filter(done_at__isnull=False).exists()
            assert not Notification.objects.filter(dedup_key__regex=r"^task:\d+:").exists()
            time.sleep(short_bursts.burst_resend_after() + 0.2)
            assert relay() == TASKS  # at once, not after THIDUA_OUTBOX_RESEND_AFTER nor the visibility timeout
            # A worker started now also gets the killed worker's message back (older than the visibility timeout).
            time.sleep(max(0.0, delivered_at + VISIBILITY_TIMEOUT + 0.5 - time.time()))
            second = workers.start(visibility_timeout=VISIBILITY_TIMEOUT)
            wait_until(lambda: not jobs.filter(done_at=None).exists(), 60, "the burst's jobs done", alive=[second])
            # The killed worker's message comes back after the visibility timeout and finds its job done.
            wait_until(lambda: not r.hlen("unacked") and not r.llen("workflow"), 150, "no message left", alive=[second])
        except BaseException:
            release.set()
            for w in workers:
                print(w.tail())
            raise
    _told_once(expected, workers)
