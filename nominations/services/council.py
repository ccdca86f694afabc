"""Council sessions: agenda, attendance, recusal, ballots (secret or open), tally."""

import random
import secrets
import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from workflow import audit

from ..models import (
    AgendaItem,
    Attendance,
    AwardRuleSet,
    BallotCast,
    BallotReceipt,
    Council,
    CouncilMember,
    CouncilSession,
    Membership,
    Nomination,
    OpenVote,
    Recusal,
    SealedBallot,
    SecretVote,
)
from ..rules import session_dates
from ..selectors import NoRuleInForce, ready_for_council, rule_set_on
from . import ballot_box
from .decisions import next_number
from .rows import insert_rows, update_rows

CHOICES = ballot_box.CHOICES
R = AgendaItem.Result


def scope_of(session: CouncilSession) -> str:
    return f"council_session:{session.pk}"


# A session that has not concluded holds its agenda: its nominations may be on no other.
OPEN_SESSION = (CouncilSession.Status.PREPARING, CouncilSession.Status.VOTING)


def on_open_session(nominations):
    """Those of ``nominations`` already on the agenda of a session that has not concluded."""
    return nominations.filter(agenda_items__session__status__in=OPEN_SESSION)


def voting_members(council: Council, day):
    """Members who vote on ``day`` (the secretary keeps the minutes)."""
    return (
        council.members.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .exclude(position=CouncilMember.Position.SECRETARY)
        .select_related("user")
    )


def session_rule(session: CouncilSession) -> AwardRuleSet:
    item = session.items.select_related("nomination__award_type").first()
    return rule_set_on(item.nomination.award_type, session.held_on)


def _ratio(part: int, whole: int) -> Decimal:
    """part/whole to the precision rule sets are stored with, so 6/9 meets a 0.6667 (2/3) rule."""
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _check_quorum(present: int, total: int, rule: AwardRuleSet) -> None:
    if total == 0 or _ratio(present, total) < rule.quorum:
        raise ValidationError(
            _("Không đủ số thành viên dự họp: %(p)s/%(t)s có mặt, cần tối thiểu %(q)s%% tổng số thành viên.")
            % {"p": present, "t": total, "q": round(rule.quorum * 100)},
            code="no_quorum",
        )


def _automatic_recusals(items, members) -> None:
    """Recuse members from the items of their own unit or of themselves (memberships read in one query)."""
    units_of = {m.user_id: set() for m in members}
    for user_id, unit_id in Membership.objects.filter(user__in=list(units_of)).values_list("user_id", "unit_id"):
        units_of[user_id].add(unit_id)
    own, same_unit = _("Thành viên là người được đề nghị"), _("Thành viên thuộc đơn vị đề nghị")
    recusals = []
    for item in items:
        nomination = item.nomination
        for member in members:
            if nomination.candidate.user_id == member.user_id:
                reason = own
            elif nomination.submission.unit_id in units_of[member.user_id]:
                reason = same_unit
            else:
                continue
            recusals.append(Recusal(item=item, member=member, automatic=True, reason=reason))
    Recusal.objects.bulk_create(recusals)


def _check_appraisal_over(nominations) -> None:
    """Only nominations whose whole dossier is appraised (see selectors.ready_for_council)."""
    ready = set(
        ready_for_council(Nomination.objects.filter(pk__in=[n.pk for n in nominations])).values_list("pk", flat=True)
    )
    if waiting := [n for n in nominations if n.pk not in ready]:
        raise ValidationError(
            {
                "nominations": _(
                    "Hồ sơ của %(names)s chưa thẩm định xong (còn đề nghị đang chờ bổ sung hoặc thẩm định): "
                    "chỉ đưa ra Hội đồng khi cả hồ sơ đã thẩm định xong."
                )
                % {"names": ", ".join(str(n.candidate) for n in waiting)}
            }
        )


