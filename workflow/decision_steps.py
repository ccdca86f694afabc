"""What the decision flow's steps do."""

from django.conf import settings

from jobs.outbox import enqueue
from nominations.models import Nomination
from nominations.services import decisions

from .steps import trail
from .tasks import resume_dossiers_on_commit


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
    """Signed: make the documents and certificates in the background, and close the dossiers (the jobs are
    recorded with the signature, so a broker that is down delays them but cannot lose them)."""
    # nominations.tasks loads the services that import the flows' steps.
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
