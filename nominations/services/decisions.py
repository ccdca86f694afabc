"""Drafting and signing award decisions. Who may sign and the numbering are in ``signing``, revoking in
``revocation`` (re-exported here: the pages and the API call them as decisions.<name>)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobs.outbox import enqueue
from workflow import audit

from ..models import (
    Decision,
    DecisionItem,
    Membership,
    Nomination,
    Role,
)
from ..rules import prize_amount
from ..selectors import base_salary_on, rule_set_on
from ..signals import nominations_decided
from ..tasks import generate_certificates_task, generate_decision_documents_task
from .award_records import award_record, award_records_create
from .award_rules import check_authority
from .outcome import nominations_finalise
from .pdf_signatures import check_signing_token
from .revocation import decision_revoke  # noqa: F401  (the pages and the API revoke as decisions.decision_revoke)
from .signing import check_step_up, lock_decision, next_number, signing_authority

N, D = Nomination.Status, Decision.Status


def scope_of(decision: Decision) -> str:
    """The Decision's audit trail (the pages and the API read it by this name)."""
    return decision.audit_scope


def _prices(decision: Decision, day: datetime.date, items=None) -> None:
    """Prize per awardee from the rule set and the base salary in force on ``day``, written with the strikes and
    their reasons (``items``: the signer's, already struck)."""
    rule, salary = rule_set_on(decision.award_type, day), base_salary_on(day)
    # The rules of the decision's day also say who decides it: drafted, redrafted and signed only by that level.
    check_authority(decision.issuer, rule)
    items = list(decision.items.select_related("nomination__candidate") if items is None else items)
    for item in items:
        item.prize_amount = 0 if item.struck else prize_amount(rule, item.nomination.candidate.kind, salary)
    # One UPDATE per distinct amount (per kind of awardee), one per struck name (bulk_update's CASE per row costs
    # seconds at 500 items).
    groups = {}
    for item in items:
        groups.setdefault((item.prize_amount, item.struck, item.strike_reason), []).append(item.pk)
    for (amount, struck, reason), pks in groups.items():
        DecisionItem.objects.filter(pk__in=pks).update(prize_amount=amount, struck=struck, strike_reason=reason)


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
    audit.record_transition(
        decision,
        audit.DECISION_DRAFTED,
        actor=actor,
        after=D.DRAFT,
        data={"nominations": [n.pk for n in nominations], "letter": letter_reference(decision)},
        trail=trail,
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
    items=None,
) -> Decision:
    """Sign: re-enter the password, strike items with reasons, number the decision, record the awards.

    ``items``: the decision's items with ``nomination__candidate`` and ``nomination__submission__unit``, when the
    caller read them already in this transaction (the sign form lists them; a 500-name list is not read twice).
    """
    day = day or timezone.localdate()
    check_step_up(actor, password)
    decision = lock_decision(decision)
    if decision.status not in (D.DRAFT, D.RETURNED):
        raise ValidationError(_("Quyết định không ở trạng thái chờ ký."), code="wrong_state")
    check_signing_token(decision.issuer)
    delegation = signing_authority(actor, decision, day)
    if items is None:
        items = decision.items.select_related("nomination__candidate", "nomination__submission__unit")
    items = {i.pk: i for i in items}
    for item_id, reason in (struck or {}).items():
        if item_id not in items or not reason.strip():
            raise ValidationError(_("Cần ghi lý do khi gạch tên từng người."), code="note_required")
        items[item_id].struck, items[item_id].strike_reason = True, reason
    if all(i.struck for i in items.values()):
        raise ValidationError(_("Không thể ký quyết định khi đã gạch tên tất cả."), code="empty")
    _prices(decision, day, items.values())
    decision.number, decision.year = next_number(decision.issuer, "QĐ", day.year), day.year
    decision.status, decision.decision_date, decision.signed_by, decision.delegation = D.SIGNED, day, actor, delegation
    decision.save(update_fields=["number", "year", "status", "decision_date", "signed_by", "delegation"])
    _record_awards(decision, list(items.values()), day, trail)
    audit.record_transition(
        decision,
        audit.DECISION_SIGNED,
        actor=actor,
        before=D.DRAFT,
        after=D.SIGNED,
        comment=comment,
        data={
            "number": decision.reference,
            "delegation": delegation.pk if delegation else None,
            "struck": {str(k): v for k, v in (struck or {}).items()},
        },
        trail=trail,
    )
    _issue(decision, [item.nomination.submission_id for item in items.values()])
    return decision


