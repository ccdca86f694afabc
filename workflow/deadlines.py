"""Each open task's due date and remaining working days (issue 17).

The limit is the StepDeadline in force for the task's step and the issuing
level of its campaign. The standing body's appraisal counts from the first
appraisal task of the dossier (the receipt of the dossier) and stands still
while the dossier is with the unit for completion; every other step counts
from the day its task was created.
"""

import dataclasses
import datetime

from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from nominations import deadlines
from nominations.models import Submission
from nominations.workdays import working_days_between

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


def _issuer_level(artifact) -> int | None:
    campaign = getattr(artifact, "campaign", None)
    return campaign.issuer.level if campaign is not None else None


def _clock_start(task) -> tuple[datetime.date, int]:
    """The day the step's clock started, and the working days it has stood still since."""
    today = timezone.localdate()
    artifact = task.process.artifact
    if task.flow_task.name in APPRAISAL_STEPS and isinstance(artifact, Submission):
        first = (
            Task.objects.filter(process_id=task.process_id, flow_task=task.flow_task)
            .order_by("created")
            .values_list("created", flat=True)
            .first()
        )
        start = timezone.localdate(first or task.created)
        return start, deadlines.paused_working_days(deadlines.suspensions(artifact), start, today)
    return timezone.localdate(task.created), 0


def task_deadline(task) -> Deadline | None:
    """The open task's deadline, or None when the task is done or no limit applies to its step."""
    if task.status in (STATUS.DONE, STATUS.CANCELED) or task.flow_task is None:
        return None
    artifact = task.process.artifact
    start, paused = _clock_start(task)
    rule = deadlines.step_rule(task.flow_task.name, _issuer_level(artifact), start)
    if rule is None:
        return None
    due_on = deadlines.due_date(start, rule.working_days, paused)
    return Deadline(
        due_on=due_on,
        working_days_left=working_days_between(timezone.localdate(), due_on),
        working_days=rule.working_days,
        legal_basis=rule.legal_basis,
        confirmed=rule.confirmed,
    )


def open_tasks_due(within: int) -> list[tuple[Task, Deadline]]:
    """Open human tasks due within ``within`` working days or overdue, with their deadlines."""
    tasks = Task.objects.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]).select_related(
        "process", "owner"
    )
    found = []
    for task in tasks:
        deadline = task_deadline(task)
        if deadline is not None and deadline.working_days_left <= within:
            found.append((task, deadline))
    return found
