"""Database helpers shared by tests."""

import importlib
import time

TABLE = "workflow_auditevent"
OUTBOX = "jobs_outboxjob"
# A job sent this long ago and still not done is one a test left behind on purpose (a worker killed, Redis stopped).
RECENT_SECONDS = 10
WAIT_SECONDS = 5
DEADLOCK = "40P01"


def flush_around(vendor):
    """SQL to run before and after a flush, in the flush's own transaction (the audit table is append-only)."""
    if vendor == "postgresql":
        return [f"ALTER TABLE {TABLE} DISABLE TRIGGER USER"], [f"ALTER TABLE {TABLE} ENABLE TRIGGER USER"]
    triggers = importlib.import_module("workflow.migrations.0002_auditevent_append_only")
    return triggers.BACKWARDS.get(vendor, []), triggers.FORWARDS.get(vendor, [])


def wait_for_live_jobs(connection, broker_url):
    """Before a flush, let the live worker finish the jobs the test just sent (at most ``WAIT_SECONDS``).

    A step's notice job runs half a second after the step (the burst window): with a live worker it would run
    during the flush that follows the test, against tables being truncated (a deadlock: the job holds one table
    and waits for another the flush holds), or against the next test's rows, whose ids are the same."""
    if connection.vendor != "postgresql" or not broker_url:
        return
    with connection.cursor() as cursor:  # a test that migrated ``jobs`` backwards has no outbox to wait for
        cursor.execute(f"SELECT to_regclass('{OUTBOX}') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return
    deadline = time.monotonic() + WAIT_SECONDS
    sql = (
        f"SELECT EXISTS (SELECT 1 FROM {OUTBOX} WHERE done_at IS NULL AND sent_at IS NOT NULL"
        f" AND sent_at > now() - interval '{RECENT_SECONDS} seconds')"
    )
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            if not cursor.fetchone()[0]:
                return
        time.sleep(0.05)


def is_deadlock(exc):
    """True when PostgreSQL broke a deadlock by cancelling this statement (psycopg's error is the cause)."""
    return getattr(exc.__cause__, "sqlstate", None) == DEADLOCK
