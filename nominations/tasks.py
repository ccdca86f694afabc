"""Background work of the domain. Tasks take ids, and the services they call are idempotent."""

from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(Exception,), max_retries=3, retry_backoff=True)
def generate_decision_documents_task(decision_id: int) -> int:
    from nominations.services.decision_documents import decision_documents_generate

    return decision_documents_generate(decision_id).pk


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(Exception,), max_retries=3, retry_backoff=True)
def generate_certificates_task(decision_id: int) -> int:
    from nominations.services.decision_documents import certificates_generate

    return certificates_generate(decision_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(Exception,), max_retries=5, retry_backoff=True)
def notify_outcome_task(submission_id: int) -> bool:
    from nominations.services.notices import notify_outcome

    return notify_outcome(submission_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(Exception,), max_retries=5, retry_backoff=True)
def notify_revocation_task(decision_id: int) -> bool:
    from nominations.services.notices import notify_revocation

    return notify_revocation(decision_id)
