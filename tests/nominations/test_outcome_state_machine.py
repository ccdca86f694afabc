"""Random orders of the workflow's actions, driven through the services: every outcome is explained by its history.

Hypothesis chooses what happens next — add or withdraw a nomination, submit, appraise each nomination (accept,
return for completion, reject), complete, open a council session on what is ready, vote, close, draft a
decision, sign it striking names, revoke it — and after every step the invariants must hold:

* a nomination "not awarded" always has a reason (in particular one the council passed);
* a closed dossier's nominations are each awarded, not awarded (with a reason) or revoked; a withdrawn one
  is gone with its "removed" event;
* revoked awards never use up the unit's quota;
* every change of state of a nomination or a decision has exactly one audit event.

The dossier flow's gateways (``workflow.flows.NominationFlow``) are replayed here as the flow runs them:
after an appraisal, completion or council; the council's Handle once no nomination is still "accepted";
the chairman's once none is still "council passed"; otherwise the dossier closes (``submission_finalise``).

Runs start from one of several states (a dossier accepted, passed by the council, drafted into a decision, or
signed) so that the chairman's strikes, signatures and revocations are reached in most runs, not only after a
long lucky walk; ``hypothesis.event`` records each stage reached (``--hypothesis-show-statistics``). The
scripted tests at the end walk the same machine through fixed orders, revocation included.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from nominations.models import (
    AwardRuleSet,
    AwardType,
    BallotCast,
    BaseSalary,
    Campaign,
    CampaignAward,
    Council,
    CouncilMember,
    CouncilSession,
    Decision,
    Membership,
    Nomination,
    OrgUnit,
    Role,
    Submission,
)
from nominations.services import council, decisions, dossiers, outcome, review
from workflow import audit
from workflow.models import AuditEvent

N, D = Nomination.Status, Decision.Status
START = datetime.date(2020, 1, 1)
QUOTA = 3
PASSWORD = "mật khẩu ký"
NOMINATION, SUBMISSION, DECISION = "nominations.nomination", "nominations.submission", "nominations.decision"
FINAL = {N.AWARDED, N.NOT_AWARDED, N.REVOKED}
# A nomination moved with its whole dossier is recorded once, on the dossier.
DOSSIER_MOVES = {(N.DRAFT, N.SUBMITTED): audit.SUBMISSION_SUBMITTED}
# What may follow what in a nomination's history: its state is explained only by a walk through these.
ALLOWED = {
    (N.DRAFT, N.SUBMITTED),
    (N.SUBMITTED, N.ACCEPTED),
    (N.SUBMITTED, N.NEEDS_COMPLETION),
    (N.SUBMITTED, N.REJECTED),
    (N.NEEDS_COMPLETION, N.SUBMITTED),
    (N.NEEDS_COMPLETION, N.NOT_AWARDED),
    (N.ACCEPTED, N.COUNCIL_PASSED),
    (N.ACCEPTED, N.COUNCIL_FAILED),
    (N.REJECTED, N.NOT_AWARDED),
    (N.COUNCIL_FAILED, N.NOT_AWARDED),
    (N.COUNCIL_PASSED, N.AWARDED),
    (N.COUNCIL_PASSED, N.NOT_AWARDED),  # struck by the chairman, with the reason
    (N.AWARDED, N.REVOKED),
}
# Where a run may start: later starts make signatures, strikes and revocations the common case.
STARTS = ["signed", "drafted", "signed", "passed", "accepted", "signed"]


def stage(name: str) -> None:
    """Note a stage reached for ``--hypothesis-show-statistics``; a scripted run (outside hypothesis) notes none."""
    try:
        event(name)
    except InvalidArgument:
        pass


def world() -> dict:
    """One city, one unit, one award type with an open-ballot rule, a campaign with a quota, a council of three."""
    User = get_user_model()
    city = OrgUnit.objects.create(code="sm-city", name="Thành phố Thử", kind="city", level=2, valid_from=START)
    unit = OrgUnit.objects.create(
        code="sm-unit", name="Trường Thử", kind="school", level=3, parent=city, valid_from=START
    )
    award = AwardType.objects.create(code="sm-gk", name="Giấy khen", form="giay_khen")
    AwardRuleSet.objects.create(
        award_type=award,
        valid_from=START,
        authority_level=2,
        recipient_kinds=["individual"],
        quorum=Decimal("0.6667"),
        vote_threshold=Decimal("0.7"),
        ballot=AwardRuleSet.Ballot.OPEN,
        completion_requests_limit=2,
        legal_basis="Luật Thi đua, khen thưởng",
    )
    BaseSalary.objects.get_or_create(valid_from=START, defaults={"amount": 2_340_000})
    campaign = Campaign.objects.create(
        issuer=city,
        code="sm-campaign",
        title="Đợt thi đua thử",
        period_start=START,
        period_end=datetime.date.today() + datetime.timedelta(days=365),
        nomination_deadline=datetime.date.today() + datetime.timedelta(days=365),
        status="launched",
    )
    CampaignAward.objects.create(campaign=campaign, award_type=award, default_quota=QUOTA)
    board = Council.objects.create(issuer=city, name="Hội đồng Thi đua – Khen thưởng thành phố Thử")
    for i, position in enumerate(["chair", "member", "member"]):
        user = User.objects.create_user(f"sm-tv{i}", first_name=f"Thành viên {i}")
        CouncilMember.objects.create(council=board, user=user, valid_from=START, position=position)
    people = {name: User.objects.create_user(f"sm-{name}", first_name=name) for name in ("clerk", "reviewer", "thuky")}
    CouncilMember.objects.create(council=board, user=people["thuky"], valid_from=START, position="secretary")
    chairman = User.objects.create_user("sm-chairman", first_name="Chủ tịch", password=PASSWORD)
    Membership.objects.create(user=chairman, unit=city, role=Role.CHAIRMAN, valid_from=START)
    return {"city": city, "unit": unit, "award": award, "campaign": campaign, "council": board, "chairman": chairman}


class Outcomes(RuleBasedStateMachine):
    w: dict = {}

    def __init__(self):
        super().__init__()
        # Each run starts from the same world and leaves nothing behind: a savepoint rolled back at teardown.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.phase: dict[int, str] = {}  # dossier id → draft / review / completion / council / chairman / closed
        self.withdrawn: set[int] = set()
        self.people = 0
        self._snapshot()

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # ---- what exists ----------------------------------------------------------------------------------

    def _nominations(self, *statuses):
        found = Nomination.objects.filter(submission__campaign=self.w["campaign"]).order_by("pk")
        return list(found.filter(status__in=statuses) if statuses else found)

    def _dossiers(self, phase):
        return sorted(pk for pk, p in self.phase.items() if p == phase)

    def _snapshot(self):
        self.last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.seen = dict(Nomination.objects.filter(submission__campaign=self.w["campaign"]).values_list("pk", "status"))
        self.decisions_seen = dict(Decision.objects.filter(campaign=self.w["campaign"]).values_list("pk", "status"))

    # ---- the dossier flow's gateways ------------------------------------------------------------------

    def _finalise(self, pk):
        outcome.submission_finalise(submission=pk)
        self.phase[pk] = "closed"
        stage("a dossier closed")

    def _after_appraisal(self, pk, route):
        if route == review.COMPLETE:
            self.phase[pk] = "completion"
        elif Nomination.objects.filter(submission_id=pk, status=N.ACCEPTED).exists():
            self.phase[pk] = "council"
        else:
            self._finalise(pk)

    def _resume(self):
        """The Handles resumed after a council or a decision, as ``workflow.steps.resume_waiting`` runs them."""
        for pk in self._dossiers("council"):
            if not Nomination.objects.filter(submission_id=pk, status=N.ACCEPTED).exists():
                outcome.submission_council_decided(submission=pk)
                if Nomination.objects.filter(submission_id=pk, status=N.COUNCIL_PASSED).exists():
                    outcome.submission_to_chairman(submission=pk)
                    self.phase[pk] = "chairman"
                    stage("a dossier went to the chairman")
                else:
                    self._finalise(pk)
        for pk in self._dossiers("chairman"):
            if not Nomination.objects.filter(submission_id=pk, status=N.COUNCIL_PASSED).exists():
                self._finalise(pk)

    @initialize(start=st.sampled_from(STARTS), strike=st.booleans())
    def a_starting_dossier(self, start, strike=False):
        """A dossier of two nominations, brought as far as ``start``: accepted, passed by the council, drafted
        into a decision, or signed. Most orders worth trying begin there, and the chairman's steps are then
        reached in most runs."""
        stage(f"start: {start}")
        self.add_nomination(new_dossier=True)
        self.add_nomination(new_dossier=False)
        pk = self._dossiers("draft")[0]
        review.submission_head_decide(submission=pk, actor=self.w["clerk"], submit=True)
        accept = {n.pk: (review.ACCEPT, "") for n in Nomination.objects.filter(submission_id=pk)}
        self._after_appraisal(
            pk, review.submission_review(submission=pk, actor=self.w["reviewer"], decisions=accept)[1]
        )
        if start == "accepted":
            return
        self._open(self._nominations(N.ACCEPTED))
        self._vote(lambda item: True)
        self.close()
        if start == "passed":
            return
        self._draft(self._undrafted())
        if start == "drafted":
            return
        decision = self._decisions(D.DRAFT)[0]
        self._sign(decision, struck=list(decision.items.order_by("pk"))[:1] if strike else [])

    @rule()
    def redeliver(self):
        """A resume task delivered again (the outbox sends at least once): the dossiers stay where they are.

        Always possible, so a run never stalls once every dossier is closed."""
        before = dict(self.phase)
        self._resume()
        assert self.phase == before

    # ---- the unit -------------------------------------------------------------------------------------

    def _in_play(self):
        return Nomination.objects.filter(submission__campaign=self.w["campaign"]).exclude(
            status__in=[N.REJECTED, N.NOT_AWARDED, N.REVOKED]
        )

    @precondition(lambda self: self._in_play().count() <= QUOTA and (self._dossiers("draft") or len(self.phase) < 4))
    @rule(new_dossier=st.booleans())
    def add_nomination(self, new_dossier):
        drafts = self._dossiers("draft")
        if (new_dossier and len(self.phase) < 4) or not drafts:
            submission = dossiers.submission_create(
                campaign=self.w["campaign"], unit=self.w["unit"], title="Tờ trình", actor=self.w["clerk"]
            )
            self.phase[submission.pk] = "draft"
        else:
            submission = Submission.objects.get(pk=drafts[-1])
        # The quota counts every nomination still in play: never a rejected, a not awarded or a revoked one.
        used = self._in_play()
        self.people += 1
        person = {"kind": "individual", "name": f"Người {self.people}", "gender": "female", "ethnicity": "Kinh"}
        add = dict(submission=submission, award_type=self.w["award"], achievement="Thành tích", actor=self.w["clerk"])
        if used.count() >= QUOTA:
            stage("the quota refused a nomination")
            with pytest.raises(ValidationError, match="hết chỉ tiêu"):
                dossiers.nomination_add(candidate=person, **add)
        else:
            dossiers.nomination_add(candidate=person, **add)

    @precondition(lambda self: self._nominations(N.DRAFT))
    @rule(data=st.data())
    def withdraw(self, data):
        nomination = data.draw(st.sampled_from(self._nominations(N.DRAFT)))
        pk = nomination.pk  # the row goes, its id with it
        dossiers.nomination_remove(nomination=nomination, actor=self.w["clerk"])
        self.withdrawn.add(pk)

    def _submittable(self):
        drafts = self._dossiers("draft")
        return sorted(set(Nomination.objects.filter(submission_id__in=drafts).values_list("submission_id", flat=True)))

    @precondition(lambda self: self._submittable())
    @rule(data=st.data())
    def submit(self, data):
        pk = data.draw(st.sampled_from(self._submittable()))
        review.submission_head_decide(submission=pk, actor=self.w["clerk"], submit=True)
        self.phase[pk] = "review"

    @precondition(lambda self: self._dossiers("completion"))
    @rule(data=st.data())
    def complete(self, data):
        pk = data.draw(st.sampled_from(self._dossiers("completion")))
        review.submission_complete(submission=pk, actor=self.w["clerk"])
        self.phase[pk] = "review"

    # ---- the standing body ----------------------------------------------------------------------------

    def _appraise(self, pk, choose):
        """The reviewer decides each nomination still submitted, as ``choose(nomination)`` says."""
        pending = Nomination.objects.filter(submission_id=pk, status=N.SUBMITTED).order_by("pk")
        choices = {
            n.pk: (choice, "" if choice == review.ACCEPT else "Ghi chú") for n in pending for choice in [choose(n)]
        }
        try:
            _submission, route = review.submission_review(submission=pk, actor=self.w["reviewer"], decisions=choices)
        except ValidationError as error:
            assert error.code == "completion_limit"  # the rule set allows two completion rounds
            return
        self._after_appraisal(pk, route)

    @precondition(lambda self: self._dossiers("review"))
    @rule(data=st.data())
    def appraise(self, data):
        pk = data.draw(st.sampled_from(self._dossiers("review")))
        # Accepting is the common case: weighted so that runs reach the council and the chairman.
        self._appraise(pk, lambda n: data.draw(st.sampled_from([review.ACCEPT] * 4 + [review.COMPLETE, review.REJECT])))

    # ---- the council ----------------------------------------------------------------------------------

    def _voting(self):
        return CouncilSession.objects.filter(status=CouncilSession.Status.VOTING).exists()

    def _ballot_open(self):
        """A session voting whose round nobody has voted in yet."""
        session = CouncilSession.objects.filter(status=CouncilSession.Status.VOTING).first()
        return session and not BallotCast.objects.filter(session=session, round=session.round).exists()

    def _open(self, chosen):
        members = list(council.voting_members(self.w["council"], datetime.date.today()))
        return council.session_open(
            council=self.w["council"],
            campaign=self.w["campaign"],
            title="Phiên họp",
            held_on=datetime.date.today(),
            place="Hội trường",
            nominations=chosen,
            present=members,
            actor=self.w["thuky"],
        )

    def _ready(self):
        return [n for n in self._nominations(N.ACCEPTED) if self.phase[n.submission_id] == "council"]

    @precondition(lambda self: self._nominations(N.ACCEPTED) and not self._voting())
    @rule(data=st.data())
    def open_session(self, data):
        # Mostly the whole ready agenda (as a secretary does), sometimes any pick of what is accepted.
        if self._ready() and data.draw(st.sampled_from([True, True, False])):
            chosen = self._ready()
        else:
            chosen = data.draw(st.lists(st.sampled_from(self._nominations(N.ACCEPTED)), min_size=1, unique=True))
        if all(self.phase[n.submission_id] == "council" for n in chosen):
            self._open(chosen)
            stage("a council session opened")
        else:  # a dossier still in appraisal keeps its accepted nominations off the agenda
            with pytest.raises(ValidationError, match="chưa thẩm định xong"):
                self._open(chosen)

    def _vote(self, passes):
        """Every member votes; each item passes (all agree) or fails (all disagree), as ``passes(item)`` says."""
        session = CouncilSession.objects.get(status=CouncilSession.Status.VOTING)
        passing = {i.pk: passes(i) for i in session.items.filter(round=session.round)}
        for member in council.voting_members(self.w["council"], datetime.date.today()):
            if council.may_vote(session, member, written=False):
                choices = {
                    i.pk: "agree" if passing[i.pk] else "disagree" for i in council.ballot_items(session, member)
                }
                council.ballot_cast(session=session, member=member, choices=choices)

    @precondition(lambda self: self._ballot_open())
    @rule(data=st.data())
    def vote(self, data):
        # Passing is the common case: weighted so that runs go on to the chairman.
        self._vote(lambda item: data.draw(st.sampled_from([True, True, True, False])))

    @precondition(lambda self: self._voting())
    @rule()
    def close(self):
        session = CouncilSession.objects.get(status=CouncilSession.Status.VOTING)
        council.voting_close(session=session, actor=self.w["thuky"])
        council.session_conclude(session=session)
        if self._nominations(N.COUNCIL_PASSED):
            stage("the council passed a nomination")
        self._resume()

    # ---- the chairman ---------------------------------------------------------------------------------

    def _undrafted(self):
        return list(Nomination.objects.filter(status=N.COUNCIL_PASSED, decision_item__isnull=True).order_by("pk"))

    def _draft(self, chosen):
        decisions.decision_draft(
            campaign=self.w["campaign"], award_type=self.w["award"], nominations=chosen, actor=self.w["thuky"]
        )
        stage("a decision drafted")

    @precondition(lambda self: self._undrafted())
    @rule(data=st.data())
    def draft_decision(self, data):
        self._draft(data.draw(st.lists(st.sampled_from(self._undrafted()), min_size=1, unique=True)))

    def _decisions(self, status):
        return list(Decision.objects.filter(campaign=self.w["campaign"], status=status).order_by("pk"))

    def _sign(self, decision, struck):
        decisions.decision_sign(
            decision=decision,
            actor=self.w["chairman"],
            password=PASSWORD,
            struck={item.pk: "Trùng thành tích" for item in struck},
        )
        stage("a decision signed" + (" with a name struck" if struck else ""))
        self._resume()

    @precondition(lambda self: self._decisions(D.DRAFT))
    @rule(data=st.data())
    def sign(self, data):
        decision = data.draw(st.sampled_from(self._decisions(D.DRAFT)))
        items = list(decision.items.order_by("pk"))
        # Each name but the last may be struck (a decision with every name struck cannot be signed).
        self._sign(decision, [item for item in items[:-1] if data.draw(st.booleans())])

    def _revoke(self, decision):
        decisions.decision_revoke(
            decision=decision, actor=self.w["chairman"], reason="Kê khai không đúng", password=PASSWORD
        )
        stage("a decision revoked")

    @precondition(lambda self: self._decisions(D.SIGNED))
    @rule(data=st.data())
    def revoke(self, data):
        self._revoke(data.draw(st.sampled_from(self._decisions(D.SIGNED))))

    # ---- invariants -----------------------------------------------------------------------------------

    @invariant()
    def each_state_is_explained_by_its_history(self):
        """Replaying a nomination's trail (its own events, and its dossier's submission for the first move)
        through ``ALLOWED`` ends in its state; one not awarded (or revoked) has the reason its last event gave."""
        trail = AuditEvent.objects.filter(target_type=NOMINATION).exclude(to_state="").order_by("pk")
        for nomination in self._nominations():
            state, reason = N.DRAFT, ""
            for before, after, comment in trail.filter(target_id=str(nomination.pk)).values_list(
                "from_state", "to_state", "comment"
            ):
                if (state, before) in DOSSIER_MOVES:  # moved with its dossier, recorded once on the dossier
                    state = before
                assert before == state and (before, after) in ALLOWED, (nomination.pk, state, before, after)
                state, reason = after, comment
            if state == N.DRAFT and nomination.status == N.SUBMITTED:
                state = N.SUBMITTED  # submitted with its dossier and nothing since
            assert nomination.status == state, (nomination.pk, nomination.status, state)
            if state in (N.NOT_AWARDED, N.REVOKED):
                assert nomination.outcome_reason.strip() and reason == nomination.outcome_reason, nomination.pk

    @invariant()
    def a_closed_dossier_has_only_outcomes(self):
        closed = self._dossiers("closed")
        left = Nomination.objects.filter(submission_id__in=closed).exclude(status__in=FINAL)
        assert not left.exists(), list(left.values_list("pk", "status"))
        assert all(Submission.objects.get(pk=pk).status == Submission.Status.DECIDED for pk in closed)

    @invariant()
    def revoked_means_in_a_revoked_decision(self):
        for nomination in self._nominations(N.REVOKED):
            assert nomination.decision_item.decision.status == D.REVOKED and not nomination.decision_item.struck
        for nomination in self._nominations(N.AWARDED):
            assert nomination.decision_item.decision.status == D.SIGNED

    @invariant()
    def withdrawn_is_gone_with_its_event(self):
        for pk in self.withdrawn:
            assert not Nomination.objects.filter(pk=pk).exists()
            assert AuditEvent.objects.filter(event_type=audit.NOMINATION_REMOVED, target_id=str(pk)).count() == 1

    @invariant()
    def each_change_of_state_has_one_audit_event(self):
        events = AuditEvent.objects.filter(pk__gt=self.last_event)
        now = dict(Nomination.objects.filter(submission__campaign=self.w["campaign"]).values_list("pk", "status"))
        for pk, status in now.items():
            before = self.seen.get(pk)
            if before is None or before == status:
                continue
            mine = events.filter(target_type=NOMINATION, target_id=str(pk), to_state=status)
            if (before, status) in DOSSIER_MOVES and not mine.exists():
                nomination = Nomination.objects.get(pk=pk)
                mine = events.filter(
                    event_type=DOSSIER_MOVES[before, status],
                    target_type=SUBMISSION,
                    target_id=str(nomination.submission_id),
                )
            assert mine.count() == 1, (pk, before, status, list(mine.values_list("event_type", flat=True)))
        for pk, status in Decision.objects.filter(campaign=self.w["campaign"]).values_list("pk", "status"):
            if self.decisions_seen.get(pk) != status:
                mine = events.filter(target_type=DECISION, target_id=str(pk), to_state=status)
                assert mine.count() == 1, (pk, status)
        self._snapshot()


@pytest.fixture
def machine_world(db):
    Outcomes.w = world()
    people = get_user_model().objects.filter(username__in=["sm-clerk", "sm-reviewer", "sm-thuky"])
    Outcomes.w.update({u.username.removeprefix("sm-"): u for u in people})
    return Outcomes.w


def test_every_outcome_is_explained_by_its_history(machine_world):
    run_state_machine_as_test(
        Outcomes,
        settings=settings(
            max_examples=12,
            stateful_step_count=25,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


INVARIANTS = [name for name, value in vars(Outcomes).items() if hasattr(value, "hypothesis_stateful_invariant")]


class Scripted:
    """The same machine walked through fixed steps, every invariant checked after each, as hypothesis does."""

    def __init__(self):
        self.machine = Outcomes()
        self.check()

    def __getattr__(self, name):
        method = getattr(self.machine, name)

        def step(*args, **kwargs):
            result = method(*args, **kwargs)
            self.check()
            return result

        return step

    def check(self):
        for name in INVARIANTS:
            getattr(self.machine, name)()


def status(name):
    return Nomination.objects.get(candidate__name=name).status


def test_a_scripted_run_reaches_revocation_and_every_state_is_explained(machine_world):
    """Start signed, revoke: the awards are revoked with the reason, the quota is free again, a new dossier
    goes through to a signature with a name struck, and every step keeps the invariants."""
    assert len(INVARIANTS) >= 5
    run = Scripted()
    try:
        run.a_starting_dossier(start="signed")
        signed = run.machine._decisions(D.SIGNED)
        assert len(signed) == 1 and {status("Người 1"), status("Người 2")} == {N.AWARDED}
        run._revoke(signed[0])
        assert {status("Người 1"), status("Người 2")} == {N.REVOKED}
        assert set(Nomination.objects.values_list("outcome_reason", flat=True)) == {"Kê khai không đúng"}
        # The revoked awards no longer use the quota: three new nominations fit.
        for new_dossier in (True, False, False):
            run.add_nomination(new_dossier=new_dossier)
        pk = run.machine._dossiers("draft")[0]
        run.submit(data=_Fixed([pk]))
        run._appraise(pk, lambda n: review.ACCEPT)
        run._open(run.machine._ready())
        run._vote(lambda item: True)
        run.close()
        run._draft(run.machine._undrafted())
        drafted = run.machine._decisions(D.DRAFT)[0]
        run._sign(drafted, struck=list(drafted.items.order_by("pk"))[:1])
        assert [status(f"Người {i}") for i in (3, 4, 5)] == [N.NOT_AWARDED, N.AWARDED, N.AWARDED]
        assert Nomination.objects.get(candidate__name="Người 3").outcome_reason == "Trùng thành tích"
        run._revoke(drafted)
        assert [status(f"Người {i}") for i in (3, 4, 5)] == [N.NOT_AWARDED, N.REVOKED, N.REVOKED]
        assert run.machine._dossiers("closed") == sorted(run.machine.phase)
    finally:
        run.machine.teardown()


def test_a_scripted_run_of_the_dropped_nomination_case(machine_world):
    """A accepted, B returned for completion: A stays off the agenda until B is appraised; B rejected, A goes
    to the council and the chairman, is awarded, then revoked; B ends "not awarded" with its reason."""
    run = Scripted()
    try:
        run.add_nomination(new_dossier=True)
        run.add_nomination(new_dossier=False)
        pk = run.machine._dossiers("draft")[0]
        run.submit(data=_Fixed([pk]))
        run._appraise(pk, lambda n: review.ACCEPT if n.candidate.name == "Người 1" else review.COMPLETE)
        assert run.machine.phase[pk] == "completion"
        run.open_session(data=_Fixed([run.machine._nominations(N.ACCEPTED)]))  # refused: not ready
        run.complete(data=_Fixed([pk]))
        run._appraise(pk, lambda n: review.REJECT)
        assert run.machine.phase[pk] == "council"
        run._open(run.machine._ready())
        run._vote(lambda item: True)
        run.close()
        assert run.machine.phase[pk] == "chairman"
        run._draft(run.machine._undrafted())
        run._sign(run.machine._decisions(D.DRAFT)[0], struck=[])
        assert run.machine.phase[pk] == "closed"
        assert (status("Người 1"), status("Người 2")) == (N.AWARDED, N.NOT_AWARDED)
        assert Nomination.objects.get(candidate__name="Người 2").outcome_reason == "Ghi chú"  # the reviewer's note
        run._revoke(run.machine._decisions(D.SIGNED)[0])
        assert (status("Người 1"), status("Người 2")) == (N.REVOKED, N.NOT_AWARDED)
    finally:
        run.machine.teardown()


class _Fixed:
    """Stands for ``st.data()`` in a scripted step: each draw returns the next of the given values."""

    def __init__(self, values):
        self.values = list(values)

    def draw(self, _strategy):
        return self.values.pop(0)
