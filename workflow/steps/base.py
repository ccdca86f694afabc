"""What every step shares: the Step entry of a table, and the audit context."""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.db import connection
from viewflow.workflow.status import STATUS

from workflow import audit
from workflow.nodes import step_transaction


def no_kwargs(activation, user) -> dict:
    return {}


@dataclass(frozen=True)
class Step:
    """One human node: the form people fill in and what completing it does.

    ``form_kwargs(activation, user)`` gives the form's arguments (the dossier's
    nominations, the member's ballot, the opener's councils…);
    ``perform(activation, actor, form)`` calls one service with the valid form
    and returns what the caller is shown (a ballot receipt, the new artifact).
    The page (``workflow.views.base.StepView``) and the API
    (``workflow.api.task_steps``) both read it.
    """

    form_class: type[forms.Form]
    perform: Callable
    form_kwargs: Callable = field(default=no_kwargs)
    # ``record(activation, actor, form)``, when given, writes what the step is about in its own transaction (the
    # service it calls is atomic) *before* the process lock is taken (a ballot: many members at once) and returns
    # what the caller is shown;
    # ``perform`` then runs under the lock with the task (``record_then_complete``).
    record: Callable | None = None


class AlreadyRecorded(Exception):
    """``record`` found its write done already: a double submission of the same task (a 409, as when the task
    is found finished under the lock)."""


def record_then_complete(step: Step, activation, actor, form, request):
    """Run ``step.record`` without the process lock, then complete the task under it; return record's result.

    The lock covers only what viewflow needs it for: re-reading the task, ``perform``, finishing the task and
    activating the next nodes (the join). A task that a close cancelled meanwhile stays cancelled: what was
    recorded before the close counts (the close waits for it, see nominations.services.ballots._share_session).
    """
    # ``record`` is its own transaction (its service is atomic): one more around it only added a savepoint.
    result = step.record(activation, actor, form)
    flow_class, task = activation.flow_class, activation.task
    with flow_class.lock(task.process_id), step_transaction():
        task = task_again(task)
        if task.status == STATUS.ASSIGNED:  # not cancelled by a close, nor given back meanwhile
            locked = task.flow_task.activation_class(task)
            locked.start(request)
            step.perform(locked, actor, form)
            locked.execute()
    return result


def task_again(task):
    """``task``'s row read again with its process (``select_related("process").get(pk=...)``), its statement
    compiled once per process: a ballot reads it under the lock, where building the ORM's query and its two
    instances cost five times the statement (s27ballot). The rows as they are now, made as the ORM makes them."""
    task_class = type(task)
    sql, own, theirs, converters = _task_again_sql(task_class)
    with connection.cursor() as cursor:
        cursor.execute(sql, [task.pk])
        row = cursor.fetchone()
    if row is None:
        raise task_class.DoesNotExist(f"{task_class.__name__} {task.pk} no longer exists")
    row = list(row)
    for position, (functions, expression) in converters:
        for function in functions:
            row[position] = function(row[position], expression, connection)
    found = task_class.from_db(connection.alias, own, row[: len(own)])
    relation = task_class._meta.get_field("process")
    relation.set_cached_value(found, relation.related_model.from_db(connection.alias, theirs, row[len(own) :]))
    return found


@functools.cache
def _task_again_sql(task_class) -> tuple:
    relation = task_class._meta.get_field("process")
    own = [field.attname for field in task_class._meta.concrete_fields]
    theirs = [field.attname for field in relation.related_model._meta.concrete_fields]
    query = task_class._default_manager.filter(pk=_ANY_PK).values_list(*own, *(f"process__{name}" for name in theirs))
    compiler = query.query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    assert params == (_ANY_PK,), params  # the task's id is the statement's one parameter
    fields = [select[0] for select in compiler.select[: compiler.col_count]]
    return sql, own, theirs, list(compiler.get_converters(fields).items())


_ANY_PK = -7  # a placeholder id while the statement is compiled (never run with it)


def trail(activation) -> dict:
    """Audit context of the step being executed."""
    return {"process": activation.process, "task": activation.task, "step": activation.flow_task.name}


def scope_of_process(process) -> str:
    """The audit scope of a process's artifact: its dossier, council session or decision."""
    artifact = process.artifact
    name = {"councilsession": "council_session"}.get(artifact._meta.model_name, artifact._meta.model_name)
    return f"{name}:{artifact.pk}"


def task_assigned(task, user, *, assigned: bool = True) -> None:
    """Record that ``user`` took (or gave back) a task."""
    audit.record(
        audit.TASK_ASSIGNED if assigned else audit.TASK_UNASSIGNED,
        actor=user,
        target=task.process.artifact,
        scope=scope_of_process(task.process),
        process=task.process,
        task=task,
        step=task.flow_task.name,
    )
