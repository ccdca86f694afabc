"""Each open task's due date and remaining working days (issue 17).

The limit is the StepDeadline in force for the task's step and the issuing
level of its campaign. The standing body's appraisal counts from the first
appraisal task of the dossier (the receipt of the dossier) and stands still
while the dossier is with the unit for completion; every other step counts
from the day its task was created.
"""

import collections
import dataclasses
import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Min
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from nominations import compiled, deadlines, workdays
from nominations.models import StepDeadline, Submission

from . import audit
from .id_lists import any_of_sql
from .models import AuditEvent

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
    levels, dossiers = _issuer_levels(tasks) if levels is None else (levels, _dossiers_of(tasks))
    appraisals = [t for t in tasks if t.flow_task.name in APPRAISAL_STEPS and t.process_id in dossiers]
    received = _first_task_days(appraisals)
    appraisal_pks = {t.pk for t in appraisals}
    clocks = [
        Clock(
            task_pk=task.pk,
            step=task.flow_task.name,
            created=task.created,
            level=levels.get(task.process_id),
            dossier=dossiers[task.process_id] if task.pk in appraisal_pks else None,
            received=received.get(task.process_id) if task.pk in appraisal_pks else None,
        )
        for task in tasks
    ]
    return deadlines_of(clocks, calendar)


@dataclasses.dataclass(frozen=True)
class Clock:
    """What an open task's deadline is computed from: its step, when it was created, its campaign issuer's level
    and, for the appraisal of a dossier, that dossier and the creation of its first appraisal task (the receipt).
    Read by ``task_deadlines`` from tasks, or with a page's rows in one statement (workflow.task_lists)."""

    task_pk: int
    step: str  # the node's name
    created: datetime.datetime
    level: int | None
    dossier: int | None = None  # an appraisal's dossier (its clock stands still while the unit completes it)
    received: datetime.datetime | None = None  # an appraisal's start: the dossier's first appraisal task


def deadlines_of(clocks, calendar=None) -> dict[int, Deadline]:
    """{task pk: deadline} of the tasks whose ``clocks`` are given: the dossiers' pauses (one query, only when
    an appraisal is among them), the step rules and the calendar's exceptions (one each, per window)."""
    if not clocks:
        return {}
    today = timezone.localdate()
    day = local_day()
    pauses = pauses_of({c.dossier for c in clocks if c.dossier is not None})
    rules = step_rules()
    calendar = calendar or workdays.calendar(today, *(day(c.created) for c in clocks))
    found = {}
    for clock in clocks:
        start, paused = day(clock.created), 0
        if clock.dossier is not None:
            start = day(clock.received) if clock.received is not None else start
            paused = deadlines.paused_working_days(pauses.get(clock.dossier, []), start, today, calendar)
        rule = deadlines.pick_rule(rules, clock.step, clock.level, start)
        if rule is None:
            continue
        due_on = deadlines.due_date(start, rule.working_days, paused, calendar)
        found[clock.task_pk] = Deadline(
            due_on=due_on,
            working_days_left=workdays.working_days_between(today, due_on, calendar),
            working_days=rule.working_days,
            legal_basis=rule.legal_basis,
            confirmed=rule.confirmed,
        )
    return found


# A rule as pick_rule reads it: the StepDeadline table's values, not its models (a list page reads them all).
Rule = collections.namedtuple("Rule", "step issuer_level working_days valid_from valid_to legal_basis confirmed")


def step_rules() -> list[Rule]:
    """Every step rule (the table holds a few dozen rows), read by a statement compiled once (nominations.compiled):
    building the query cost more than running it."""
    return [
        Rule(*row)
        # In the model's order (step, level, newest first), as pick_rule's stable sort has always read them.
        for row in compiled.rows(("deadlines.step_rules",), lambda: StepDeadline.objects.values_list(*Rule._fields))
    ]


def pauses_of(dossiers) -> dict[int, list[deadlines.Pause]]:
    """``nominations.deadlines.suspensions_of`` in hand-written SQL (the same events, the same pauses): its query
    cost the ORM about 1 ms to build on every list page. The event type is compared as an expression for the
    reason given there (PostgreSQL would AND the index of every event type with the scopes' few rows)."""
    if not dossiers:
        return {}
    scopes = {f"submission:{pk}": pk for pk in dossiers}
    among, params = any_of_sql("scope", list(scopes))
    sql = (
        f"SELECT scope, event_type, created_at FROM {AuditEvent._meta.db_table} WHERE {among} AND "
        "(((event_type || '') = %s AND to_state = %s) OR (event_type || '') = %s) ORDER BY id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, audit.NOMINATION_REVIEWED, "needs_completion", audit.SUBMISSION_COMPLETED])
        events = cursor.fetchall()
    day = local_day()
    by_dossier: dict[int, list] = {}
    for scope, event_type, created in events:
        by_dossier.setdefault(scopes[scope], []).append((event_type, day(aware(created))))
    return {pk: deadlines.pauses_from_events(rows) for pk, rows in by_dossier.items()}


def aware(value):
    """A timestamp read by hand-written SQL as the ORM reads it: SQLite hands over text or a naive datetime."""
    if value is None or (isinstance(value, datetime.datetime) and value.tzinfo is not None):
        return value
    return connection.ops.convert_datetimefield_value(value, None, connection)


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


def _first_task_days(tasks) -> dict[int, datetime.datetime]:
    """{process pk: when its first task of the same step was created} (the dossier's receipt), one query."""
    if not tasks:
        return {}
    first = (
        Task.objects.filter(process_id__in={t.process_id for t in tasks}, flow_task__in={t.flow_task for t in tasks})
        .values("process_id")
        .annotate(first=Min("created"))
    )
    return {row["process_id"]: row["first"] for row in first}


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
