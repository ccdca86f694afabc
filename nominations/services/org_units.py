"""The organisation tree as the administrator keeps it: found a unit, rename it (the old name kept with its
dates), dissolve it into a successor. Each write is audited in the committee's administration trail.

Dates are what the law ties them to: a rename or a dissolution takes effect on the day the decision says,
never rewriting the past (a unit's documents before the rename keep its old name, ``OrgUnit.name_on``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow import audit

from ..models import OrgUnit, OrgUnitName
from .administration import check_administers, scope_of

UNIT_FIELDS = ["code", "name", "short_name", "kind", "level", "parent", "valid_from", "valid_to", "successor"]


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


@transaction.atomic
def unit_create(
    *, parent: OrgUnit, code: str, name: str, kind: str, level: int, valid_from: datetime.date, actor, trail=None
) -> OrgUnit:
    """A new unit under ``parent`` (a unit of a committee the actor administers), in force from ``valid_from``."""
    issuer = check_administers(actor, parent)
    errors = {}
    if OrgUnit.objects.filter(code=code).exists():
        errors["code"] = _("Mã đơn vị “%(c)s” đã có.") % {"c": code}
    if not parent.is_valid_on(valid_from):
        errors["parent"] = _("%(u)s không hoạt động ngày %(d)s.") % {"u": parent, "d": _day(valid_from)}
    if errors:
        raise ValidationError(errors)
    unit = OrgUnit(parent=parent, code=code, name=name, kind=kind, level=level, valid_from=valid_from)
    unit.full_clean()
    unit.save()
    audit.record_transition(
        unit,
        audit.ORGUNIT_CREATED,
        actor=actor,
        scope=scope_of(issuer),
        data=audit.snapshot(unit, UNIT_FIELDS),
        trail=trail,
    )
    return unit


@transaction.atomic
def unit_rename(*, unit: OrgUnit, name: str, effective: datetime.date, actor, trail=None) -> OrgUnit:
    """From ``effective`` the unit bears ``name``; the old name is kept for the days before."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    issuer = check_administers(actor, unit)
    if not name.strip() or name.strip() == unit.name:
        raise ValidationError({"name": _("Tên mới phải khác tên hiện tại.")})
    last_rename = unit.past_names.order_by("-valid_to").first()
    since = last_rename.valid_to + datetime.timedelta(days=1) if last_rename else unit.valid_from
    if effective <= since:
        raise ValidationError({"effective": _("Ngày đổi tên phải sau ngày %(d)s.") % {"d": _day(since)}})
    if unit.valid_to is not None and effective > unit.valid_to:
        raise ValidationError({"effective": _("Đơn vị chỉ hoạt động đến %(d)s.") % {"d": _day(unit.valid_to)}})
    OrgUnitName.objects.create(
        unit=unit, name=unit.name, valid_from=since, valid_to=effective - datetime.timedelta(days=1)
    )
    old = unit.name
    unit.name = name.strip()
    unit.save(update_fields=["name"])
    audit.record_transition(
        unit,
        audit.ORGUNIT_RENAMED,
        actor=actor,
        scope=scope_of(issuer),
        changes={"name": [old, unit.name]},
        data={"effective": effective.isoformat()},
        trail=trail,
    )
    return unit


@transaction.atomic
def unit_dissolve(
    *, unit: OrgUnit, last_day: datetime.date, successor: OrgUnit | None, actor, reason: str = "", trail=None
) -> OrgUnit:
    """The unit ends after ``last_day``; ``successor`` (in force the next day) takes over its work."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    issuer = check_administers(actor, unit)
    errors = {}
    today = timezone.localdate()
    if unit.valid_to is not None and unit.valid_to < today:
        raise ValidationError(_("%(u)s đã giải thể ngày %(d)s.") % {"u": unit, "d": _day(unit.valid_to)})
    if last_day < unit.valid_from:
        errors["last_day"] = _("Ngày giải thể trước ngày thành lập đơn vị.")
    elif last_day < today - datetime.timedelta(days=1):
        errors["last_day"] = _("Không giải thể cho ngày đã qua.")
    next_day = last_day + datetime.timedelta(days=1)
    if successor is not None:
        if successor.pk == unit.pk or successor.path.startswith(unit.path):
            errors["successor"] = _("Đơn vị kế thừa không thể là chính đơn vị hoặc đơn vị trực thuộc nó.")
        elif not successor.is_valid_on(next_day):
            errors["successor"] = _("%(u)s không hoạt động ngày %(d)s.") % {"u": successor, "d": _day(next_day)}
        else:
            check_administers(actor, successor)
    living = OrgUnit.objects.filter(parent=unit).exclude(valid_to__lte=last_day)
    if living.exists():
        errors["last_day"] = _(
            "Còn đơn vị trực thuộc hoạt động sau ngày %(d)s: %(u)s. Giải thể hoặc chuyển chúng trước."
        ) % {
            "d": _day(last_day),
            "u": ", ".join(str(u) for u in living[:5]),
        }
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(unit, ["valid_to", "successor"])
    unit.valid_to, unit.successor = last_day, successor
    unit.full_clean()
    unit.save(update_fields=["valid_to", "successor"])
    audit.record_transition(
        unit,
        audit.ORGUNIT_DISSOLVED,
        actor=actor,
        scope=scope_of(issuer),
        comment=reason,
        changes=audit.diff(before, audit.snapshot(unit, ["valid_to", "successor"])),
        trail=trail,
    )
    return unit


def tree_of(issuer: OrgUnit):
    """The committee's units, parents before children, each with its depth under the committee."""
    base = issuer.path.count("/")
    units = issuer.descendants(include_self=True).select_related("successor").order_by("path")
    return [(unit, unit.path.count("/") - base) for unit in units]
