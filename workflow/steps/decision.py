"""The decision flow (DecisionFlow): each node's step, named after the node."""

from django.conf import settings

from jobs.outbox import enqueue
from nominations.models import Nomination
from nominations.services.decisions import decision_draft, decision_redraft, decision_return, decision_sign

from ..choices import SignDecision
from ..forms import decision as forms
from ..tasks import resume_dossiers_on_commit
from .base import Step, trail


# Council secretary
def start(activation, actor, form):
    decision = decision_draft(actor=actor, trail=trail(activation), **form.cleaned_data)
    activation.process.artifact = decision
    return decision


# Chairman, or a vice-chairman by delegation. The gateway reads the decision's status: the step hands
# the fresh decision back to the process.
def sign(activation, actor, form):
    data = form.cleaned_data
    if data["decision"] == SignDecision.SIGN:
        activation.process.artifact = decision_sign(
            decision=activation.process.artifact,
            actor=actor,
            password=data["password"],
            struck=form.struck(),
            comment=data["comment"],
            trail=trail(activation),
        )
    else:
        activation.process.artifact = decision_return(
            decision=activation.process.artifact, actor=actor, comment=data["comment"], trail=trail(activation)
        )


# Council secretary
def redraft(activation, actor, form):
    activation.process.artifact = decision_redraft(
        decision=activation.process.artifact,
        actor=actor,
        remove=[int(pk) for pk in form.cleaned_data["remove"]],
        comment=form.cleaned_data["comment"],
        trail=trail(activation),
    )


def _with_user(activation, user) -> dict:
    return {"user": user}


def _items(activation, user) -> dict:
    decision = activation.process.artifact
    return {"items": decision.items.select_related("nomination__candidate", "nomination__submission__unit")}


STEPS = {
    "start": Step(forms.DraftDecisionForm, start, _with_user),
    "sign": Step(forms.SignForm, sign, _items),
    "redraft": Step(forms.RedraftForm, redraft, _items),
}


# Task owner and the node that runs without a person.
def drafter(activation):
    return activation.process.artifact.drafted_by


def issue(activation):
    """Signed: make the documents and certificates in the background, and close the dossiers (the jobs are
    recorded with the signature, so a broker that is down delays them but cannot lose them)."""
    # Celery's task modules load the document builders: imported when a decision is issued, not with the flows.
    from nominations.tasks import generate_certificates_task, generate_decision_documents_task

    decision = activation.process.artifact
    enqueue(generate_decision_documents_task, decision.pk)
    # Several tasks share one decision's certificates (rows are taken with SKIP LOCKED):
    # a batch of hundreds finishes in parallel on the worker's processes.
    for _ in range(settings.THIDUA_CERTIFICATE_TASKS):
        enqueue(generate_certificates_task, decision.pk)
    submission_ids = set(decision.items.values_list("nomination__submission_id", flat=True))
    # The dossiers close in a task sent after commit, each under its own lock (as after a council session).
    resume_dossiers_on_commit(submission_ids, "decision", Nomination.Status.COUNCIL_PASSED)
