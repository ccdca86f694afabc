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
            wait_until(_all_done, 60, "the dossier's resume job done", alive=[worker])
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

            wait_until(all_made, 90, "documents, certificates and the outcome notice", alive=[worker])
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
