"""Background work of the workflow app. Tasks are thin: they call services."""

from celery import shared_task


@shared_task(ignore_result=False)
def fire_workflow_timers() -> dict:
    """Fire viewflow timers that are due (open-source viewflow ships no Celery task for this)."""
    from viewflow.workflow.timers import fire_due_conditions, fire_due_start_timers, fire_due_timers

    return {"timers": fire_due_timers(), "start_timers": fire_due_start_timers(), "conditions": fire_due_conditions()}