def _record_awards(decision: Decision, items: list[DecisionItem], day, trail) -> None:
    """The awards and every nomination's outcome, in a fixed number of statements however many awardees (a
    500-name decision is signed in well under a second: issue 18)."""
    data = {"decision": decision.reference}
    award_records_create(
        [
            award_record(
                item.nomination.candidate,
                award_type=decision.award_type,
                campaign=decision.campaign,
                decision=decision,
                decision_number=decision.reference,
                decision_date=day,
                issuer=decision.issuer,
                unit=item.nomination.submission.unit,
                unit_name=item.nomination.submission.unit.name,
                prize_amount=item.prize_amount,
            )
            for item in items
            if not item.struck
        ]
    )
    nominations_finalise(
        [
            (item.nomination, N.NOT_AWARDED, item.strike_reason, audit.NOMINATION_STRUCK)
            if item.struck
            else (item.nomination, N.AWARDED, "", audit.NOMINATION_FINALISED)
            for item in sorted(items, key=lambda item: item.pk)
        ],
        data=data,
        trail=trail,
    )


def _issue(decision: Decision, submission_ids) -> None:
    """After the signature commits: the documents and certificates are made, and the dossiers close."""
    enqueue(generate_decision_documents_task, decision.pk)
    # Several tasks share one decision's certificates (rows are taken with SKIP LOCKED):
    # a batch of hundreds finishes in parallel on the worker's processes.
    for _task in range(settings.THIDUA_CERTIFICATE_TASKS):
        enqueue(generate_certificates_task, decision.pk)
    nominations_decided.send(Decision, submission_ids=sorted(set(submission_ids)))


@transaction.atomic
def decision_return(*, decision: Decision, actor, comment: str, trail=None) -> Decision:
    """The chairman sends the draft back to the secretary with comments."""
    if not comment.strip():
        raise ValidationError({"comment": _("Cần ghi ý kiến khi trả lại dự thảo.")})
    decision = lock_decision(decision)
    signing_authority(actor, decision, timezone.localdate())
    old = decision.status
    decision.status, decision.return_comment = D.RETURNED, comment
    decision.save(update_fields=["status", "return_comment"])
    audit.record_transition(
        decision, audit.DECISION_RETURNED, actor=actor, before=old, after=D.RETURNED, comment=comment, trail=trail
    )
    return decision


@transaction.atomic
def decision_redraft(
    *, decision: Decision, actor, remove: list | None = None, comment: str = "", trail=None
) -> Decision:
    """The secretary answers the chairman's comments, possibly taking items out of the draft."""
    decision = lock_decision(decision)
    if decision.status != D.RETURNED:
        raise ValidationError(_("Chỉ sửa được dự thảo đã bị trả lại."), code="wrong_state")
    removed = list(decision.items.filter(pk__in=remove or []).values_list("nomination_id", flat=True))
    decision.items.filter(pk__in=remove or []).delete()
    if not decision.items.exists():
        raise ValidationError(_("Dự thảo phải còn ít nhất một người được khen thưởng."), code="empty")
    decision.status = D.DRAFT
    decision.save(update_fields=["status"])
    _prices(decision, timezone.localdate())
    audit.record_transition(
        decision,
        audit.DECISION_REDRAFTED,
        actor=actor,
        before=D.RETURNED,
        after=D.DRAFT,
        comment=comment,
        data={"removed": removed},
        trail=trail,
    )
    return decision
