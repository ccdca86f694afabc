"""Apply a reorganisation (merge or split, as in the 2025 two-level reform) with its effective date.

The old units end the day before ``effective``; what was still open in them moves to a successor in force
that day: open dossiers (with who may see them and, through ``units_reorganised``, their open tasks), open
roles, quotas of campaigns not yet closed, and the units under them. When there is one successor (a merger)
everything moves there by itself; when there are several (a split) each item is listed for the
administrator's decision (``plan``), and nothing is applied until every item has one. A role may also be
ended instead of moved: the old unit's people act no more from the effective date.

The moves are made when the reorganisation is applied, so ``effective`` is today or a recent day (a reform
entered late, within ``LATE_DAYS``), never a day ahead: until then the old units still work.
``applied_on`` (default today) is the day the reorganisation is recorded as applied: the page and the API
never pass it; the demo replays the 2025 reform on its own day (``nominations.demo``), through this service.
All of it is audited: each old unit, each dossier (in its own trail, which it keeps), each role and quota.
"""

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow import audit

from ..access import PROPOSE, ROLE_GRANTS, UNIT, move_shares, share_submission
from ..models import Campaign, Membership, OrgUnit, Submission, UnitQuota
from ..signals import units_reorganised
from .administration import check_administers, membership_add, scope_of

LATE_DAYS = 31
END = "end"
# Roles that prepare a unit's dossiers: one of their holders in the successor takes over a moved dossier.
PREPARERS = [role for role, grants in ROLE_GRANTS.items() if (PROPOSE, "unit") in grants]


@dataclasses.dataclass
class Item:
    """One open thing of an old unit: where it goes (``target``: a successor's id, ``END``, or None: to decide)."""

    kind: str  # "dossier", "membership", "quota" or "unit"
    obj: object
    old: OrgUnit
    target: int | str | None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.obj.pk}"

    @property
    def label(self) -> str:
        if self.kind == "dossier":
            return _("Hồ sơ “%(t)s” (%(c)s)") % {"t": self.obj.title, "c": self.obj.campaign}
        if self.kind == "membership":
            name = self.obj.user.get_full_name() or self.obj.user.username
            return _("%(n)s – %(r)s") % {"n": name, "r": self.obj.get_role_display()}
        if self.kind == "quota":
            kind = self.obj.get_kind_display() if self.obj.kind else _("mọi đối tượng")
            return _("Chỉ tiêu %(a)s (%(k)s): %(q)s – %(c)s") % {
                "a": self.obj.offer.award_type,
                "k": kind,
                "q": self.obj.quota,
                "c": self.obj.offer.campaign,
            }
        return _("Đơn vị trực thuộc %(u)s") % {"u": self.obj}


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _open_after(day: datetime.date) -> Q:
    return Q(valid_to__isnull=True) | Q(valid_to__gte=day)


def check(
    *,
    actor,
    old_units: list[OrgUnit],
    successors: list[OrgUnit],
    effective: datetime.date,
    applied_on: datetime.date | None = None,
) -> None:
    """Every rule on the units and the date, in Vietnamese, before anything is planned or written."""
    today = applied_on or timezone.localdate()
    errors = {}
    if not old_units:
        errors["old_units"] = _("Chọn ít nhất một đơn vị bị sắp xếp.")
    if not successors:
        errors["successors"] = _("Chọn ít nhất một đơn vị kế thừa.")
    if effective > today:
        errors["effective"] = _(
            "Chỉ áp dụng từ ngày có hiệu lực (%(d)s) trở đi: đến hôm đó đơn vị cũ vẫn làm việc."
        ) % {"d": _day(effective)}
    elif effective < today - datetime.timedelta(days=LATE_DAYS):
        errors["effective"] = _("Ngày có hiệu lực không được trước hôm nay quá %(n)s ngày.") % {"n": LATE_DAYS}
    if errors:
        raise ValidationError(errors)
    last_day = effective - datetime.timedelta(days=1)
    for unit in old_units:
        check_administers(actor, unit)
        if unit in successors:
            errors["successors"] = _("%(u)s vừa bị sắp xếp vừa là đơn vị kế thừa.") % {"u": unit}
        elif not unit.is_valid_on(last_day):
            errors["old_units"] = _("%(u)s không hoạt động ngày %(d)s.") % {"u": unit, "d": _day(last_day)}
    for unit in successors:
        check_administers(actor, unit)
        if not unit.is_valid_on(effective):
            errors["successors"] = _("%(u)s không hoạt động ngày %(d)s.") % {"u": unit, "d": _day(effective)}
        elif any(unit.path.startswith(old.path) for old in old_units):
            errors["successors"] = _("%(u)s thuộc một đơn vị bị sắp xếp.") % {"u": unit}
    if errors:
        raise ValidationError(errors)


