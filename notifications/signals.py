"""A human task was created, a campaign launched, a council session concluded: the people concerned are told by
a job of the outbox, recorded in the change's own transaction.

A signal, because viewflow creates the tasks (workflow/flows.py stays a
diagram) and every human task of every flow must be told the same way. It
only records a job: the words and the recipients are worked out by the job.
"""

from django.db.models.signals import post_save
from viewflow.workflow.models import Task

from nominations.signals import campaign_launched, nominations_decided


def _task_saved(sender, instance, created, **kwargs):
    if created and instance.flow_task_type == "HUMAN":
        from jobs.outbox import enqueue

        from .tasks import notify_task_arrived_task

        enqueue(notify_task_arrived_task, instance.pk)


def _campaign_launched(sender, campaign, **kwargs):
    from jobs.outbox import enqueue

    from .tasks import notify_campaign_launched_task

    enqueue(notify_campaign_launched_task, campaign.pk)


def _nominations_decided(sender, session=None, **kwargs):
    # A council session's result (a signed decision is told by the outcome notice, nominations/services/notices.py).
    if session is not None:
        from jobs.outbox import enqueue

        from .tasks import notify_council_result_task

        enqueue(notify_council_result_task, session.pk)


def connect() -> None:
    post_save.connect(_task_saved, sender=Task, dispatch_uid="notifications.task_arrived")
    campaign_launched.connect(_campaign_launched, dispatch_uid="notifications.campaign_launched")
    nominations_decided.connect(_nominations_decided, dispatch_uid="notifications.council_result")