@transaction.atomic
def session_open(
    *, council: Council, campaign, title: str, held_on, place: str, nominations, present, actor, trail=None
) -> CouncilSession:
    """Open a session: agenda of reviewed nominations of one award type, attendance, automatic recusals."""
    # The day's window first: a day far off is a typing mistake, to be told as such
    # rather than as the issuer being out of force on that day.
    _check_held_on(held_on)
    if not council.issuer.is_valid_on(held_on):
        raise ValidationError(
            {
                "held_on": _("%(u)s không còn hoạt động ngày %(d)s, Hội đồng không họp được.")
                % {"u": council.issuer, "d": held_on.strftime("%d/%m/%Y")}
            },
            code="issuer_not_in_force",
        )
    nominations = list(nominations)
    if not nominations:
        raise ValidationError({"nominations": _("Chưa chọn nội dung nào để Hội đồng xét.")})
    if {n.award_type_id for n in nominations} != {nominations[0].award_type_id}:
        raise ValidationError({"nominations": _("Mỗi phiên biểu quyết chỉ xét một hình thức khen thưởng.")})
    if any(n.status != Nomination.Status.ACCEPTED or n.submission.campaign_id != campaign.pk for n in nominations):
        raise ValidationError(
            {"nominations": _("Chỉ đưa vào chương trình các đề nghị đã đạt thẩm định của phong trào.")}
        )
    _check_appraisal_over(nominations)
    try:
        rule = rule_set_on(nominations[0].award_type, held_on)
    except NoRuleInForce as exc:
        raise ValidationError({"held_on": str(exc)}) from exc
    _check_not_on_open_session(nominations)
    members = list(voting_members(council, held_on))
    present_ids = {m.pk for m in present}
    _check_quorum(len([m for m in members if m.pk in present_ids]), len(members), rule)
    session = CouncilSession.objects.create(
        council=council,
        campaign=campaign,
        title=title,
        held_on=held_on,
        place=place,
        status=CouncilSession.Status.VOTING,
        secret=rule.ballot == AwardRuleSet.Ballot.SECRET,
        written_votes_allowed=rule.written_votes_allowed,
        opened_by=actor,
    )
    if session.secret:
        ballot_box.key_create(session)
    Attendance.objects.bulk_create(Attendance(session=session, member=m, present=m.pk in present_ids) for m in members)
    items = AgendaItem.objects.bulk_create(
        AgendaItem(session=session, nomination=nomination, number=number)
        for number, nomination in enumerate(nominations, start=1)
    )
    _automatic_recusals(items, members)
    audit.record(
        audit.COUNCIL_SESSION_OPENED,
        actor=actor,
        target=session,
        scope=scope_of(session),
        to_state=session.status,
        data={
            "agenda": [n.pk for n in nominations],
            "present": sorted(present_ids),
            "members": [m.pk for m in members],
        },
        **(trail or {}),
    )
    return session


def _check_held_on(held_on) -> None:
    earliest, latest = session_dates(timezone.localdate())
    if not earliest <= held_on <= latest:
        raise ValidationError(
            {
                "held_on": _("Ngày họp phải trong khoảng từ %(earliest)s đến %(latest)s.")
                % {"earliest": earliest.strftime("%d/%m/%Y"), "latest": latest.strftime("%d/%m/%Y")}
            }
        )


def _check_not_on_open_session(nominations) -> None:
    # The nominations' rows are locked first: two sessions opened at once on
    # one nomination wait for each other, and the second sees the first's agenda.
    pks = [n.pk for n in nominations]
    list(Nomination.objects.select_for_update().filter(pk__in=pks).order_by("pk").values_list("pk"))
    taken = on_open_session(Nomination.objects.filter(pk__in=pks)).select_related("candidate").distinct()
    if taken:
        names = ", ".join(sorted(str(n.candidate) for n in taken))
        raise ValidationError(
            {"nominations": _("Đề nghị đang được xét tại một phiên họp chưa kết thúc: %(names)s.") % {"names": names}}
        )


def ballot_items(session: CouncilSession, member: CouncilMember):
    """The items of the current round this member votes on (not recused)."""
    return (
        session.items.filter(round=session.round, result=R.PENDING)
        .exclude(recusals__member=member)
        .select_related("nomination__candidate", "nomination__award_type", "nomination__submission__unit")
    )


