"""Council sessions: opening one (agenda, attendance, automatic recusals) and carrying its results to the
nominations. The voting itself is in ``ballots`` (its names are re-exported here for the pages and steps)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow import audit

from ..models import (
    AgendaItem,
    Attendance,
    AwardRuleSet,
    Council,
    CouncilMember,
    CouncilSession,
    Membership,
    Nomination,
    Recusal,
)
from ..rules import session_dates
from ..selectors import NoRuleInForce, ready_for_council, rule_set_on
from ..signals import nominations_decided
from . import ballot_box

# The voting (ballots) is re-exported: the steps, pages and API call it as council.<name>.
from .ballots import (  # noqa: F401
    CHOICES,
    BallotRow,
    BallotRows,
    R,
    _ratio,
    all_voted,
    attending_member,
    ballot_box_check,
    ballot_cast,
    ballot_items,
    ballot_rows,
    may_vote,
    minutes_reference,
    recusal_declare,
    second_round_open,
    session_member,
    session_rule,
    tally_reason,
    undecided_items,
    voting_close,
    written_ballot,
)
from .rows import update_rows


def scope_of(session: CouncilSession) -> str:
    """The CouncilSession's audit trail (the pages and the API read it by this name)."""
    return session.audit_scope


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
    audit.record_transition(
        session,
        audit.COUNCIL_SESSION_OPENED,
        actor=actor,
        after=session.status,
        data={
            "agenda": [n.pk for n in nominations],
            "present": sorted(present_ids),
            "members": [m.pk for m in members],
        },
        trail=trail,
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
        data = {"session": session.pk, "item": item.pk}
        events.append(
            audit.transition(
                nomination,
                audit.NOMINATION_COUNCIL_RESULT,
                before=Nomination.Status.ACCEPTED,
                after=nomination.status,
                comment=reason,
                data=data,
                trail=trail,
            )
        )
    update_rows(
        Nomination,
        ["status", "outcome_reason", "updated_at"],
        [(n.pk, n.status, n.outcome_reason, now) for n in nominations],
    )
    submission_ids = sorted({n.submission_id for n in nominations})
    passed = sum(n.status == Nomination.Status.COUNCIL_PASSED for n in nominations)
    results = {"passed": passed, "not_passed": len(nominations) - passed, "dossiers": submission_ids}
    # The session's own trail says it concluded, in the same multi-row INSERT as the nominations' results.
    events.append(audit.transition(session, audit.COUNCIL_CONCLUDED, after=session.status, data=results, trail=trail))
    audit.record_many(events)
    nominations_decided.send(CouncilSession, submission_ids=submission_ids, session=session)
    return submission_ids
