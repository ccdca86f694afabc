"""Drafting, signing (with delegation and step-up), numbering and revoking award decisions."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobs.outbox import enqueue
from workflow import audit

from ..models import (
    AwardRecord,
    Decision,
    DecisionItem,
    Delegation,
    DocumentCounter,
    Membership,
    Nomination,
    Role,
)
from ..rules import prize_amount
from ..selectors import base_salary_on, rule_set_on
from ..tasks import generate_revocation_documents_task, notify_revocation_task

N, D = Nomination.Status, Decision.Status


def scope_of(decision: Decision) -> str:
    return f"decision:{decision.pk}"


def _locked(decision: Decision) -> Decision:
    return Decision.objects.select_for_update().select_related("issuer", "campaign", "award_type").get(pk=decision.pk)


def _prices(decision: Decision, day: datetime.date) -> None:
    """Prize per awardee from the rule set and the base salary in force on ``day``."""
    rule, salary = rule_set_on(decision.award_type, day), base_salary_on(day)
    for item in decision.items.select_related("nomination__candidate"):
        item.prize_amount = 0 if item.struck else prize_amount(rule, item.nomination.candidate.kind, salary)
        item.save(update_fields=["prize_amount"])


def _default_subject(award_type, campaign) -> str:
    return _("Về việc tặng %(award)s cho các tập thể, cá nhân có thành tích xuất sắc trong %(c)s") % {
        "award": award_type.name,
        "c": campaign.title[:1].lower() + campaign.title[1:],
    }


@transaction.atomic
def decision_draft(*, campaign, award_type, nominations, actor, subject: str = "", trail=None) -> Decision:
    """The council secretary drafts a decision from the council's result for one award type."""
    nominations = list(nominations)
    if not nominations:
        raise ValidationError({"nominations": _("Chưa chọn người được khen thưởng.")})
    for n in nominations:
        if (
            n.status != N.COUNCIL_PASSED
            or n.award_type_id != award_type.pk
            or n.submission.campaign_id != campaign.pk
            or hasattr(n, "decision_item")
        ):
            raise ValidationError(
                {
                    "nominations": _(
                        "“%(n)s” chưa được Hội đồng thông qua cho hình thức này, hoặc đã có trong một dự thảo khác."
                    )
                    % {"n": n.candidate}
                }
            )
    with translation.override("vi"):  # the subject is printed in the official decision
        subject = subject or _default_subject(award_type, campaign)
    decision = Decision.objects.create(
        issuer=campaign.issuer,
        campaign=campaign,
        award_type=award_type,
        drafted_by=actor,
        subject=subject,
    )
    DecisionItem.objects.bulk_create(DecisionItem(decision=decision, nomination=n) for n in nominations)
    _prices(decision, timezone.localdate())
    letter_issue(decision, actor, timezone.localdate())
    audit.record(
        audit.DECISION_DRAFTED,
        actor=actor,
        target=decision,
        scope=scope_of(decision),
        to_state=D.DRAFT,
        data={"nominations": [n.pk for n in nominations], "letter": letter_reference(decision)},
        **(trail or {}),
    )
    return decision


def letter_issue(decision: Decision, actor, day: datetime.date) -> None:
    """The Tờ trình goes to the chairman with the draft: it takes the next number of the standing body's
    register (the drafter's unit as council secretary, else the issuer) now, once; a redraft keeps it."""
    if decision.letter_number:
        return
    seat = (
        Membership.objects.filter(user=actor, role=Role.COUNCIL_SECRETARY, valid_from__lte=day)
        .exclude(valid_to__lt=day)
        .select_related("unit")
        .order_by("pk")
        .first()
    )
    decision.letter_unit = seat.unit if seat else decision.issuer
    decision.letter_date, decision.letter_year = day, day.year
    decision.letter_number = next_number(decision.letter_unit, "TTr", day.year)
    decision.save(update_fields=["letter_unit", "letter_date", "letter_year", "letter_number"])


def letter_reference(decision: Decision) -> str:
    """ "01/TTr-NV" (the standing body's symbol), or "/TTr-NV" before the Tờ trình is issued."""
    unit = decision.letter_unit
    symbol = f"TTr-{unit.short_name}" if unit and unit.short_name else "TTr-NV"
    return f"{decision.letter_number:02d}/{symbol}" if decision.letter_number else f"/{symbol}"


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


def _check_step_up(actor, password: str) -> None:
    if not password or not actor.check_password(password):
        raise ValidationError({"password": _("Mật khẩu xác nhận không đúng.")})


@transaction.atomic
def decision_sign(
    *,
    decision: Decision,
    actor,
    password: str,
    struck: dict | None = None,
    comment: str = "",
    day: datetime.date | None = None,
    trail=None,
) -> Decision:
    """Sign: re-enter the password, strike items with reasons, number the decision, record the awards."""
    day = day or timezone.localdate()
    _check_step_up(actor, password)
    decision = _locked(decision)
    if decision.status not in (D.DRAFT, D.RETURNED):
        raise ValidationError(_("Quyết định không ở trạng thái chờ ký."), code="wrong_state")
    delegation = signing_authority(actor, decision, day)
    items = {i.pk: i for i in decision.items.select_related("nomination__candidate", "nomination__submission__unit")}
    for item_id, reason in (struck or {}).items():
        if item_id not in items or not reason.strip():
            raise ValidationError(_("Cần ghi lý do khi gạch tên từng người."), code="note_required")
        items[item_id].struck, items[item_id].strike_reason = True, reason
        items[item_id].save(update_fields=["struck", "strike_reason"])
    if all(i.struck for i in items.values()):
        raise ValidationError(_("Không thể ký quyết định khi đã gạch tên tất cả."), code="empty")
    _prices(decision, day)
    decision.number, decision.year = next_number(decision.issuer, "QĐ", day.year), day.year
    decision.status, decision.decision_date, decision.signed_by, decision.delegation = D.SIGNED, day, actor, delegation
    decision.save(update_fields=["number", "year", "status", "decision_date", "signed_by", "delegation"])
    _record_awards(decision, day, trail)
    audit.record(
        audit.DECISION_SIGNED,
        actor=actor,
        target=decision,
        scope=scope_of(decision),
        from_state=D.DRAFT,
        to_state=D.SIGNED,
        comment=comment,
        data={
            "number": decision.reference,
            "delegation": delegation.pk if delegation else None,
            "struck": {str(k): v for k, v in (struck or {}).items()},
        },
        **(trail or {}),
    )
    return decision