class BallotRow(NamedTuple):
    """One agenda item as a ballot shows it, read without model instances (an agenda may hold 500)."""

    pk: int
    number: int
    candidate: str
    unit: str
    award_type: str

    def __str__(self):  # as AgendaItem's: "number. candidate – award type"
        return f"{self.number}. {self.candidate} – {self.award_type}"

    @property
    def label(self) -> str:
        return f"{self.number}. {self.candidate} – {self.unit}"


def ballot_rows(items) -> list[BallotRow]:
    """BallotRows of a queryset of agenda items, in agenda order."""
    columns = ("pk", "number", "nomination__candidate__name", "nomination__submission__unit__name")
    return [BallotRow._make(row) for row in items.values_list(*columns, "nomination__award_type__name")]


def may_vote(session: CouncilSession, member: CouncilMember, *, written: bool) -> bool:
    attendance = session.attendance.filter(member=member).first()
    if attendance is None:
        return False
    return attendance.present != written and (not written or session.written_votes_allowed)


@transaction.atomic
def ballot_cast(
    *, session: CouncilSession, member: CouncilMember, choices: dict, written: bool = False, entered_by=None, trail=None
) -> str:
    """Record one member's ballot for the current round; return the receipt code.

    Refuses a second ballot of the same member in the same round.
    """
    session = CouncilSession.objects.select_for_update().get(pk=session.pk)
    if session.status != CouncilSession.Status.VOTING:
        raise ValidationError(_("Phiên họp không trong thời gian biểu quyết."), code="not_voting")
    if not may_vote(session, member, written=written):
        raise ValidationError(_("Thành viên này không được bỏ phiếu ở phiên họp này."), code="not_allowed")
    expected = set(ballot_items(session, member).values_list("pk", flat=True))
    if set(choices) != expected or any(c not in CHOICES for c in choices.values()):
        raise ValidationError(
            _("Phiếu phải có ý kiến cho tất cả và chỉ các nội dung được biểu quyết."), code="invalid_ballot"
        )
    try:
        with transaction.atomic():
            BallotCast.objects.create(session=session, round=session.round, member=member, written=written)
    except IntegrityError:
        raise ValidationError(
            _("Thành viên đã bỏ phiếu ở vòng này; mỗi người chỉ có một phiếu."), code="already_voted"
        ) from None
    receipt = secrets.token_hex(5).upper()
    if session.secret:
        # Nothing readable is stored until the round closes: the choices and the receipt go into the box sealed,
        # under a random id, with no member and no time (the voter keeps the receipt code returned here).
        ciphertext = ballot_box.seal(session, receipt, choices)
        SealedBallot.objects.create(session=session, round=session.round, ciphertext=ciphertext)
    else:
        insert_rows(
            OpenVote,
            ["item", "round", "member", "choice"],
            [(i, session.round, member.pk, c) for i, c in choices.items()],
        )
    # The trail says who voted, never what a secret ballot chose.
    audit.record(
        audit.COUNCIL_BALLOT_CAST,
        actor=entered_by or member.user,
        target=session,
        scope=scope_of(session),
        data={
            "round": session.round,
            "member": member.pk,
            "written": written,
            **({} if session.secret else {"choices": {str(k): v for k, v in choices.items()}}),
        },
        **(trail or {}),
    )
    return receipt


@transaction.atomic
def recusal_declare(*, item: AgendaItem, member: CouncilMember, reason: str, trail=None) -> Recusal:
    """A member declares a conflict of interest on one item, before voting on it."""
    if not reason.strip():
        raise ValidationError({"reason": _("Cần nêu lý do không tham gia biểu quyết.")})
    if BallotCast.objects.filter(session=item.session, round=item.session.round, member=member).exists():
        raise ValidationError(_("Đã bỏ phiếu thì không thể xin không tham gia biểu quyết."), code="already_voted")
    recusal, _created = Recusal.objects.get_or_create(item=item, member=member, defaults={"reason": reason})
    audit.record(
        audit.COUNCIL_RECUSAL,
        actor=member.user,
        target=item,
        scope=scope_of(item.session),
        comment=reason,
        data={"member": member.pk, "automatic": False},
        **(trail or {}),
    )
    return recusal


