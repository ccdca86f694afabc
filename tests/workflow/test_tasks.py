"""Celery tasks, inline and through a live worker."""

import os

import pytest
from django.conf import settings

from workflow.tasks import fire_workflow_timers


def test_timer_task_runs_inline(db, celery_inline):
    result = fire_workflow_timers.delay().get(timeout=5)
    assert result == {"timers": 0, "start_timers": 0, "conditions": 0}


@pytest.mark.celery_worker
@pytest.mark.skipif(os.environ.get("THIDUA_CELERY_WORKER") != "1", reason="needs a live worker (make test-pg)")
def test_timer_task_runs_on_the_live_worker(committed_db):
    assert not settings.CELERY_TASK_ALWAYS_EAGER  # really through the broker
    async_result = fire_workflow_timers.delay()
    # Not inside a task: the fault tests' in-process workers leave Celery's "join would block" flag set in this
    # process when they run first (random order), which makes a plain get() refuse.
    assert async_result.get(timeout=30, disable_sync_subtasks=False) == {
        "timers": 0,
        "start_timers": 0,
        "conditions": 0,
    }
    assert async_result.state == "SUCCESS"
