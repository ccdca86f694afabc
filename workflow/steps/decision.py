"""The decision flow (DecisionFlow): each node's step, named after the node."""

from nominations.services.decisions import decision_draft, decision_redraft, decision_return, decision_sign

from ..choices import SignDecision
from ..forms import decision as forms
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
            items=form.items,  # read by the form under the process lock: not read again
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
    """Signed: the signing service has queued the documents, the certificates and the dossiers' closing with the
    signature (recorded in the same transaction, so a broker that is down delays them but cannot lose them)."""