def plan(*, old_units: list[OrgUnit], successors: list[OrgUnit], effective: datetime.date) -> list[Item]:
    """What is still open in the old units on ``effective``, each with its default target (one successor)."""
    default = successors[0].pk if len(successors) == 1 else None
    olds = {unit.pk: unit for unit in old_units}
    items = []
    dossiers = Submission.objects.filter(unit__in=olds).exclude(status=Submission.Status.DECIDED)
    items += [Item("dossier", s, olds[s.unit_id], default) for s in dossiers.select_related("campaign").order_by("pk")]
    roles = Membership.objects.filter(_open_after(effective), unit__in=olds).select_related("user")
    items += [Item("membership", m, olds[m.unit_id], default) for m in roles.order_by("unit__path", "role", "pk")]
    quotas = UnitQuota.objects.filter(
        unit__in=olds, offer__campaign__status__in=[Campaign.Status.DRAFT, Campaign.Status.LAUNCHED]
    ).select_related("offer__award_type", "offer__campaign")
    items += [Item("quota", q, olds[q.unit_id], default) for q in quotas.order_by("pk")]
    children = OrgUnit.objects.filter(_open_after(effective), parent__in=olds).order_by("path")
    items += [Item("unit", u, olds[u.parent_id], default) for u in children]
    return items


def _decide(items: list[Item], decisions: dict, successors: list[OrgUnit]) -> None:
    """Apply the administrator's ``decisions`` ({item key: successor id or "end"}) to the plan; all or nothing."""
    allowed = {unit.pk for unit in successors}
    missing, wrong = [], []
    for item in items:
        choice = decisions.get(item.key, item.target)
        if choice in (None, ""):
            missing.append(item.label)
            continue
        if choice == END and item.kind == "membership":
            item.target = END
            continue
        try:
            item.target = int(choice)
        except (TypeError, ValueError):
            item.target = None
        if item.target not in allowed:
            wrong.append(item.label)
    if missing or wrong:
        messages = []
        if missing:
            messages.append(_("Cần chọn đơn vị kế thừa cho: %(l)s.") % {"l": "; ".join(missing)})
        if wrong:
            messages.append(_("Lựa chọn không hợp lệ cho: %(l)s.") % {"l": "; ".join(wrong)})
        raise ValidationError({"decisions": messages})


def _preparer(unit: OrgUnit, day: datetime.date, preferred_user_id: int | None):
    """Who takes over a moved dossier's personal tasks: its own clerk if they prepare in ``unit`` on ``day``,
    otherwise the longest-serving preparer of ``unit``; None if the unit has none."""
    holders = Membership.objects.filter(
        Q(valid_from__lte=day), _open_after(day), unit=unit, role__in=PREPARERS
    ).order_by("role", "valid_from", "pk")
    if preferred_user_id and holders.filter(user_id=preferred_user_id).exists():
        return preferred_user_id
    first = holders.values_list("user_id", flat=True).first()
    return first


@transaction.atomic
def apply(
    *,
    actor,
    old_units: list[OrgUnit],
    successors: list[OrgUnit],
    effective: datetime.date,
    decisions: dict | None = None,
    reason: str = "",
    trail=None,
    applied_on: datetime.date | None = None,
) -> list[Item]:
    """End ``old_units`` on the day before ``effective`` and move what is open in them; returns the items moved."""
    old_units = list(OrgUnit.objects.select_for_update().filter(pk__in=[u.pk for u in old_units]).order_by("path"))
    check(actor=actor, old_units=old_units, successors=successors, effective=effective, applied_on=applied_on)
    items = plan(old_units=old_units, successors=successors, effective=effective)
    _decide(items, decisions or {}, successors)
    by_pk = {unit.pk: unit for unit in successors}
    last_day = effective - datetime.timedelta(days=1)
    issuer = check_administers(actor, old_units[0])
    log = {"trail": trail, "actor": actor}

    for item in (i for i in items if i.kind == "membership"):
        _move_membership(item, by_pk, effective, last_day, issuer, **log)
    for item in (i for i in items if i.kind == "unit"):
        _move_child(item, by_pk[item.target], issuer, **log)
    for item in (i for i in items if i.kind == "quota"):
        _move_quota(item, by_pk[item.target], **log)
    moves = {}
    for item in (i for i in items if i.kind == "dossier"):
        moves[item.obj.pk] = _move_dossier(item, by_pk[item.target], effective, **log)
    # Dossiers of the units moved under a successor are reviewed by their new ward from now on.
    for item in (i for i in items if i.kind == "unit"):
        for dossier in Submission.objects.filter(unit=item.obj).exclude(status=Submission.Status.DECIDED):
            moves[dossier.pk] = {"units": {item.old.pk: item.target}, "person": None}
    if moves:
        units_reorganised.send(sender=OrgUnit, moves=moves, actor=actor)

    for unit in old_units:
        successor = by_pk[successors[0].pk] if len(successors) == 1 else None
        before = audit.snapshot(unit, ["valid_to", "successor"])
        unit.valid_to, unit.successor = last_day, successor
        unit.save(update_fields=["valid_to", "successor"])
        mine = [i for i in items if i.old.pk == unit.pk]
        audit.record_transition(
            unit,
            audit.ORGUNIT_REORGANISED,
            actor=actor,
            scope=scope_of(issuer),
            comment=reason,
            changes=audit.diff(before, audit.snapshot(unit, ["valid_to", "successor"])),
            data={
                "effective": effective.isoformat(),
                "successors": [s.pk for s in successors],
                "items": {i.key: i.target for i in mine},
            },
            trail=trail,
        )
    return items


