"""The minutes (biên bản) of a council session, built from the session's records."""

import datetime

from django.utils import timezone, translation

from workflow import audit

from ..documents.data import Attendee, CouncilMinutesData, Issuer, VoteItem
from ..documents.minutes import render_minutes_docx, render_minutes_pdf
from ..models import AgendaItem, AwardRuleSet, CouncilMember, CouncilSession
from .ballots import minutes_reference, session_rule
from .issuer_names import issuer_names

_BASE = {
    AwardRuleSet.VoteBase.ALL: "tổng số thành viên Hội đồng",
    AwardRuleSet.VoteBase.PRESENT: "số thành viên Hội đồng có mặt",
}


def _attendee(member: CouncilMember, reason: str = "") -> Attendee:
    return Attendee(
        full_name=member.user.get_full_name() or member.user.username,
        position=member.get_position_display(),
        reason=reason,
    )


def _times(session: CouncilSession) -> tuple[datetime.datetime, datetime.datetime]:
    events = audit.timeline(session.audit_scope)
    opened = events.filter(event_type=audit.COUNCIL_SESSION_OPENED).first()
    closed = events.filter(event_type=audit.COUNCIL_VOTING_CLOSED).last()
    start = timezone.localtime(opened.created_at) if opened else None
    end = timezone.localtime(closed.created_at) if closed else None
    default = datetime.datetime.combine(session.held_on, datetime.time(8, 0))
    return start or default, end or start or default


@translation.override("vi")  # an official Vietnamese document, whoever downloads it
def minutes_data(session: CouncilSession) -> CouncilMinutesData:
    rule = session_rule(session)
    attendance = list(session.attendance.select_related("member__user"))
    members = session.council.members.select_related("user")
    chair = next((m for m in members if m.position == CouncilMember.Position.CHAIR), None)
    secretary = next((m for m in members if m.position == CouncilMember.Position.SECRETARY), None)
    names = issuer_names(session.council.issuer, session.held_on)  # the issuer as named on the meeting's day
    started, ended = _times(session)
    present = [a for a in attendance if a.present]
    items = [
        VoteItem(
            number=i.number,
            name=i.nomination.candidate.name,
            unit=i.nomination.submission.unit.name,
            award_name=i.nomination.award_type.name,
            agree=i.agree,
            disagree=i.disagree,
            abstain=i.abstain,
            base=i.base,
            passed=i.result == AgendaItem.Result.PASSED,
            recused=tuple(_attendee(r.member, r.reason) for r in i.recusals.all()),
        )
        for i in session.items.select_related(
            "nomination__candidate", "nomination__award_type", "nomination__submission__unit"
        ).prefetch_related("recusals__member__user")
    ]
    return CouncilMinutesData(
        issuer=Issuer(name=session.council.name.upper(), parent=f"UBND {names.header}", parent_is_superior=True),
        number=minutes_reference(session),
        subject=session.title,
        started_at=started,
        ended_at=ended,
        location=session.place or names.name,
        chair=_attendee(chair) if chair else Attendee("", ""),
        secretary=_attendee(secretary) if secretary else Attendee("", ""),
        total_members=len(attendance),
        present=[_attendee(a.member) for a in present],
        absent=[_attendee(a.member, "vắng mặt") for a in attendance if not a.present],
        quorum_met=True,
        quorum_rule=f"có ít nhất {round(rule.quorum * 100)}% tổng số thành viên Hội đồng dự họp",
        ballot="bỏ phiếu kín" if session.secret else "biểu quyết công khai",
        vote_base=_BASE[rule.vote_base],
        pass_rule=f"từ {round(rule.vote_threshold * 100)}% trở lên so với {_BASE[rule.vote_base]}",
        items=items,
    )


def minutes_docx(session: CouncilSession) -> bytes:
    return render_minutes_docx(minutes_data(session))


def minutes_pdf(session: CouncilSession) -> bytes:
    return render_minutes_pdf(minutes_data(session))
