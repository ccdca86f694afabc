"""Who may sign for an issuer on a day, the password asked again, and the register's numbers."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from ..models import Decision, Delegation, DocumentCounter, Membership, Role


def lock_decision(decision: Decision) -> Decision:
    """The decision's row, locked until commit, with what signing reads of it."""
    return Decision.objects.select_for_update().select_related("issuer", "campaign", "award_type").get(pk=decision.pk)


def signing_authority(user, decision: Decision, day: datetime.date) -> Delegation | None:
    """None when ``user`` is the chairman; the delegation when a deputy signs; raises otherwise.

    Everything is read on ``day``: the issuer must be in force, the chairman's role within its dates, the
    delegation within its dates, not ended early, and covering the decision's award type (none listed: all).
    """
    if not decision.issuer.is_valid_on(day):
        raise ValidationError(
            _("%(u)s không còn hoạt động ngày %(d)s, không thể ký quyết định.")
            % {"u": decision.issuer, "d": day.strftime("%d/%m/%Y")},
            code="issuer_not_in_force",
        )
    is_chairman = (
        Membership.objects.filter(user=user, unit=decision.issuer, role=Role.CHAIRMAN, valid_from__lte=day)
        .exclude(valid_to__lt=day)
        .exists()
    )
    if is_chairman:
        return None
    delegation = (
        Delegation.objects.in_force_on(day)
        .filter(issuer=decision.issuer, delegate=user)
        .filter(Q(award_types=None) | Q(award_types=decision.award_type_id))
        .order_by("pk")
        .first()
    )
    if delegation is None:
        raise ValidationError(
            _("Bạn không phải Chủ tịch và không có ủy quyền ký còn hiệu lực ngày %(d)s.")
            % {"d": day.strftime("%d/%m/%Y")},
            code="no_authority",
        )
    return delegation


def next_number(issuer, doc_type: str, year: int) -> int:
    """The next number of the register, taken under a row lock: no gap, no duplicate.

    Called inside the signing transaction: if signing fails, the number is
    released with the rollback.
    """
    try:
        with transaction.atomic():
            DocumentCounter.objects.get_or_create(issuer=issuer, doc_type=doc_type, year=year)
    except IntegrityError:
        pass  # created by a concurrent signer a moment ago
    counter = DocumentCounter.objects.select_for_update().get(issuer=issuer, doc_type=doc_type, year=year)
    counter.last_number = F("last_number") + 1
    counter.save(update_fields=["last_number"])
    counter.refresh_from_db(fields=["last_number"])
    return counter.last_number


def check_step_up(actor, password: str) -> None:
    if not password or not actor.check_password(password):
        raise ValidationError({"password": _("Mật khẩu xác nhận không đúng.")})