def all_voted(session: CouncilSession) -> bool:
    present = session.attendance.filter(present=True).count()
    return BallotCast.objects.filter(session=session, round=session.round, written=False).count() >= present


@transaction.atomic
def voting_close(*, session: CouncilSession, actor=None, trail=None) -> CouncilSession:
    """Close the current round and count it."""
    session = CouncilSession.objects.select_for_update().get(pk=session.pk)
    if session.status != CouncilSession.Status.VOTING:
        return session
    casts = BallotCast.objects.filter(session=session, round=session.round).aggregate(
        total=Count("pk"), written=Count("pk", filter=Q(written=True))
    )
    if session.secret:
        _unseal_ballots(session, casts["total"])
    _tally(session, written=casts["written"])
    session.status = CouncilSession.Status.CLOSED
    session.save(update_fields=["status"])
    minutes_issue(session, timezone.localdate())
    audit.record(
        audit.COUNCIL_VOTING_CLOSED,
        actor=actor,
        target=session,
        scope=scope_of(session),
        from_state=CouncilSession.Status.VOTING,
        to_state=session.status,
        data={
            "round": session.round,
            "results": {
                str(i.pk): [i.result, i.agree, i.disagree, i.abstain, i.base]
                for i in session.items.filter(round=session.round)
            },
        },
        **(trail or {}),
    )
    return session


def minutes_issue(session: CouncilSession, day) -> None:
    """The minutes exist once voting first closes: they take the next number of the council's register (the
    issuer's "BB", restarting each year) then, and keep it through a second round."""
    if session.minutes_number:
        return
    session.minutes_number = next_number(session.council.issuer, "BB", day.year)
    session.minutes_year = day.year
    session.save(update_fields=["minutes_number", "minutes_year"])


def minutes_reference(session: CouncilSession) -> str:
    """ "01/BB-HĐTĐKT", or "/BB-HĐTĐKT" while voting has not closed."""
    return f"{session.minutes_number:02d}/BB-HĐTĐKT" if session.minutes_number else "/BB-HĐTĐKT"


def _pending_counted(session: CouncilSession):
    """The round's pending items, each annotated with its recusals and its votes per choice: one query."""
    votes = "secret_votes" if session.secret else "open_votes"
    per_choice = {
        f"n_{choice}": Count(
            votes, filter=Q(**{f"{votes}__round": session.round, f"{votes}__choice": choice}), distinct=True
        )
        for choice in CHOICES
    }
    return session.items.filter(round=session.round, result=R.PENDING).annotate(
        recused=Count("recusals", distinct=True), **per_choice
    )


def _tally(session: CouncilSession, *, written: int) -> None:
    rule = session_rule(session)
    members = session.attendance.count()
    voters = session.attendance.filter(present=True).count() + written
    items = list(_pending_counted(session))
    for item in items:
        recused = item.recused
        item.agree, item.disagree, item.abstain = item.n_agree, item.n_disagree, item.n_abstain
        item.base = (members if rule.vote_base == AwardRuleSet.VoteBase.ALL else voters) - recused
        valid = item.agree + item.disagree + item.abstain
        if item.base <= 0 or members == recused or _ratio(valid, members - recused) < rule.quorum:
            item.result = R.NO_QUORUM
        elif _ratio(item.agree, item.base) >= rule.vote_threshold:
            item.result = R.PASSED
        elif item.agree == item.disagree:
            item.result = R.TIE
        else:
            item.result = R.FAILED
    fields = ["agree", "disagree", "abstain", "base", "result"]
    update_rows(AgendaItem, fields, [(i.pk, *(getattr(i, f) for f in fields)) for i in items])


