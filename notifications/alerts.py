"""The notifications the jobs write: a task arrived, a deadline is near or past, a result came out.

Every one is keyed (``dedup_key``), so a job that runs twice, a beat that
fires twice or a worker restarted mid-run writes and mails nothing twice.
"""

import datetime
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from nominations.models import Membership, Role
from nominations.workdays import is_working_day
from workflow import audit
from workflow.deadlines import open_tasks_due

from . import messages
from .models import Notification
from .recipients import heads_of, holders_of_tasks, task_holders
from .services import notify, notify_each

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
TASK_REMINDED = audit.TASK_REMINDED
TASK_ESCALATED = audit.TASK_ESCALATED


def task_arrived(task_id: int) -> int:
    """Tell each holder of an open human task that it is in their work; returns how many were written."""
    return tasks_arrived([task_id])


def tasks_arrived(task_ids) -> int:
    """``task_arrived`` for several tasks (a burst of steps): the tasks, their processes and dossiers read
    together, the notices written in one go (services.notify_each). Tasks done or gone meanwhile are skipped."""
    tasks = list(Task.objects.select_related("process", "owner").filter(pk__in=task_ids, status__in=OPEN))
    prefetch_related_objects([task.process for task in tasks], "artifact")  # one query per kind of artifact
    tasks.sort(key=lambda t: t.pk)
    holders = holders_of_tasks(tasks)
    notices = []
    for task in tasks:
        kind, title, body, url = messages.task_arrived(task)
        # Everyone who may take a queue task is told the same words: written, rendered and mailed once for all.
        fields = {"kind": kind, "title": title, "body": body, "url": url}
        notices.append((holders[task.pk], fields, partial(_task_key, task.pk)))
    return len(notify_each(notices))


def _task_key(task_pk, user) -> str:
    return f"task:{task_pk}:{user.pk}"


def send_reminders(today: datetime.date | None = None) -> int:
    """One reminder per open task per holder per working day when due within THIDUA_REMIND_WITHIN working days
    or overdue; once overdue THIDUA_ESCALATE_AFTER working days, one escalation per task to the holders' heads."""
    today = today or timezone.localdate()
    if not is_working_day(today):
        return 0
    written = 0
    for task, deadline in open_tasks_due(settings.THIDUA_REMIND_WITHIN):
        with transaction.atomic():
            written += _remind(task, deadline, today)
    return written


def _remind(task, deadline, today) -> int:
    holders = task_holders(task)
    title, body = messages.reminder(task, deadline)
    url = messages.task_url(task)
    reminded = [
        u.pk
        for u in holders
        if notify(user=u, kind=Notification.Kind.REMINDER, title=title, body=body, url=url,
                  dedup_key=f"reminder:{task.pk}:{u.pk}:{today:%Y-%m-%d}")
    ]  # fmt: skip
    if reminded:
        _audit(TASK_REMINDED, task, deadline, reminded)
    escalated = []
    if deadline.working_days_late >= settings.THIDUA_ESCALATE_AFTER:
        title, body = messages.escalation(task, deadline, holders)
        escalated = [
            u.pk
            for u in heads_of(holders) or _issuer_heads(task)
            if notify(user=u, kind=Notification.Kind.ESCALATION, title=title, body=body, url=url,
                      dedup_key=f"escalation:{task.pk}:{u.pk}")
        ]  # fmt: skip
        if escalated:
            _audit(TASK_ESCALATED, task, deadline, escalated)
    return len(reminded) + len(escalated)


def _issuer_heads(task) -> list:
    """No unit head above the holders (a queue nobody took): the chairman of the campaign's issuer."""
    campaign = getattr(task.process.artifact, "campaign", None)
    if campaign is None:
        return []
    day = timezone.localdate()
    return [
        m.user
        for m in Membership.objects.filter(unit=campaign.issuer, role=Role.CHAIRMAN, valid_from__lte=day)
        .exclude(valid_to__lt=day)
        .select_related("user")
    ]


def _audit(event_type, task, deadline, user_ids) -> None:
    audit.record_transition(
        task.process.artifact,
        event_type,
        trail={"process": task.process, "task": task, "step": task.flow_task.name},
        data={"due_on": deadline.due_on.isoformat(), "working_days_left": deadline.working_days_left,
              "users": user_ids},
    )  # fmt: skip


def send_digests() -> int:
    """Send the day's digest to everyone who takes one; returns how many people got one."""
    from .services import digest_send, digest_users

    return sum(bool(digest_send(user=user)) for user in digest_users())
