"""What every step shares: the Step entry of a table, and the audit context."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms

from workflow import audit


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
