"""The administrator keeps each issuer's council: create it, seat a person in a position for dates, end a seat.

A seat in force on the day is what makes its holder vote (``council.voting_members``) or keep the minutes: the
secretary's seat lets its holder open and run the council's sessions that day (``workflow.roles`` reads it as
the issuer's council-recording right). One chair and one secretary at a time; nobody holds two seats at once.
Each write is audited in the issuer's administration trail (``Council.audit_scope``).
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow import audit

from ..models import Council, CouncilMember, OrgUnit
from .administration import check_administers

P = CouncilMember.Position
# Positions one person holds at a time in a council.
SINGLE = (P.CHAIR, P.SECRETARY)
SEAT_FIELDS = ["council", "user", "position", "valid_from", "valid_to"]


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _overlapping(seats, start: datetime.date, end: datetime.date | None):
    seats = seats.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
    return seats.filter(valid_from__lte=end) if end is not None else seats


@transaction.atomic
def council_create(*, issuer: OrgUnit, name: str, actor, trail=None) -> Council:
    """The council of ``issuer`` (one per issuer, in force while the issuer is)."""
    check_administers(actor, issuer)
    errors = {}
    if issuer.level > OrgUnit.Level.COMMUNE:
        errors["issuer"] = _("Chỉ cơ quan cấp xã trở lên có Hội đồng thi đua – khen thưởng.")
    elif Council.objects.filter(issuer=issuer).exists():
        errors["issuer"] = _("%(u)s đã có Hội đồng thi đua – khen thưởng.") % {"u": issuer}
    elif not issuer.is_valid_on(timezone.localdate()):
        errors["issuer"] = _("%(u)s không còn hoạt động.") % {"u": issuer}
    if not name.strip():
        errors["name"] = _("Cần nhập tên hội đồng.")
    if errors:
        raise ValidationError(errors)
    council = Council.objects.create(issuer=issuer, name=name.strip())
    audit.record_transition(
        council, audit.COUNCIL_CREATED, actor=actor, data={"issuer": issuer.pk, "name": council.name}, trail=trail
    )
    return council


@transaction.atomic
def seat_add(
    *,
    council: Council,
    user,
    position: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    actor,
    trail=None,
) -> CouncilMember:
    """Seat ``user`` in ``position`` from ``valid_from`` to ``valid_to`` (inclusive; open-ended if None)."""
    council = Council.objects.select_for_update().select_related("issuer").get(pk=council.pk)
    check_administers(actor, council.issuer)
    errors = {}
    if position not in P.values:
        errors["position"] = _("Chức danh không hợp lệ.")
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
    elif not council.issuer.is_valid_on(valid_from):
        errors["valid_from"] = _("%(u)s không hoạt động ngày %(d)s.") % {"u": council.issuer, "d": _day(valid_from)}
    elif not user.is_active:
        errors["user"] = _("Tài khoản này đã bị khoá.")
    if not errors:
        seats = _overlapping(council.members.all(), valid_from, valid_to)
        if seats.filter(user=user).exists():
            errors["user"] = _("Người này đã có ghế trong hội đồng trong khoảng thời gian đó.")
        elif position in SINGLE and (holder := seats.filter(position=position).select_related("user").first()):
            errors["position"] = _("%(p)s đang là %(n)s trong khoảng thời gian đó: kết thúc ghế ấy trước.") % {
                "p": P(position).label,
                "n": holder.user.get_full_name() or holder.user.username,
            }
    if errors:
        raise ValidationError(errors)
    seat = CouncilMember(council=council, user=user, position=position, valid_from=valid_from, valid_to=valid_to)
    seat.full_clean()
    seat.save()
    audit.record_transition(
        seat, audit.COUNCIL_SEAT_ADDED, actor=actor, data=audit.snapshot(seat, SEAT_FIELDS), trail=trail
    )
    return seat


@transaction.atomic
def seat_end(*, seat: CouncilMember, last_day: datetime.date, actor, reason: str = "", trail=None) -> CouncilMember:
    """End a seat: ``last_day`` is its last day in force (yesterday at the earliest; the past is not rewritten)."""
    seat = CouncilMember.objects.select_for_update().select_related("council__issuer").get(pk=seat.pk)
    check_administers(actor, seat.council.issuer)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    if last_day < yesterday:
        raise ValidationError(
            {"last_day": _("Không kết thúc ghế cho ngày đã qua (sớm nhất là %(d)s).") % {"d": _day(yesterday)}}
        )
    if last_day < seat.valid_from - datetime.timedelta(days=1):
        raise ValidationError({"last_day": _("Ngày kết thúc trước ngày bắt đầu của ghế.")})
    if seat.valid_to is not None and seat.valid_to <= last_day:
        raise ValidationError(
            {"last_day": _("Ghế đã kết thúc ngày %(d)s.") % {"d": _day(seat.valid_to)}}, code="wrong_state"
        )
    before = audit.snapshot(seat, ["valid_to"])
    seat.valid_to = last_day
    seat.save(update_fields=["valid_to"])
    audit.record_transition(
        seat,
        audit.COUNCIL_SEAT_ENDED,
        actor=actor,
        comment=reason,
        changes=audit.diff(before, audit.snapshot(seat, ["valid_to"])),
        trail=trail,
    )
    return seat


ORDER = [P.CHAIR, P.VICE_CHAIR, P.STANDING, P.MEMBER, P.SECRETARY]


def seats_on(councils, day: datetime.date) -> dict[int, list[CouncilMember]]:
    """Council id → its seats in force on ``day``, chair first (one query for all the councils)."""
    rank = {position: i for i, position in enumerate(ORDER)}
    seats = _overlapping(CouncilMember.objects.filter(council__in=councils, valid_from__lte=day), day, day)
    by_council = {council.pk: [] for council in councils}
    for seat in seats.select_related("user"):
        by_council[seat.council_id].append(seat)
    return {pk: sorted(rows, key=lambda s: (rank.get(s.position, len(ORDER)), s.pk)) for pk, rows in by_council.items()}


def seatable_people(issuers):
    """People who may be seated: anyone holding (or having held) a role in the administrator's committees."""
    query = Q(pk__in=[])
    for issuer in issuers:
        query |= Q(memberships__unit__path__startswith=issuer.path)
    return get_user_model().objects.filter(query, is_active=True).distinct().order_by("first_name", "username")
