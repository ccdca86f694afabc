"""Background work of the workflow app. Tasks are thin: they call services."""

import logging

from celery import shared_task

from jobs.outbox import OutboxTask, enqueue
from workflow import audit_anchors

logger = logging.getLogger(__name__)


@shared_task(ignore_result=False)
def fire_workflow_timers() -> dict:
    """Fire viewflow timers that are due (open-source viewflow ships no Celery task for this)."""
    from viewflow.workflow.timers import fire_due_conditions, fire_due_start_timers, fire_due_timers

    return {"timers": fire_due_timers(), "start_timers": fire_due_start_timers(), "conditions": fire_due_conditions()}


@shared_task(bind=True, base=OutboxTask, acks_late=True, reject_on_worker_lost=True, max_retries=5)
def resume_dossiers_task(self, submission_ids: list[int], node_name: str, pending_status: str) -> int:
    """Move each dossier waiting at ``node_name`` on, each under its own lock (sent through the outbox by the
    council and decision flows, so the request that closes a session or signs a decision does not wait).

    A dossier that fails is logged and retried later with the others that failed (exponential back-off, at most
    two minutes: under the broker's visibility timeout); the rest go on. resume_waiting() is idempotent: a
    redelivered or re-sent task leaves moved-on dossiers alone.
    """
    from celery.utils.time import get_exponential_backoff_interval

    from workflow.steps.dossier import resume_waiting  # the steps load the flows, which import this module

    moved, failed = 0, []
    for submission_id in submission_ids:
        try:
            moved += resume_waiting(submission_id, node_name, pending_status)
        except Exception:
            logger.exception("dossier %s did not move on from %s", submission_id, node_name)
            failed.append(submission_id)
    if failed:
        countdown = get_exponential_backoff_interval(1, self.request.retries, 120, full_jitter=True)
        raise self.retry(args=(failed, node_name, pending_status), countdown=countdown)
    return moved


def resume_dossiers_on_commit(submission_ids, node_name: str, pending_status: str) -> None:
    """Record resume_dossiers_task in the caller's transaction, sent once it commits (none for no dossier)."""
    ids = sorted(set(submission_ids))
    if ids:
        enqueue(resume_dossiers_task, ids, node_name, pending_status)


@shared_task
def anchor_audit_chain() -> dict | None:
    """Append a signed checkpoint of the audit chain's head outside the database (Celery beat, every few minutes)."""
    return audit_anchors.anchor()
