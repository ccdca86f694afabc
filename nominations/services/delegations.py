"""Delegations of signing power: the chairman lets a vice-chairman sign for them ("KT. CHỦ TỊCH") for dates.

Only the issuer's chairman (a role in force on the day) grants or ends one. The
power is read when it is used (``decisions.signing_authority``,
``workflow.roles``): a delegation gives nothing before its first day, after its
last day, or from the day it was ended.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow import audit

from ..models import Delegation, Membership, OrgUnit, Role


def _role_holders(role: str, issuer: OrgUnit | None, day: datetime.date):
    memberships = Membership.objects.filter(role=role, valid_from__lte=day, unit__valid_from__lte=day).exclude(
        valid_to__lt=day
    )
    memberships = memberships.exclude(unit__valid_to__lt=day)
    return memberships.filter(unit=issuer) if issuer is not None else memberships


def issuers_chaired_by(user, day: datetime.date | None = None):
    """The People's Committees ``user`` chairs on ``day``: those whose delegations they manage."""
    day = day or timezone.localdate()
    if not user.is_authenticated:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(pk__in=_role_holders(Role.CHAIRMAN, None, day).filter(user=user).values("unit"))


def vice_chairmen(issuer: OrgUnit, day: datetime.date | None = None):
    """Who may receive the issuer's signing power: its vice-chairmen in force on ``day``."""
    day = day or timezone.localdate()
    holders = _role_holders(Role.VICE_CHAIRMAN, issuer, day).values("user")
    return get_user_model().objects.filter(pk__in=holders).order_by("first_name", "username")


def delegations_of(issuer: OrgUnit):
    return (
        Delegation.objects.filter(issuer=issuer)
        .select_related("delegate", "created_by", "ended_by")
        .prefetch_related("award_types")
        .order_by("-valid_from", "-pk")
    )


def _check_chairman(actor, issuer: OrgUnit, day: datetime.date) -> None:
    if not issuers_chaired_by(actor, day).filter(pk=issuer.pk).exists():
        raise ValidationError(
            _("Chỉ Chủ tịch %(u)s đang đương nhiệm mới được ủy quyền ký.") % {"u": issuer}, code="no_authority"
        )


@transaction.atomic
def delegation_grant(
    *,
    issuer: OrgUnit,
    delegate,
    valid_from: datetime.date,
    valid_to: datetime.date,
    actor,
    basis: str = "",
    award_types=(),
    delegate_title: str = "PHÓ CHỦ TỊCH",
    trail=None,
) -> Delegation:
    """The chairman lets a vice-chairman of the same committee sign for them from ``valid_from`` to ``valid_to``."""
    day = timezone.localdate()
    _check_chairman(actor, issuer, day)
    errors = {}
    if valid_from < day:
        errors["valid_from"] = _("Không ủy quyền cho ngày đã qua (trước %(d)s).") % {"d": day.strftime("%d/%m/%Y")}
    if valid_to < valid_from:
        errors["valid_to"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
    if not vice_chairmen(issuer, valid_from).filter(pk=delegate.pk).exists():
        errors["delegate"] = _("%(p)s không phải Phó Chủ tịch %(u)s vào ngày %(d)s.") % {
            "p": delegate.get_full_name() or delegate.username,
            "u": issuer,
            "d": valid_from.strftime("%d/%m/%Y"),
        }
    if errors:
        raise ValidationError(errors)
    delegation = Delegation(
        issuer=issuer,
        delegate=delegate,
        delegate_title=delegate_title or "PHÓ CHỦ TỊCH",
        valid_from=valid_from,
        valid_to=valid_to,
        basis=basis,
        created_by=actor,
    )
    delegation.full_clean()
    delegation.save()
    award_types = list(award_types)
    delegation.award_types.set(award_types)
    audit.record_transition(
        delegation,
        audit.DELEGATION_GRANTED,
        actor=actor,
        data={
            "delegate": delegate.pk,
            "from": valid_from.isoformat(),
            "to": valid_to.isoformat(),
            "award_types": sorted(a.pk for a in award_types),
        },
        trail=trail,
    )
    return delegation


@transaction.atomic
def delegation_end(*, delegation: Delegation, actor, reason: str, trail=None) -> Delegation:
    """The chairman ends a delegation early: from today it gives no power (what it signed stays signed)."""
    day = timezone.localdate()
    delegation = Delegation.objects.select_for_update().select_related("issuer").get(pk=delegation.pk)
    _check_chairman(actor, delegation.issuer, day)
    if not reason.strip():
        raise ValidationError({"reason": _("Cần ghi lý do chấm dứt ủy quyền.")})
    if delegation.ended_on is not None or delegation.valid_to < day:
        raise ValidationError(_("Ủy quyền này đã hết hiệu lực."), code="wrong_state")
    delegation.ended_on, delegation.ended_by, delegation.end_reason = day, actor, reason
    delegation.save(update_fields=["ended_on", "ended_by", "end_reason"])
    audit.record_transition(
        delegation, audit.DELEGATION_ENDED, actor=actor, comment=reason, data={"ended_on": day.isoformat()}, trail=trail
    )
    return delegation
