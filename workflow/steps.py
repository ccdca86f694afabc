"""What each flow step does: call the domain service with the audit context,
then record the decision the flow's gateway will read.

Views (and the API) call these inside viewflow's lock and transaction; the
caller then runs ``activation.execute()``.
"""

from django.contrib.auth import get_user_model

from nominations.models import Nomination
from nominations.services import dossiers, outcome, review

from . import audit


def trail(activation) -> dict:
    """Audit context of the step being executed."""
    return {"process": activation.process, "task": activation.task, "step": activation.flow_task.name}


def scope_of_process(process) -> str:
    """The audit scope of a process's artifact: its dossier, council session or decision."""
    return process.artifact.audit_scope


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


def _save_decision(activation, **fields) -> None:
    process = activation.process
    for name, value in fields.items():
        setattr(process, name, value)
    process.save()


def start(activation, *, actor, campaign, unit, title):
    submission = dossiers.submission_create(
        campaign=campaign, unit=unit, title=title, actor=actor, trail=trail(activation)
    )
    activation.process.artifact = submission
    return submission


def _dossier(activation) -> int:
    """The dossier's id: the service locks and loads the row itself, so the GenericForeignKey need not load it."""
    return activation.process.artifact_object_id


def dossier_nominations(activation, statuses):
    """The nominations in ``statuses`` of the step's dossier, queried by its id (the dossier is not loaded)."""
    return Nomination.objects.filter(submission_id=_dossier(activation), status__in=statuses).select_related(
        "candidate", "award_type"
    )


# Each step hands the locked, fresh dossier back to the process: the gateways and the next
# task's permission object and owner then read its loaded relations instead of the database.
def send_to_head(activation, *, actor, comment=""):
    activation.process.artifact = review.submission_send_to_head(
        submission=_dossier(activation), actor=actor, comment=comment, trail=trail(activation)
    )


def head_decide(activation, *, actor, submit: bool, comment=""):
    activation.process.artifact = review.submission_head_decide(
        submission=_dossier(activation), actor=actor, submit=submit, comment=comment, trail=trail(activation)
    )
    _save_decision(activation, head_decision="submit" if submit else "return")


def ward_decide(activation, *, actor, endorse: bool, comment=""):
    activation.process.artifact = review.submission_ward_decide(
        submission=_dossier(activation), actor=actor, endorse=endorse, comment=comment, trail=trail(activation)
    )
    _save_decision(activation, ward_decision="endorse" if endorse else "return")


def appraise(activation, *, actor, decisions: dict, comment=""):
    activation.process.artifact, result = review.submission_review(
        submission=_dossier(activation),
        actor=actor,
        decisions=decisions,
        comment=comment,
        trail=trail(activation),
    )
    _save_decision(activation, review_decision=result, last_reviewer_id=actor.pk)


def complete(activation, *, actor, comment=""):
    activation.process.artifact = review.submission_complete(
        submission=_dossier(activation), actor=actor, comment=comment, trail=trail(activation)
    )


# Nodes that run without a person.
def dossier_creator(activation):
    """The clerk who opened the dossier prepares and completes it."""
    return activation.process.artifact.created_by


def previous_reviewer(activation):
    """A dossier coming back from completion returns to the reviewer who asked for it."""
    reviewer_id = activation.process.last_reviewer_id
    return get_user_model().objects.filter(pk=reviewer_id).first() if reviewer_id else None


def council_decided(activation):
    """Handle run by the council flow once all of the dossier's nominations have a result."""
    activation.process.artifact = outcome.submission_council_decided(
        submission=_dossier(activation), trail=trail(activation)
    )


def decision_made(activation):
    """Handle run once every council-passed nomination of the dossier is in a signed decision."""


def send_to_chairman(activation):
    activation.process.artifact = outcome.submission_to_chairman(
        submission=_dossier(activation), trail=trail(activation)
    )


def finalise(activation):
    # The service sends the unit its notice once it commits.
    activation.process.artifact = outcome.submission_finalise(submission=_dossier(activation), trail=trail(activation))


def resume_waiting(submission_id: int, node_name: str, pending_status: str) -> bool:
    """Run the dossier's waiting Handle ``node_name`` once no nomination is still ``pending_status``.

    Called by ``workflow.tasks.resume_dossiers_task`` after the council or decision flow committed.
    Idempotent: the task and the nominations are read again under the dossier's own lock, so a dossier
    already moved on (a redelivered task, or two tasks at once) is left as it is. True when it moved on.
    """
    from viewflow.workflow.status import STATUS

    from .flows import NominationFlow  # flows imports this module

    node = getattr(NominationFlow, node_name)
    waiting = NominationFlow.task_class.objects.filter(
        process__artifact_object_id=submission_id,
        process__flow_class=NominationFlow,
        flow_task=node,
        status=STATUS.NEW,
    )
    task = waiting.first()
    if task is None:
        return False
    with NominationFlow.lock(task.process_id):
        if not waiting.filter(pk=task.pk).exists():
            return False  # another run moved it on while this one waited for the lock
        if Nomination.objects.filter(submission_id=submission_id, status=pending_status).exists():
            return False
        node.run(task)  # takes the same lock again (same transaction) and runs the Handle
    return True
