"""Who administers which People's Committee: read from the roles in force on the day, like every other right.

The administrator (quản trị hệ thống) holds the role on the committee's own unit;
the emulation office (the reviewer of the committee's standing body, Phòng / Sở
Nội vụ) may manage the committee's campaigns as well. Both the unit holding the
role and the committee must be in force on the day.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from ..models import Membership, OrgUnit, Role


def _in_force(day: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def _memberships(user, role: str, day: datetime.date):
    if not user.is_authenticated or not user.is_active:
        return Membership.objects.none()
    return Membership.objects.filter(_in_force(day), _in_force(day, "unit__"), user=user, role=role)


def administered_issuers(user, day: datetime.date | None = None):
    """The committees whose units, people, council and campaigns ``user`` administers on ``day``."""
    day = day or timezone.localdate()
    return OrgUnit.objects.valid_on(day).filter(pk__in=_memberships(user, Role.ADMINISTRATOR, day).values("unit"))


def campaign_issuers(user, day: datetime.date | None = None):
    """The committees whose campaigns ``user`` may create and move on: its administrator or its emulation office."""
    day = day or timezone.localdate()
    office = _memberships(user, Role.REVIEWER, day).values("unit__parent")
    admin = _memberships(user, Role.ADMINISTRATOR, day).values("unit")
    return OrgUnit.objects.valid_on(day).filter(Q(pk__in=admin) | Q(pk__in=office))


def issuer_of(unit: OrgUnit, issuers) -> OrgUnit | None:
    """The committee among ``issuers`` whose tree holds ``unit`` (itself included), or None."""
    for issuer in issuers:
        if unit.path.startswith(issuer.path):
            return issuer
    return None
