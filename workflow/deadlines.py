"""Each open task's due date and remaining working days (issue 17).

The limit is the StepDeadline in force for the task's step and the issuing
level of its campaign. The standing body's appraisal counts from the first
appraisal task of the dossier (the receipt of the dossier) and stands still
while the dossier is with the unit for completion; every other step counts
from the day its task was created.
"""

import dataclasses
import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Min
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from nominations import deadlines, workdays
from nominations.models import Submission

# Steps whose clock runs over the dossier's whole appraisal, pauses excluded.
APPRAISAL_STEPS = ("review",)


@dataclasses.dataclass(frozen=True)
class Deadline:
    due_on: datetime.date
    working_days_left: int  # negative: working days overdue
    working_days: int
    legal_basis: str
    confirmed: bool

    @property
    def overdue(self) -> bool:
        return self.working_days_left < 0

    @property
    def working_days_late(self) -> int:
        return max(0, -self.working_days_left)


def task_deadline(task) -> Deadline | None:
    """The open task's deadline, or None when the task is done or no limit applies to its step."""
    return task_deadlines([task]).get(task.pk)


def task_deadlines(tasks, calendar=None, levels=None) -> dict[int, Deadline]:
    """{task pk: deadline} of the open tasks among ``tasks`` (with their process loaded), in a fixed number of
    queries whatever their number: the artifacts' issuing levels (one per kind of artifact), the rules, the
    appraisals' first tasks and the dossiers' pauses (one each), the calendar's exceptions (one per window).

    ``levels``: {process pk: its campaign issuer's level}, when the caller read them with the artifacts already
    (workflow.my_work): no query of their own.
    """
    tasks = [t for t in tasks if t.status not in (STATUS.DONE, STATUS.CANCELED) and t.flow_task is not None]
    if not tasks:
        return {}
    today = timezone.localdate()
    day = local_day()
    levels, dossiers = _issuer_levels(tasks) if levels is None else (levels, _dossiers_of(tasks))
    appraisals = [t for t in tasks if t.flow_task.name in APPRAISAL_STEPS and t.process_id in dossiers]
    appraisal_pks = {t.pk for t in appraisals}
    received = _first_task_days(appraisals, day)
    pauses = deadlines.suspensions_of({dossiers[t.process_id] for t in appraisals})
    rules = deadlines.rules_of(t.flow_task.name for t in tasks)
    calendar = calendar or workdays.calendar(today, *(day(t.created) for t in tasks))
    found = {}
    for task in tasks:
        start, paused = day(task.created), 0
        if task.pk in appraisal_pks:
            start = received.get(task.process_id, start)
            paused = deadlines.paused_working_days(pauses.get(dossiers[task.process_id], []), start, today, calendar)
        rule = deadlines.pick_rule(rules, task.flow_task.name, levels.get(task.process_id), start)
        if rule is None:
            continue
        due_on = deadlines.due_date(start, rule.working_days, paused, calendar)
        found[task.pk] = Deadline(
            due_on=due_on,
            working_days_left=workdays.working_days_between(today, due_on, calendar),
            working_days=rule.working_days,
            legal_basis=rule.legal_basis,
            confirmed=rule.confirmed,
        )
    return found


def _issuer_levels(tasks) -> tuple[dict[int, int], dict[int, int]]:
    """({process pk: its campaign issuer's level}, {process pk: dossier pk} for the dossiers' processes);
    one query per kind of artifact."""
    by_type: dict[int, dict[int, int]] = {}
    for task in tasks:
        process = task.process
        if process.artifact_object_id:
            by_type.setdefault(process.artifact_content_type_id, {})[int(process.artifact_object_id)] = process.pk
    levels, dossiers = {}, {}
    for type_id, processes in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        for pk, level in model.objects.filter(pk__in=processes).values_list("pk", "campaign__issuer__level"):
            levels[processes[pk]] = level
        if model is Submission:
            dossiers.update({process: pk for pk, process in processes.items()})
    return levels, dossiers


def _dossiers_of(tasks) -> dict[int, int]:
    """{process pk: dossier pk} of the tasks' dossier processes, from the processes alone."""
    submission = ContentType.objects.get_for_model(Submission).pk
    return {
        t.process.pk: int(t.process.artifact_object_id)
        for t in tasks
        if t.process.artifact_object_id and t.process.artifact_content_type_id == submission
    }


def local_day():
    """``timezone.localdate`` for many aware datetimes: the current time zone looked up once, not per value
    (a list page dates a few hundred values; Django's lookup through the thread-local costs ~10 µs each)."""
    tz = timezone.get_current_timezone()
    return lambda value: value.astimezone(tz).date()


def _first_task_days(tasks, day) -> dict[int, datetime.date]:
    """{process pk: the day its first task of the same step was created} (the dossier's receipt), one query;
    ``day``: ``local_day()``."""
    if not tasks:
        return {}
    first = (
        Task.objects.filter(process_id__in={t.process_id for t in tasks}, flow_task__in={t.flow_task for t in tasks})
        .values("process_id")
        .annotate(first=Min("created"))
    )
    return {row["process_id"]: day(row["first"]) for row in first}


def open_tasks_due(within: int) -> list[tuple[Task, Deadline]]:
    """Open human tasks due within ``within`` working days or overdue, with their deadlines."""
    tasks = list(
        Task.objects.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]).select_related("process", "owner")
    )
    found = task_deadlines(tasks)
    return [(task, found[task.pk]) for task in tasks if task.pk in found and found[task.pk].working_days_left <= within]


OVERDUE = "qua-han"  # the lists' ?han= value for overdue work; a number N: due within N working days


def due_predicate(value: str):
    """The lists' deadline filter as a predicate on a task's Deadline (None: no deadline), or None for no filter.

    ``qua-han``: overdue; a whole number N (0–366): due within N working days, overdue included; anything else
    is no filter (a list is never refused for a bad query string).
    """
    if value == OVERDUE:
        return lambda deadline: deadline is not None and deadline.overdue
    if value.isdigit() and int(value) <= 366:
        return lambda deadline: deadline is not None and deadline.working_days_left <= int(value)
    return None


def by_due_date(deadline: Deadline | None) -> tuple:
    """Sort key: earliest due date first (the most overdue on top), tasks without a time limit last."""
    return (deadline is None, deadline.due_on if deadline else datetime.date.max)