def _unseal_ballots(session: CouncilSession, casts: int) -> None:
    """Open the round's sealed ballots and write them out, then destroy the round's key and sealed ballots.

    The votes and the receipts are each written in one statement, in random order under new random ids, after
    every cast (in the close's own transaction, or the count's savepoint when the last ballot ends the round):
    neither row order nor transaction id links one of them to a voter.
    """
    ballots = ballot_box.open_round(session)
    if len(ballots) != casts:
        # Ballots cast before sealing was deployed were stored in the clear: they count as sealed ones.
        in_clear = BallotReceipt.objects.filter(session=session, round=session.round).count()
        if len(ballots) + in_clear != casts:
            raise ballot_box.BallotBoxError(f"session {session.pk}: {len(ballots)} sealed ballots for {casts} casts")
    shuffle = random.SystemRandom().shuffle
    votes = [(item, choice) for ballot in ballots for item, choice in ballot.choices.items()]
    receipts = [ballot.receipt for ballot in ballots]
    shuffle(votes)
    shuffle(receipts)
    insert_rows(SecretVote, ["id", "item", "round", "choice"], [(uuid.uuid4(), i, session.round, c) for i, c in votes])
    insert_rows(
        BallotReceipt,
        ["id", "session", "round", "code"],
        [(uuid.uuid4(), session.pk, session.round, r) for r in receipts],
    )
    ballot_box.destroy(session)


def undecided_items(session: CouncilSession):
    return session.items.filter(round=session.round, result__in=[R.TIE, R.NO_QUORUM])


@transaction.atomic
def second_round_open(*, session: CouncilSession, actor, trail=None) -> CouncilSession:
    """Vote again on the tied / inquorate items of the last round."""
    session = CouncilSession.objects.select_for_update().get(pk=session.pk)
    items = list(undecided_items(session))
    if not items:
        raise ValidationError(_("Không có nội dung nào cần biểu quyết lại."), code="nothing_to_revote")
    session.round += 1
    session.status = CouncilSession.Status.VOTING
    session.save(update_fields=["round", "status"])
    if session.secret:
        ballot_box.key_create(session)
    for item in items:
        item.round, item.result = session.round, R.PENDING
        item.agree = item.disagree = item.abstain = item.base = 0
        item.save(update_fields=["round", "result", "agree", "disagree", "abstain", "base"])
    audit.record(
        audit.COUNCIL_SECOND_ROUND,
        actor=actor,
        target=session,
        scope=scope_of(session),
        data={"round": session.round, "items": [i.pk for i in items]},
        **(trail or {}),
    )
    return session


@translation.override("vi")  # stored in the record and the audit trail: always Vietnamese
def tally_reason(item: AgendaItem) -> str:
    pct = round(item.share * 100, 1)
    return _("Hội đồng: %(a)s tán thành, %(d)s không tán thành, %(ab)s không biểu quyết / %(b)s (%(p)s%%) – %(r)s") % {
        "a": item.agree,
        "d": item.disagree,
        "ab": item.abstain,
        "b": item.base,
        "p": pct,
        "r": item.get_result_display(),
    }


@transaction.atomic
def session_conclude(*, session: CouncilSession, trail=None) -> list:
    """Carry the results to the nominations; return the submissions they belong to."""
    nominations, events = [], []
    now = timezone.now()
    for item in session.items.select_related("nomination"):
        nomination = item.nomination
        if nomination.status != Nomination.Status.ACCEPTED:
            continue
        passed = item.result == R.PASSED
        reason = tally_reason(item)
        nomination.status = Nomination.Status.COUNCIL_PASSED if passed else Nomination.Status.COUNCIL_FAILED
        nomination.outcome_reason = "" if passed else reason
        nomination.updated_at = now  # auto_now: update_rows sets only what it is given
        nominations.append(nomination)
        events.append(
            {
                "event_type": audit.NOMINATION_COUNCIL_RESULT,
                "target": nomination,
                "scope": f"submission:{nomination.submission_id}",
                "from_state": Nomination.Status.ACCEPTED,
                "to_state": nomination.status,
                "comment": reason,
                "data": {"session": session.pk, "item": item.pk},
                **(trail or {}),
            }
        )
    update_rows(
        Nomination,
        ["status", "outcome_reason", "updated_at"],
        [(n.pk, n.status, n.outcome_reason, now) for n in nominations],
    )
    audit.record_many(events)
    return sorted({n.submission_id for n in nominations})
