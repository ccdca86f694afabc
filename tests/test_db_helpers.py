"""The flush's wait for a live worker (tests/db_helpers.py): it waits for jobs just sent, not for jobs a fault test
left behind on purpose, and never fails where there is no outbox table."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobs.models import OutboxJob

from . import db_helpers

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the wait runs on PostgreSQL only")
BROKER = "redis://127.0.0.1:1/0"  # only its presence matters: nothing is sent


def _polls(monkeypatch, wait=0.2):
    monkeypatch.setattr(db_helpers, "WAIT_SECONDS", wait)
    with CaptureQueriesContext(connection) as queries:
        db_helpers.wait_for_live_jobs(connection, BROKER)
    return sum("done_at IS NULL" in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db
def test_a_job_just_sent_and_not_done_is_waited_for(monkeypatch):
    OutboxJob.objects.create(task="notifications.tasks.notify_task_arrived_task", sent_at=timezone.now())
    assert _polls(monkeypatch) > 1


@pytest.mark.django_db
def test_a_job_left_behind_long_ago_or_never_sent_is_not_waited_for(monkeypatch):
    long_ago = timezone.now() - datetime.timedelta(seconds=db_helpers.RECENT_SECONDS + 60)
    OutboxJob.objects.create(task="notifications.tasks.notify_task_arrived_task", sent_at=long_ago)
    OutboxJob.objects.create(task="notifications.tasks.notify_task_arrived_task")  # Redis was down: never sent
    assert _polls(monkeypatch) == 1


@pytest.mark.django_db
def test_no_wait_without_a_broker_or_an_outbox_table(monkeypatch):
    OutboxJob.objects.create(task="notifications.tasks.notify_task_arrived_task", sent_at=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        db_helpers.wait_for_live_jobs(connection, "")
    assert not queries.captured_queries
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute(f"ALTER TABLE {db_helpers.OUTBOX} RENAME TO jobs_outboxjob_elsewhere")
    assert _polls(monkeypatch) == 0
