"""A Redis server and Celery workers of a test's own, for the fault tests (test_outbox_faults.py).

The Redis server is a child of the test (its own port, no persistence), so the test can stop and restart it
without touching the Redis of CI's own worker. Workers run ``celery -A config worker`` on the test database
(pytest-django's ``test_<name>``, committed with ``committed_db``) and on that Redis, each in its own process
group so that the whole worker (parent and pool child) can be SIGKILLed at once.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import redis
from celery import Celery
from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)


def wait_until(condition, timeout: float, what: str, alive=()) -> None:
    """Poll ``condition`` until it holds; fail after ``timeout`` s, or at once if a worker in ``alive`` died."""
    deadline = time.monotonic() + timeout
    while not condition():
        for worker in alive:
            assert worker.alive(), f"{worker.hostname} died while waiting for {what}"
        assert time.monotonic() < deadline, f"{what}: not within {timeout} s"
        time.sleep(0.2)


def worker_database_url() -> str:
    db = connection.settings_dict
    user, password = quote(db["USER"] or "", safe=""), quote(db["PASSWORD"] or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{auth}{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """``redis-server`` on a free port, started and stopped by the test (nothing saved: a stop loses the queue)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_connect_timeout=1)

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly"]
        command += ["no", "--dir", str(self.folder), "--logfile", str(self.folder / "redis.log")]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def answers():
            try:
                return self.client().ping()
            except redis.ConnectionError:
                assert self.process.poll() is None, f"redis-server exited, see {self.folder / 'redis.log'}"
                return False

        wait_until(answers, 10, "redis-server answering PING")

    def stop(self) -> None:
        """SHUTDOWN NOSAVE: Redis is gone with whatever it held, as after a crash of a server without persistence."""
        if self.process and self.process.poll() is None:
            try:
                self.client().shutdown(nosave=True)
            except redis.ConnectionError:
                pass
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def celery_client(broker_url: str) -> Celery:
    """A bare Celery client on ``broker_url`` for `control.ping` (celery prefers the CELERY_BROKER_URL environment
    variable to `broker_url`; it consults `broker_read_url`/`broker_write_url` first)."""
    client = Celery("outbox-faults", set_as_current=False)
    client.conf.broker_read_url = client.conf.broker_write_url = broker_url
    return client


@contextmanager
def app_on(broker_url: str):
    """The project's Celery app, in this process, publishes to ``broker_url`` (not inline)."""
    from config.celery import app

    saved = (app.conf.broker_read_url, app.conf.broker_write_url, app.conf.CELERY_TASK_ALWAYS_EAGER)
    app.conf.broker_read_url = app.conf.broker_write_url = broker_url
    app.conf.CELERY_TASK_ALWAYS_EAGER = False
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield app
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        app.conf.broker_read_url, app.conf.broker_write_url, app.conf.CELERY_TASK_ALWAYS_EAGER = saved
        app._pool = None
        app.amqp._producer_pool = None


class Worker:
    """One `celery worker` process group (one pool process), logging to a file."""

    def __init__(self, broker_url: str, storage: Path, log: Path, visibility_timeout: int = 300):
        self.hostname = f"outbox-{uuid.uuid4().hex[:12]}@{socket.gethostname()}"
        self.log = log
        env = {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout),
            "THIDUA_PRIVATE_STORAGE": str(storage),
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("CELERY_RESULT_BACKEND", None)  # nothing reads results here
        args = ["-c", "1", "-l", "info", "--without-gossip", "--without-mingle", "--hostname", self.hostname]
        command = [str(Path(sys.executable).with_name("celery")), "-A", "config", "worker", *args]
        with open(log, "ab") as out:
            out.write(f"$ {' '.join(command)}\n".encode())
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

    def tail(self, lines: int = 80) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else "(no log)"
        return f"---- {self.log.name} ({self.hostname}) ----\n" + "\n".join(text.splitlines()[-lines:])