def _move_membership(item, by_pk, effective, last_day, issuer, *, actor, trail):
    membership = item.obj
    before = audit.snapshot(membership, ["unit", "valid_to"])
    ends_on = membership.valid_to
    if membership.valid_from >= effective:
        # A role that had not begun yet never begins in the old unit: it begins in the successor, or not at all.
        if item.target == END:
            audit.record_transition(
                membership, audit.MEMBERSHIP_ENDED, actor=actor, scope=scope_of(issuer), data=before, trail=trail
            )
            membership.delete()
            return
        membership.unit = by_pk[item.target]
        membership.save(update_fields=["unit"])
        audit.record_transition(
            membership,
            audit.MEMBERSHIP_ADDED,
            actor=actor,
            scope=scope_of(issuer),
            changes=audit.diff(before, audit.snapshot(membership, ["unit", "valid_to"])),
            trail=trail,
        )
        return
    membership.valid_to = last_day
    membership.save(update_fields=["valid_to"])
    audit.record_transition(
        membership,
        audit.MEMBERSHIP_ENDED,
        actor=actor,
        scope=scope_of(issuer),
        comment=_("Sắp xếp lại đơn vị từ ngày %(d)s.") % {"d": _day(effective)},
        changes=audit.diff(before, audit.snapshot(membership, ["unit", "valid_to"])),
        trail=trail,
    )
    if item.target == END:
        return
    membership_add(
        user=membership.user,
        unit=by_pk[item.target],
        role=membership.role,
        title=membership.title,
        valid_from=max(effective, membership.valid_from),
        valid_to=ends_on,
        actor=actor,
        trail=trail,
    )


def _move_child(item, successor, issuer, *, actor, trail):
    unit = item.obj
    old_parent = unit.parent_id
    unit.parent = successor
    unit.save()
    audit.record_transition(
        unit,
        audit.ORGUNIT_MOVED,
        actor=actor,
        scope=scope_of(issuer),
        changes={"parent": [old_parent, successor.pk]},
        trail=trail,
    )


def _move_quota(item, successor, *, actor, trail):
    quota = item.obj
    there = UnitQuota.objects.filter(offer=quota.offer, unit=successor, kind=quota.kind).first()
    if there is not None:
        # Merged units share one quota: the successor's grows by the old unit's.
        there.quota += quota.quota
        there.save(update_fields=["quota"])
        quota.delete()
    else:
        quota.unit = successor
        quota.save(update_fields=["unit"])
    audit.record_transition(
        quota.offer.campaign,
        audit.QUOTA_MOVED,
        actor=actor,
        data={
            "award_type": quota.offer.award_type_id,
            "kind": quota.kind,
            "quota": quota.quota,
            "from": item.old.pk,
            "to": successor.pk,
        },
        trail=trail,
    )


def _move_dossier(item, successor, effective, *, actor, trail) -> dict:
    dossier = item.obj
    person = _preparer(successor, effective, dossier.created_by_id)
    if person is None:
        raise ValidationError(
            {
                "decisions": [
                    _("%(u)s chưa có cán bộ thi đua ngày %(d)s để nhận %(i)s: phân công trước rồi áp dụng lại.")
                    % {"u": successor, "d": _day(effective), "i": item.label}
                ]
            }
        )
    dossier.unit = successor
    dossier.save(update_fields=["unit"])
    move_shares(dossier, item.old, successor)
    # The successor's clerks see it even if the old unit had not shared it yet.
    share_submission(dossier, UNIT, successor)
    audit.record_transition(
        dossier,
        audit.SUBMISSION_UNIT_MOVED,
        actor=actor,
        changes={"unit": [item.old.pk, successor.pk]},
        data={"effective": effective.isoformat(), "person": person},
        trail=trail,
    )
    return {"units": {item.old.pk: successor.pk}, "person": person}
