"""Services record their transitions through one helper, in the trail the object names, and queue their own
side effects: the signature its documents and the dossiers' closing, the council's conclusion the dossiers'
resumption, a dossier's closing the unit's notice."""

import pytest
from django.conf import settings
from django.test import TestCase

from jobs.models import OutboxJob
from nominations.models import (
    AgendaItem,
    Attachment,
    CouncilSession,
    Decision,
    Delegation,
    Nomination,
    Submission,
)
from nominations.services import council, decisions, outcome
from nominations.tasks import generate_certificates_task, generate_decision_documents_task, notify_outcome_task
from workflow import audit
from workflow.models import AuditEvent
from workflow.tasks import resume_dossiers_task

from .council_factory import build
from .test_council import open_session, vote_all
from .test_decisions import (
    PASSWORD,
    D,
    draft,
    setup,  # noqa: F401  (the decision tests' fixture, which ``signing`` requests)
)

N = Nomination.Status


@pytest.fixture
def signing(setup):  # noqa: F811
    """A council-passed campaign of three nominations, its chairman and secretary (tests/nominations/test_decisions)."""
    return setup


def jobs(task) -> list[list]:
    """The arguments of the outbox jobs of ``task`` recorded so far (in this test's transaction)."""
    return [job.args for job in OutboxJob.objects.filter(task=task.name).order_by("pk")]


def test_each_object_names_its_own_audit_trail():
    assert Submission(pk=7).audit_scope == "submission:7"
    assert Nomination(pk=3, submission_id=7).audit_scope == "submission:7"
    assert Attachment(pk=4, submission_id=7).audit_scope == "submission:7"
    assert CouncilSession(pk=5).audit_scope == "council_session:5"
    assert AgendaItem(pk=9, session_id=5).audit_scope == "council_session:5"
    assert Decision(pk=6).audit_scope == "decision:6"
    assert Delegation(pk=8, issuer_id=2).audit_scope == "delegation:2"


def test_record_transition_writes_the_target_its_scope_and_the_steps_trail(signing):
    nomination = signing["noms"][0]
    trail = {"process": 41, "task": 42, "step": "review"}
    event = audit.record_transition(
        nomination,
        audit.NOMINATION_REVIEWED,
        actor=signing["secretary"],
        trail=trail,
        before=N.SUBMITTED,
        after=N.ACCEPTED,
        comment="Đủ điều kiện",
        data={"round": 1},
    )
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.scope, event.target_type, event.target_id) == (
        f"submission:{nomination.submission_id}",
        "nominations.nomination",
        str(nomination.pk),
    )
    assert (event.process_id, event.task_id, event.step) == (41, 42, "review")
    assert (event.from_state, event.to_state, event.comment, event.data) == (
        N.SUBMITTED,
        N.ACCEPTED,
        "Đủ điều kiện",
        {"round": 1},
    )
    assert event.actor == signing["secretary"] and audit.verify()[0]


def test_signing_finalises_each_nomination_once_and_says_which_were_struck(signing):
    struck, *awarded = signing["noms"]
    decision = draft(signing)
    item = decision.items.get(nomination=struck)
    decisions.decision_sign(
        decision=decision,
        actor=signing["chairman"],
        password=PASSWORD,
        struck={item.pk: "Trùng thành tích đã khen"},
        day=D(2024, 10, 5),
    )
    outcomes = AuditEvent.objects.filter(
        target_type="nominations.nomination",
        event_type__in=[audit.NOMINATION_FINALISED, audit.NOMINATION_STRUCK],
    )
    by_nomination = {}
    for event in outcomes:
        by_nomination.setdefault(int(event.target_id), []).append((event.event_type, event.to_state, event.comment))
    assert by_nomination == {
        struck.pk: [(audit.NOMINATION_STRUCK, N.NOT_AWARDED, "Trùng thành tích đã khen")],
        **{n.pk: [(audit.NOMINATION_FINALISED, N.AWARDED, "")] for n in awarded},
    }
    assert str(AuditEvent.objects.get(event_type=audit.NOMINATION_STRUCK).label) == "Không được khen thưởng"


def test_the_signing_service_queues_the_documents_and_the_dossiers_closing(signing):
    """Called without any flow: the jobs are the service's own, in its transaction."""
    decision = draft(signing)
    assert OutboxJob.objects.count() == 0
    with TestCase.captureOnCommitCallbacks(execute=False):
        decisions.decision_sign(decision=decision, actor=signing["chairman"], password=PASSWORD, day=D(2024, 10, 5))
    assert jobs(generate_decision_documents_task) == [[decision.pk]]
    assert jobs(generate_certificates_task) == [[decision.pk]] * settings.THIDUA_CERTIFICATE_TASKS
    dossiers = sorted({n.submission_id for n in signing["noms"]})
    assert jobs(resume_dossiers_task) == [[dossiers, "decision", N.COUNCIL_PASSED]]


def test_a_refused_signature_queues_nothing(signing):
    with pytest.raises(Exception):  # noqa: B017  (the wrong password: a ValidationError)
        decisions.decision_sign(decision=draft(signing), actor=signing["chairman"], password="sai", day=D(2024, 10, 5))
    assert OutboxJob.objects.count() == 0


def test_closing_a_dossier_queues_the_units_notice_and_finalises_what_is_left(signing):
    nomination = signing["noms"][0]
    submission = outcome.submission_finalise(submission=nomination.submission_id)
    assert submission.status == Submission.Status.DECIDED
    assert jobs(notify_outcome_task) == [[submission.pk]]
    event = AuditEvent.objects.get(event_type=audit.NOMINATION_FINALISED, target_id=str(nomination.pk))
    assert (event.from_state, event.to_state, event.scope) == (N.COUNCIL_PASSED, N.NOT_AWARDED, submission.audit_scope)
    assert event.comment == "Chưa có quyết định khen thưởng của Chủ tịch UBND"


def test_a_concluded_session_says_so_and_queues_the_dossiers_resumption(db):
    council_, seats, secretary, noms, campaign = build(members=3, nominations=2)
    session = open_session(council_, seats, secretary, noms, campaign)
    vote_all(session, seats, [{1: "agree", 2: "disagree"}] * 3)
    council.voting_close(session=session)
    returned = council.session_conclude(session=session, trail={"step": "conclude"})

    dossiers = sorted({n.submission_id for n in noms})
    assert returned == dossiers
    concluded = AuditEvent.objects.get(event_type=audit.COUNCIL_CONCLUDED)
    assert (concluded.scope, concluded.step, concluded.target_id) == (session.audit_scope, "conclude", str(session.pk))
    assert concluded.data == {"passed": 1, "not_passed": 1, "dossiers": dossiers}
    # The nominations' results and the conclusion share one chain append, the conclusion last.
    results = AuditEvent.objects.filter(event_type=audit.NOMINATION_COUNCIL_RESULT).order_by("pk")
    assert [e.to_state for e in results] == [N.COUNCIL_PASSED, N.COUNCIL_FAILED] and concluded.pk > results.last().pk
    assert jobs(resume_dossiers_task) == [[dossiers, "council", N.ACCEPTED]]
    assert audit.verify()[0]
