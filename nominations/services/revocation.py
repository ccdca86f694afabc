"""Revoking a signed decision (Law on Emulation and Commendation, Ch. VII) by a decision of the same issuer."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.outbox import enqueue
from workflow import audit

from ..models import Decision, Nomination
from ..tasks import generate_revocation_documents_task, notify_revocation_task
from .award_records import tally_refresh
from .pdf_signatures import check_signing_token
from .signing import check_step_up, lock_decision, next_number, signing_authority

N, D = Nomination.Status, Decision.Status


@transaction.atomic
def decision_revoke(
    *, decision: Decision, actor, reason: str, password: str, day: datetime.date | None = None, trail=None
) -> Decision:
    """Revoke a signed decision (Law Ch. VII) by a decision of the same issuer.

    Only the issuer's chairman, or a deputy whose delegation is valid that day, with the password again (as
    for signing), and the issuer's signing key usable when a token is configured. The revocation takes the
    next number of the issuer's register; the award records and the nominations are marked revoked (nothing is
    deleted); the proposing units are told after commit.
    """
    day = day or timezone.localdate()
    if not reason.strip():
        raise ValidationError({"reason": _("Cần ghi lý do hủy bỏ quyết định.")})
    check_step_up(actor, password)
    decision = lock_decision(decision)
    if decision.status != D.SIGNED:
        raise ValidationError(_("Chỉ hủy bỏ được quyết định đã ban hành."), code="wrong_state")
    delegation = signing_authority(actor, decision, day)
    # The revocation decision's PDF is signed with the issuer's key: a token that cannot, stops it here.
    check_signing_token(decision.issuer)
    now = timezone.now()
    decision.status, decision.revoked_at, decision.revoke_reason, decision.revoked_by = D.REVOKED, now, reason, actor
    decision.revocation_number, decision.revocation_year = next_number(decision.issuer, "QĐ", day.year), day.year
    decision.revocation_date, decision.revocation_delegation = day, delegation
    decision.save(
        update_fields=[
            *("status", "revoked_at", "revoke_reason", "revoked_by", "revocation_number", "revocation_year"),
            *("revocation_date", "revocation_delegation"),
        ]
    )
    decision.records.update(revoked_at=now, revoke_reason=reason)
    # The decision's status already takes it out of the statistics; its tallies are recounted all the same.
    tally_refresh(decisions=[decision.pk])
    _revoke_nominations(decision, reason, trail)
    audit.record_transition(
        decision,
        audit.DECISION_REVOKED,
        actor=actor,
        before=D.SIGNED,
        after=D.REVOKED,
        comment=reason,
        data={
            "revocation_number": decision.revocation_reference,
            "delegation": delegation.pk if delegation else None,
        },
        trail=trail,
    )
    enqueue(notify_revocation_task, decision.pk)
    enqueue(generate_revocation_documents_task, decision.pk)
    return decision


def _revoke_nominations(decision: Decision, reason: str, trail) -> None:
    """The awarded nominations of a revoked decision become revoked, each with the reason in its history."""
    nominations = list(
        Nomination.objects.filter(decision_item__decision=decision, status=N.AWARDED).only("pk", "submission_id")
    )
    Nomination.objects.filter(pk__in=[n.pk for n in nominations]).update(
        status=N.REVOKED, outcome_reason=reason, updated_at=timezone.now()
    )
    for nomination in nominations:
        audit.record_transition(
            nomination,
            audit.NOMINATION_FINALISED,
            before=N.AWARDED,
            after=N.REVOKED,
            comment=reason,
            data={"decision": decision.reference, "revoked_by": decision.revocation_reference},
            trail=trail,
        )
