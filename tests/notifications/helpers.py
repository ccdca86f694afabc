"""Driving a dossier while keeping the notification jobs it sends, to run them (twice) by hand."""

import datetime
import zoneinfo
from contextlib import contextmanager

from django.test import TestCase

from config.celery import app
from jobs.outbox import send
from notifications.tasks import notify_task_arrived_task
from tests.workflow.helpers import sent_jobs

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: datetime.date, hour: int = 9):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=HANOI)


@contextmanager
def arrival_jobs():
    """Yields a list filled, when the block ends, with the "task arrived" jobs its requests recorded."""
    jobs = []
    with TestCase.captureOnCommitCallbacks() as callbacks:
        yield jobs
    jobs.extend(sent_jobs(callbacks, notify_task_arrived_task))


def run(jobs, times=1):
    """Send each job ``times`` times, inline (a redelivered job runs its task again)."""
    old = app.conf.CELERY_TASK_ALWAYS_EAGER
    app.conf.CELERY_TASK_ALWAYS_EAGER = True
    try:
        for _ in range(times):
            for job in jobs:
                send(job)
    finally:
        app.conf.CELERY_TASK_ALWAYS_EAGER = old
