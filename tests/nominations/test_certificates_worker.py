"""200 certificates through a real Celery worker on Redis, with the worker SIGKILLed mid-batch.

What this proves (issue 5, "Must show"; perf-reliability R5):

* the task is acknowledged late: the killed worker leaves its message unacknowledged in Redis;
* Redis redelivers it once the visibility timeout has passed, to a freshly started worker;
* the service is idempotent: the second run only makes what is missing, so each awardee ends with exactly one
  certificate, a real PDF, with its own verification code.

How the redelivery happens (kombu 5.5, ``kombu/transport/redis.py``): a delivered message is kept in the
``unacked`` hash and the ``unacked_index`` sorted set (score = delivery time) until acked. Killing the whole
worker (parent included) means nobody rejects or restores it: ``reject_on_worker_lost`` only helps when a pool
child dies under a living parent, and ``restore_unacked`` only runs at a *warm* shutdown. The message comes back
only through ``QoS.restore_visible``, which any consumer runs at start-up (``on_poll_init``) and then every
~100 s, and which restores only messages older than ``visibility_timeout`` (default 3600 s). So the test gives
its workers a 5 s visibility timeout and starts the second worker once the message is older than that.

Isolation: the workers use their own queue and their own Redis database (restoring "visible" messages is per
Redis database, not per queue, so a short visibility timeout on a shared database could re-queue the CI worker's
in-flight tasks), and store files under ``tmp_path``. The CI worker is not involved.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection
from django.db.models import Count

from nominations.models import Certificate
from nominations.tasks import generate_certificates_task

from .decision_factory import build_signed_decision

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(os.environ.get("THIDUA_CELERY_WORKER") != "1", reason="needs a live worker (make test-pg)"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker must share a real database"),
    pytest.mark.skipif(not settings.CELERY_BROKER_URL, reason="needs CELERY_BROKER_URL (Redis)"),
]

AWARDEES = 200
VISIBILITY_TIMEOUT = 5  # seconds; passed to the workers as CELERY_VISIBILITY_TIMEOUT
REDIS_DB = 14  # this test's own broker database on the configured Redis server
BASE_DIR = Path(settings.BASE_DIR)


def _test_database_url() -> str:
    db = connection.settings_dict
    user, password = quote(db["USER"] or "", safe=""), quote(db["PASSWORD"] or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{auth}{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


def _own_broker_url() -> str:
    return urlsplit(settings.CELERY_BROKER_URL)._replace(path=f"/{REDIS_DB}").geturl()


def _client(broker_url: str) -> Celery:
    """A Celery client on this test's broker database, for `control.ping` and sending.

    Not the project app with `connection=`: its pidbox publishes through the app's own producer pool, and kombu
    prefixes fanout channels with the database number. And not `Celery(broker=...)`: celery prefers the
    CELERY_BROKER_URL environment variable to `broker_url`; it consults `broker_read_url`/`broker_write_url` first.
    """
    client = Celery("certs-test", set_as_current=False)
    client.conf.broker_read_url = client.conf.broker_write_url = broker_url
    return client


class Worker:
    """One `celery worker` process group on ``queue``, logging to a file."""

    def __init__(self, queue: str, broker_url: str, storage: Path, log: Path):
        self.hostname = f"certs-{uuid.uuid4().hex[:12]}@{socket.gethostname()}"
        self.log = log
        env = {
            **os.environ,
            "DATABASE_URL": _test_database_url(),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "THIDUA_PRIVATE_STORAGE": str(storage),
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("CELERY_RESULT_BACKEND", None)  # nothing reads results here
        args = ["-Q", queue, "-c", "1", "-l", "info", "--without-gossip", "--without-mingle"]
        args += ["--hostname", self.hostname]
        command = [str(Path(sys.executable).with_name("celery")), "-A", "config", "worker", *args]
        shown = " ".join(command)
        with open(log, "ab") as out:
            out.write(f"$ {shown}\n".encode())
            out.flush()
            self.process = subprocess.Popen(
                command, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, client: Celery, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.alive(), f"worker {self.hostname} exited during start-up"
            if client.control.ping(destination=[self.hostname], timeout=0.5):
                return
        raise AssertionError(f"worker {self.hostname} did not answer ping within {timeout} s")

    def _signal_group(self, signum: int) -> None:
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        """SIGKILL the whole group: the parent and its pool child die at once, nothing gets acked or restored."""
        self._signal_group(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        """Warm shutdown, then SIGKILL the group (also any pool child that outlived its parent)."""
        if self.alive():
            self._signal_group(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                pass
        self.kill()


def _unacked(r: redis.Redis, task_id: str):
    """(delivery tag, delivery time) of the task's unacknowledged message, or None."""
    for tag, payload in r.hgetall("unacked").items():
        if task_id.encode() in payload:
            return tag, r.zscore("unacked_index", tag)
    return None


