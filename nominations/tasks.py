"""Background work of the domain. Tasks take ids, and the services they call are idempotent.

They are sent through the outbox (jobs/outbox.py, base=OutboxTask), so a job may arrive more than once: a
redelivered or re-sent job finds its work made and makes nothing twice. Retry back-off stays under the broker's
visibility timeout (config/settings.py), or a waiting retry would be handed out a second time.
"""

from celery import shared_task

from jobs.outbox import OutboxTask

RETRY = {
    "base": OutboxTask,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 120,
}


@shared_task(max_retries=3, **RETRY)
def generate_decision_documents_task(decision_id: int) -> int:
    # The services enqueue these tasks (a circle), and the document libraries load only in the worker.
    from nominations.services.decision_documents import decision_documents_generate

    return decision_documents_generate(decision_id).pk


@shared_task(max_retries=3, **RETRY)
def generate_revocation_documents_task(decision_id: int) -> int:
    # The services import this module to queue it: loaded when the job runs, as the tasks above.
    from nominations.services.revocation_documents import revocation_documents_generate

    return revocation_documents_generate(decision_id).pk


@shared_task(max_retries=3, **RETRY)
def generate_certificates_task(decision_id: int) -> int:
    # The services enqueue these tasks (a circle), and the document libraries load only in the worker.
    from nominations.services.decision_documents import certificates_generate

    return certificates_generate(decision_id)


@shared_task(max_retries=5, **RETRY)
def notify_outcome_task(submission_id: int) -> bool:
    # The services enqueue these tasks (a circle), and the document libraries load only in the worker.
    from nominations.services.notices import notify_outcome

    return notify_outcome(submission_id)


@shared_task(max_retries=5, **RETRY)
def notify_revocation_task(decision_id: int) -> bool:
    # The services enqueue these tasks (a circle), and the document libraries load only in the worker.
    from nominations.services.notices import notify_revocation

    return notify_revocation(decision_id)


@shared_task(ignore_result=True)
def close_due_campaigns_task() -> list[int]:
    """Celery beat: close the launched campaigns whose nomination deadline has passed (idempotent)."""
    # The services import this module to queue its tasks: loaded when the job runs, as the tasks above.
    from nominations.services.campaigns import close_due_campaigns

    return close_due_campaigns()


@shared_task(max_retries=5, **RETRY)
def deliver_reminder_task(event_id: int, campaign_id: int, unit_id: int, message: str) -> int:
    """The standing body's reminder (đôn đốc) to a unit's clerks and heads: in the app and by e-mail, once each."""
    # The service enqueues this task (a circle): loaded when the job runs, as the tasks above.
    from nominations.services.reminders import reminder_deliver

    return reminder_deliver(event_id=event_id, campaign_id=campaign_id, unit_id=unit_id, message=message)