def _record_awards(decision: Decision, day, trail) -> None:
    for item in decision.items.select_related("nomination__candidate", "nomination__submission__unit"):
        nomination = item.nomination
        if item.struck:
            nomination.status, nomination.outcome_reason = N.NOT_AWARDED, item.strike_reason
        else:
            nomination.status = N.AWARDED
            unit = nomination.submission.unit
            AwardRecord.objects.create(
                candidate=nomination.candidate,
                award_type=decision.award_type,
                campaign=decision.campaign,
                decision=decision,
                decision_number=decision.reference,
                decision_date=day,
                issuer=decision.issuer,
                unit=unit,
                unit_name=unit.name,
                prize_amount=item.prize_amount,
            )
        nomination.save(update_fields=["status", "outcome_reason", "updated_at"])
        audit.record(
            audit.NOMINATION_FINALISED,
            target=nomination,
            scope=f"submission:{nomination.submission_id}",
            from_state=N.COUNCIL_PASSED,
            to_state=nomination.status,
            comment=nomination.outcome_reason,
            data={"decision": decision.reference},
            **(trail or {}),
        )


@transaction.atomic
def decision_return(*, decision: Decision, actor, comment: str, trail=None) -> Decision:
    """The chairman sends the draft back to the secretary with comments."""
    if not comment.strip():
        raise ValidationError({"comment": _("Cần ghi ý kiến khi trả lại dự thảo.")})
    decision = _locked(decision)
    signing_authority(actor, decision, timezone.localdate())
    old = decision.status
    decision.status, decision.return_comment = D.RETURNED, comment
    decision.save(update_fields=["status", "return_comment"])
    audit.record(
        audit.DECISION_RETURNED,
        actor=actor,
        target=decision,
        scope=scope_of(decision),
        from_state=old,
        to_state=D.RETURNED,
        comment=comment,
        **(trail or {}),
    )
    return decision


@transaction.atomic
def decision_redraft(
    *, decision: Decision, actor, remove: list | None = None, comment: str = "", trail=None
) -> Decision:
    """The secretary answers the chairman's comments, possibly taking items out of the draft."""
    decision = _locked(decision)
    if decision.status != D.RETURNED:
        raise ValidationError(_("Chỉ sửa được dự thảo đã bị trả lại."), code="wrong_state")
    removed = list(decision.items.filter(pk__in=remove or []).values_list("nomination_id", flat=True))
    decision.items.filter(pk__in=remove or []).delete()
    if not decision.items.exists():
        raise ValidationError(_("Dự thảo phải còn ít nhất một người được khen thưởng."), code="empty")
    decision.status = D.DRAFT
    decision.save(update_fields=["status"])
    _prices(decision, timezone.localdate())
    audit.record(
        audit.DECISION_REDRAFTED,
        actor=actor,
        target=decision,
        scope=scope_of(decision),
        from_state=D.RETURNED,
        to_state=D.DRAFT,
        comment=comment,
        data={"removed": removed},
        **(trail or {}),
    )
    return decision


@transaction.atomic
def decision_revoke(
    *, decision: Decision, actor, reason: str, password: str, day: datetime.date | None = None, trail=None
) -> Decision:
    """Revoke a signed decision (Law Ch. VII) by a decision of the same issuer.

    Only the issuer's chairman, or a deputy whose delegation is valid that day, with the password again (as
    for signing). The revocation takes the next number of the issuer's register; the award records and the
    nominations are marked revoked (nothing is deleted); the proposing units are told after commit.
    """
    day = day or timezone.localdate()
    if not reason.strip():
        raise ValidationError({"reason": _("Cần ghi lý do hủy bỏ quyết định.")})
    _check_step_up(actor, password)
    decision = _locked(decision)
    if decision.status != D.SIGNED:
        raise ValidationError(_("Chỉ hủy bỏ được quyết định đã ban hành."), code="wrong_state")
    delegation = signing_authority(actor, decision, day)
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
    _revoke_nominations(decision, reason, trail)
    audit.record(
        audit.DECISION_REVOKED,
        actor=actor,
        target=decision,
        scope=scope_of(decision),
        from_state=D.SIGNED,
        to_state=D.REVOKED,
        comment=reason,
        data={
            "revocation_number": decision.revocation_reference,
            "delegation": delegation.pk if delegation else None,
        },
        **(trail or {}),
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
        audit.record(
            audit.NOMINATION_FINALISED,
            target=nomination,
            scope=f"submission:{nomination.submission_id}",
            from_state=N.AWARDED,
            to_state=N.REVOKED,
            comment=reason,
            data={"decision": decision.reference, "revoked_by": decision.revocation_reference},
            **(trail or {}),
        )
