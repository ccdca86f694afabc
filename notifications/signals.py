"""A human task was created: its holders are told by a job of the outbox, in the task's own transaction.

A signal, because viewflow creates the tasks (workflow/flows.py stays a
diagram) and every human task of every flow must be told the same way. It
only records a job: the words and the recipients are worked out by the job.
"""

from django.db.models.signals import post_save
from viewflow.workflow.models import Task


def _task_saved(sender, instance, created, **kwargs):
    if created and instance.flow_task_type == "HUMAN":
        from jobs.outbox import enqueue

        from .tasks import notify_task_arrived_task

        enqueue(notify_task_arrived_task, instance.pk)


def connect() -> None:
    post_save.connect(_task_saved, sender=Task, dispatch_uid="notifications.task_arrived")
