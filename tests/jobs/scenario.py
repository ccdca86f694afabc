"""The two requests that need background work to finish what they started: the last ballot and the signature.

Shared by the outbox tests on SQLite (a fake broker) and the fault tests (a real Redis and worker). The data is
committed for real (``committed_demo``), so each request's on-commit sends happen inside the request.
"""

from django.contrib.auth import get_user_model
from viewflow.workflow.status import STATUS

from nominations.demo import DEMO_PASSWORD
from nominations.models import Certificate, CouncilMember, Decision, Nomination, Submission
from workflow.flows import NominationFlow as F

from ..workflow.helpers import accepted_dossier, council_session, draft_decision, open_task, sign_decision, vote_as

NAMES = ["Mạc Thị Sen", ("Nông Văn Pó", {"gender": "male"})]


def users():
    return {u.username: u for u in get_user_model().objects.all()}


def before_the_last_ballot(client, users):
    """An accepted dossier on a session where every voting member but one has voted: (process, nominations, the
    council process, the last member)."""
    process, noms = accepted_dossier(client, users, NAMES)
    session = council_session(client, users, noms, vote=False)
    seats = CouncilMember.objects.filter(council=session.artifact.council).select_related("user").order_by("pk")
    *first, last = [m for m in seats if m.votes]
    for member in first:
        vote_as(client, session, member, "agree")
    return process, noms, session, last


def cast_the_last_ballot(client, session, member):
    """The ballot that closes the session (vote_as asserts the 302)."""
    return vote_as(client, session, member, "agree")


def sign(client, users, decision_process):
    signed = {"decision": "sign", "comment": "", "password": DEMO_PASSWORD}
    return sign_decision(client, users["chutich_ubnd"], decision_process, signed)


def draft(client, users, noms):
    return draft_decision(client, users, noms)


def waiting_for_the_council(process) -> bool:
    return open_task(process, F.council) is not None and not process.task_set.filter(flow_task=F.decision).exists()


def waiting_for_the_decision(process) -> bool:
    return process.task_set.filter(flow_task=F.decision, status__in=[STATUS.NEW, STATUS.ASSIGNED]).exists()


def finished(process) -> bool:
    process.refresh_from_db()
    return process.status == STATUS.DONE and process.artifact.status == Submission.Status.DECIDED


def decision_made(decision: Decision) -> bool:
    """Documents and a certificate for every awardee."""
    decision.refresh_from_db()
    certificates = Certificate.objects.filter(item__decision=decision, generated_at__isnull=False)
    return bool(decision.pdf and decision.docx) and certificates.count() == decision.items.filter(struck=False).count()


def awarded(noms) -> bool:
    return set(Nomination.objects.filter(pk__in=[n.pk for n in noms]).values_list("status", flat=True)) == {
        Nomination.Status.AWARDED
    }
