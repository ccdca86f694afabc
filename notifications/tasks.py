"""Background jobs of notifications; sent through the outbox, idempotent by their keys."""

from celery import shared_task

from nominations.tasks import RETRY


# burst=True: one message per burst of steps (jobs.outbox._handed_to_burst), whose run tells them all.
@shared_task(bind=True, max_retries=5, burst=True, **RETRY)
def notify_task_arrived_task(self, task_id: int) -> int:
    """Tell the holders of task ``task_id``, and of the other tasks whose notice is pending (a burst of steps:
    the worker pays once for them all; jobs.outbox.burst)."""
    from jobs.outbox import burst

    from .alerts import task_arrived, tasks_arrived

    with burst(self.request.id, self.name) as jobs:
        if jobs is None:
            return task_arrived(task_id)
        return tasks_arrived([job.args[0] for job in jobs]) if jobs else 0


@shared_task
def send_reminders_task() -> int:
    from .alerts import send_reminders

    return send_reminders()


@shared_task
def send_digests_task() -> int:
    from .alerts import send_digests

    return send_digests()


@shared_task(max_retries=5, **RETRY)
def notify_campaign_launched_task(campaign_id: int) -> int:
    from .announcements import campaign_launched

    return campaign_launched(campaign_id)


@shared_task(max_retries=5, **RETRY)
def notify_council_result_task(session_id: int) -> int:
    from .results import council_result_to_units

    return council_result_to_units(session_id)
