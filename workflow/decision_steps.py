"""What the decision flow's steps do."""

from nominations.services import decisions

from .steps import trail


def draft(activation, *, actor, **fields):
    decision = decisions.decision_draft(actor=actor, trail=trail(activation), **fields)
    activation.process.artifact = decision
    return decision


def drafter(activation):
    return activation.process.artifact.drafted_by


# Each step hands the fresh decision back to the process, whose gateway reads its status.
def sign(activation, *, actor, password, struck, comment=""):
    activation.process.artifact = decisions.decision_sign(
        decision=activation.process.artifact,
        actor=actor,
        password=password,
        struck=struck,
        comment=comment,
        trail=trail(activation),
    )


def give_back(activation, *, actor, comment):
    activation.process.artifact = decisions.decision_return(
        decision=activation.process.artifact, actor=actor, comment=comment, trail=trail(activation)
    )


def redraft(activation, *, actor, remove, comment=""):
    activation.process.artifact = decisions.decision_redraft(
        decision=activation.process.artifact, actor=actor, remove=remove, comment=comment, trail=trail(activation)
    )


def issue(activation):
    """Signed and numbered: the signing service has recorded the documents, certificates and the dossiers'
    closing as background jobs sent once it commits."""
