"""The outbox relay, run by celery beat (config/settings.py, CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .outbox import relay


@shared_task(ignore_result=True)
def relay_outbox_task() -> int:
    """Send again the background jobs still pending (jobs/outbox.py)."""
    return relay()
