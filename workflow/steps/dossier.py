"""The dossier flow (NominationFlow): each node's step, named after the node.

Human nodes are in ``STEPS``: a form and one service call. The page and the
API run them inside viewflow's lock and transaction, then
``activation.execute()``. Each step hands the locked, fresh dossier back to the
process: the gateways, the next task's permission object and its owner then
read its loaded relations instead of the database.
"""

from collections.abc import Callable

from django.contrib.auth import get_user_model

from nominations.models import Nomination
from nominations.services import dossiers, outcome
from nominations.services.review import (
    submission_complete,
    submission_head_decide,
    submission_review,
    submission_send_to_head,
    submission_ward_decide,
)

from ..choices import HeadDecision, WardDecision
from ..forms import dossier as forms
from .base import Step, trail


def _dossier(activation) -> int:
    """The dossier's id: the service locks and loads the row itself, so the GenericForeignKey need not load it."""
    return activation.process.artifact_object_id


def dossier_nominations(activation, statuses):
    """The nominations in ``statuses`` of the step's dossier, queried by its id (the dossier is not loaded)."""
    return Nomination.objects.filter(submission_id=_dossier(activation), status__in=statuses).select_related(
        "candidate", "award_type"
    )


# Unit clerk
def start(activation, actor, form):
    submission = dossiers.submission_create(actor=actor, trail=trail(activation), **form.cleaned_data)
    activation.process.artifact = submission
    return submission


def start_from_code(activation, *, actor, campaign, unit, title):
    """Portals, scripts and the demo loader open a dossier without a form."""
    submission = dossiers.submission_create(
        campaign=campaign, unit=unit, title=title, actor=actor, trail=trail(activation)
    )
    activation.process.artifact = submission
    return submission


def prepare(activation, actor, form):
    activation.process.artifact = submission_send_to_head(
        submission=_dossier(activation), actor=actor, comment=form.cleaned_data["comment"], trail=trail(activation)
    )


# Unit head: the gateway reads the dossier's status, the one place the decision is stored.
def head_approval(activation, actor, form):
    data = form.cleaned_data
    activation.process.artifact = submission_head_decide(
        submission=_dossier(activation),
        actor=actor,
        submit=data["decision"] == HeadDecision.SUBMIT,
        comment=data["comment"],
        trail=trail(activation),
    )


# Ward / commune People's Committee
def ward_review(activation, actor, form):
    data = form.cleaned_data
    activation.process.artifact = submission_ward_decide(
        submission=_dossier(activation),
        actor=actor,
        endorse=data["decision"] == WardDecision.ENDORSE,
        comment=data["comment"],
        trail=trail(activation),
    )


# Standing body: the result (completion asked or not) is held by no row, so the process keeps it.
def review(activation, actor, form):
    activation.process.artifact, result = submission_review(
        submission=_dossier(activation),
        actor=actor,
        decisions=form.per_nomination(),
        comment=form.cleaned_data["comment"],
        trail=trail(activation),
    )
    activation.process.review_decision, activation.process.last_reviewer_id = result, actor.pk
    activation.process.save()


def complete(activation, actor, form):
    activation.process.artifact = submission_complete(
        submission=_dossier(activation), actor=actor, comment=form.cleaned_data["comment"], trail=trail(activation)
    )


def _with_user(activation, user) -> dict:
    return {"user": user}


def _pending_nominations(activation, user) -> dict:
    return {"nominations": dossier_nominations(activation, (Nomination.Status.SUBMITTED,))}


def _choices(choices) -> Callable:
    return lambda activation, user: {"choices": choices.choices}


STEPS = {
    "start": Step(forms.StartForm, start, _with_user),
    "prepare": Step(forms.CommentForm, prepare),
    "head_approval": Step(forms.DecisionForm, head_approval, _choices(HeadDecision)),
    "ward_review": Step(forms.DecisionForm, ward_review, _choices(WardDecision)),
    "review": Step(forms.ReviewForm, review, _pending_nominations),
    "complete": Step(forms.CommentForm, complete),
}


# Task owners
def dossier_creator(activation):
    """The clerk who opened the dossier prepares and completes it."""
    return activation.process.artifact.created_by


def previous_reviewer(activation):
    """A dossier coming back from completion returns to the reviewer who asked for it."""
    reviewer_id = activation.process.last_reviewer_id
    return get_user_model().objects.filter(pk=reviewer_id).first() if reviewer_id else None


# Nodes that run without a person.
def council(activation):
    """Handle run by the council flow once all of the dossier's nominations have a result."""
    activation.process.artifact = outcome.submission_council_decided(
        submission=_dossier(activation), trail=trail(activation)
    )


def to_chairman(activation):
    activation.process.artifact = outcome.submission_to_chairman(
        submission=_dossier(activation), trail=trail(activation)
    )


def decision(activation):
    """Handle run once every council-passed nomination of the dossier is in a signed decision."""


def finish(activation):
    """The dossier closes; the service queues the units' outcome notice with the change."""
    activation.process.artifact = outcome.submission_finalise(submission=_dossier(activation), trail=trail(activation))


def resume_waiting(submission_id: int, node_name: str, pending_status: str) -> bool:
    """Run the dossier's waiting Handle ``node_name`` once no nomination is still ``pending_status``.

    Called by ``workflow.tasks.resume_dossiers_task`` after the council or decision flow committed.
    Idempotent: the task and the nominations are read again under the dossier's own lock, so a dossier
    already moved on (a redelivered task, or two tasks at once) is left as it is. True when it moved on.
    """
    from viewflow.workflow.status import STATUS

    from ..flows import NominationFlow  # the flows import this module to name their nodes' callbacks

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