def _tail(path: Path, lines: int = 80) -> str:
    text = path.read_text(errors="replace") if path.exists() else "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def test_killed_worker_still_gives_one_certificate_per_awardee(committed_db, tmp_path):
    decision = build_signed_decision(AWARDEES)
    made = Certificate.objects.filter(item__decision=decision, generated_at__isnull=False)
    queue = f"certs-{uuid.uuid4().hex[:12]}"
    storage = tmp_path / "private"
    broker_url = _own_broker_url()
    r = redis.Redis.from_url(broker_url)
    client = _client(broker_url)
    workers: list[Worker] = []
    task_id = None
    started = time.monotonic()
    try:
        with client.connection_for_write() as broker:
            first = Worker(queue, broker_url, storage, tmp_path / "worker-1.log")
            workers.append(first)
            first.wait_ready(client)
            task_id = generate_certificates_task.apply_async(args=[decision.pk], queue=queue, connection=broker).id

            # Kill as soon as the first batch of 20 is committed: the second batch is then being rendered.
            deadline = time.monotonic() + 60
            while not made.exists():
                assert first.alive(), "the first worker died on its own"
                assert time.monotonic() < deadline, "no certificate made within 60 s"
                time.sleep(0.05)
            first.kill()
            partial = made.count()
            assert 0 < partial < AWARDEES, f"the batch was not interrupted ({partial} made before the kill)"
            unacked = _unacked(r, task_id)
            assert unacked, "the killed worker left no unacknowledged message: was the task acked early?"

            # Redis hands the message out again only once it is older than the visibility timeout;
            # a worker restores such messages when it starts.
            _, delivered_at = unacked
            time.sleep(max(0.0, delivered_at + VISIBILITY_TIMEOUT + 0.5 - time.time()))
            second = Worker(queue, broker_url, storage, tmp_path / "worker-2.log")
            workers.append(second)
            second.wait_ready(client)

            deadline = time.monotonic() + 150  # a missed start-up restore is retried by kombu after ~100 s
            while made.count() < AWARDEES or _unacked(r, task_id):
                assert second.alive(), "the second worker died"
                assert time.monotonic() < deadline, (
                    f"only {made.count()} of {AWARDEES} certificates after 150 s; message still unacked: "
                    f"{bool(_unacked(r, task_id))} (not redelivered? the workers' visibility timeout must be "
                    f"CELERY_VISIBILITY_TIMEOUT={VISIBILITY_TIMEOUT})"
                )
                time.sleep(0.2)
            print(
                f"\n{partial} certificates before the kill, {AWARDEES} in all, "
                f"{time.monotonic() - started:.1f} s with the redelivery wait"
            )

        certificates = list(Certificate.objects.filter(item__decision=decision))
        assert len(certificates) == AWARDEES
        per_item = Certificate.objects.filter(item__decision=decision).values("item").annotate(c=Count("pk"))
        assert not per_item.filter(c__gt=1), "an awardee has more than one certificate"
        assert {c.item_id for c in certificates} == set(decision.items.values_list("pk", flat=True))
        assert all(c.generated_at for c in certificates)
        for certificate in certificates:
            assert certificate.pdf.name, f"certificate {certificate.pk} has no file"
            content = (storage / certificate.pdf.name).read_bytes()
            assert content.startswith(b"%PDF"), f"{certificate.pdf.name} is not a PDF"
        assert len({c.code for c in certificates}) == AWARDEES
    except BaseException:
        for worker in workers:
            print(f"\n---- {worker.log.name} ({worker.hostname}), last 80 lines ----\n{_tail(worker.log)}")
        raise
    finally:
        for worker in workers:
            worker.stop()
        # Leave nothing behind for a later worker on this database to restore: the queue's keys and, after a
        # failure, the task's unacknowledged message.
        for key in r.scan_iter(f"*{queue}*"):
            r.delete(key)
        while task_id and (left := _unacked(r, task_id)):
            r.hdel("unacked", left[0])
            r.zrem("unacked_index", left[0])
        r.close()
        client.close()
