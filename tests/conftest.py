import datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, connection

from workflow import counters
from workflow.demo import load_demo

from .db_helpers import flush_around, is_deadlock, wait_for_live_jobs


@pytest.fixture
def demo(db):
    """The demo data set, loaded through the same code as `make run`."""
    return load_demo()


@pytest.fixture
def today():
    return datetime.date.today()


@pytest.fixture(scope="session", autouse=True)
def audit_flushable():
    """Let every transactional test's final flush empty the append-only audit table.

    Session-wide because pytest-django orders its own fixtures (live_server's
    transactional_db) before a test's: a per-test patch would be gone by the flush.
    Only the test run's flush is let through; production's stays refused.

    With a live worker (make test-pg), the flush first waits for the jobs the test sent, and is tried again if
    PostgreSQL still picks it as a deadlock's victim (the whole flush is one transaction: nothing half-done).
    """
    ops_class = type(connection.ops)
    original = ops_class.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        wait_for_live_jobs(self.connection, settings.CELERY_BROKER_URL)
        before, after = flush_around(self.connection.vendor)
        for attempt in range(3):
            try:
                return original(self, [*before, *sql_list, *after])
            except OperationalError as exc:
                if attempt == 2 or not is_deadlock(exc):
                    raise

    ops_class.execute_sql_flush = execute_sql_flush
    yield
    ops_class.execute_sql_flush = original


@pytest.fixture
def committed_db(transactional_db):
    """Real commits (several connections, a live worker or server see the rows)."""


@pytest.fixture
def committed_demo(committed_db):
    """The demo, committed for real: for tests with several connections or a live worker."""
    return load_demo()


@pytest.fixture
def celery_inline():
    """Run Celery tasks in this process even when a broker is configured (the test's rows are not committed)."""
    from config.celery import app

    # The app reads Django settings under the CELERY_ namespace: set the key as it is read.
    old = app.conf.CELERY_TASK_ALWAYS_EAGER
    app.conf.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.CELERY_TASK_ALWAYS_EAGER = old


@pytest.fixture(autouse=True)
def fresh_counters(monkeypatch):
    """Each test starts with no cached counter (workflow.counters): ids repeat from one test's database to the
    next, a count cached by one test must not show in another."""
    cache.clear()
    # A count stays cached for the whole test unless the test moves it: a few seconds is shorter than a loaded
    # box's pause between two requests of a test, and a statement pin would then depend on the clock.
    monkeypatch.setattr(counters, "TTL", 3600)
    yield
