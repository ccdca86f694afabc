"""The award types, their dated rule sets and the base-salary table, kept by the administrator as dated rows.

These rows are national law (Luật Thi đua, khen thưởng and its decrees; the base salary's decree), not one
committee's data, so only the administrator of a province-level committee keeps them: a commune's
administrator does not rewrite the rules every other commune is judged by.

A new rule set or base salary applies from a day: the one before it ends the day before, so two never
overlap and ``selectors.rule_set_on`` / ``base_salary_on`` always find one answer. Rows are only appended,
never edited: a decision already signed on or after the new row's first day was judged (its prizes counted)
by the old row, so such a date is refused rather than changing what a signed decision said.
Each write is audited in the administrator's committee trail (``administration.scope_of``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from workflow import audit

from ..models import AwardRuleSet, AwardType, BaseSalary, Decision, OrgUnit
from . import authority
from .administration import scope_of

RULE_FIELDS = [
    "award_type",
    "valid_from",
    "valid_to",
    "authority_level",
    "recipient_kinds",
    "required_documents",
    "prize_coefficient",
    "legal_basis",
]


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def rules_keeper(actor) -> OrgUnit | None:
    """The province-level committee ``actor`` administers today, or None: who may keep the national rules."""
    return authority.administered_issuers(actor).filter(level=OrgUnit.Level.PROVINCE).order_by("path").first()


def check_keeps_rules(actor) -> OrgUnit:
    issuer = rules_keeper(actor)
    if issuer is None:
        raise ValidationError(
            _("Chỉ quản trị hệ thống của UBND cấp tỉnh được sửa danh mục khen thưởng và mức lương cơ sở."),
            code="no_authority",
        )
    return issuer


def check_authority(issuer: OrgUnit, rule: AwardRuleSet, field: str = "award_type") -> None:
    """``issuer`` may decide the award only if its level is the one the rule set in force names (Luật TĐKT
    2022, Điều 74–79: each award has its deciding level; a province does not give a commune's Giấy khen)."""
    if issuer.level != rule.authority_level:
        raise ValidationError(
            {
                field: _("“%(a)s” theo quy định áp dụng từ %(d)s do %(level)s quyết định; %(u)s không có thẩm quyền.")
                % {
                    "a": rule.award_type,
                    "d": _day(rule.valid_from),
                    "level": rule.get_authority_level_display().lower(),
                    "u": issuer,
                }
            },
            code="no_authority",
        )


def check_offer_authority(
    issuer: OrgUnit, award_type: AwardType, start: datetime.date, end: datetime.date, field: str = "award_types"
) -> None:
    """A campaign of ``issuer`` running from ``start`` to ``end`` (its nomination deadline) may offer
    ``award_type`` only if every rule set in force in those days names the issuer's level: a dossier received
    on any of them is judged by that day's rule set (``Submission.rules_day``) and proposed to this issuer."""
    rules = list(
        AwardRuleSet.objects.filter(award_type=award_type, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .order_by("valid_from")
    )
    if not rules:
        raise ValidationError(
            {
                field: _("Không có quy định nào của “%(a)s” áp dụng từ %(s)s đến %(e)s.")
                % {"a": award_type, "s": _day(start), "e": _day(end)}
            },
            code="no_rule",
        )
    for rule in rules:
        check_authority(issuer, rule, field)


@transaction.atomic
def award_type_create(*, code: str, name: str, form: str, level: str, description: str = "", actor) -> AwardType:
    issuer = check_keeps_rules(actor)
    award_type = AwardType(code=code, name=name.strip(), form=form, level=level, description=description)
    award_type.full_clean()
    award_type.save()
    audit.record_transition(
        award_type,
        audit.AWARD_TYPE_CREATED,
        actor=actor,
        scope=scope_of(issuer),
        data=audit.snapshot(award_type, ["code", "name", "form", "level"]),
    )
    return award_type


def _check_not_used(valid_from: datetime.date, decisions, field: str = "valid_from") -> None:
    last = decisions.filter(decision_date__isnull=False).aggregate(last=Max("decision_date"))["last"]
    if last is not None and valid_from <= last:
        raise ValidationError(
            {
                field: _(
                    "Đã có quyết định ký ngày %(d)s theo quy định cũ: quy định mới chỉ áp dụng từ ngày %(n)s trở đi."
                )
                % {"d": _day(last), "n": _day(last + datetime.timedelta(days=1))}
            }
        )


@transaction.atomic
def rule_set_add(*, award_type: AwardType, valid_from: datetime.date, actor, **fields) -> AwardRuleSet:
    """A new rule set for ``award_type`` from ``valid_from``: the latest one ends the day before."""
    issuer = check_keeps_rules(actor)
    # Two administrators adding at once would both end the same row: the award type's row serialises them.
    award_type = AwardType.objects.select_for_update().get(pk=award_type.pk)
    latest = award_type.rule_sets.order_by("-valid_from").first()
    if latest is not None and valid_from <= latest.valid_from:
        raise ValidationError(
            {
                "valid_from": _("Quy định mới phải áp dụng sau ngày %(d)s (ngày bắt đầu của quy định hiện hành).")
                % {"d": _day(latest.valid_from)}
            }
        )
    _check_not_used(valid_from, Decision.objects.filter(award_type=award_type))
    rule = AwardRuleSet(award_type=award_type, valid_from=valid_from, valid_to=None, **fields)
    if latest is not None and (latest.valid_to is None or latest.valid_to >= valid_from):
        latest.valid_to = valid_from - datetime.timedelta(days=1)
        latest.save(update_fields=["valid_to"])
    rule.full_clean()
    rule.save()
    audit.record_transition(
        rule,
        audit.RULE_SET_ADDED,
        actor=actor,
        scope=scope_of(issuer),
        data={**audit.snapshot(rule, RULE_FIELDS), "previous": latest.pk if latest else None},
    )
    return rule


@transaction.atomic
def base_salary_add(*, valid_from: datetime.date, amount: int, legal_basis: str = "", actor) -> BaseSalary:
    """A base salary from ``valid_from``; the previous one applies up to the day before (the table's next row)."""
    issuer = check_keeps_rules(actor)
    # Serialise concurrent additions on the table's latest row (there is no parent row to lock).
    latest = BaseSalary.objects.select_for_update().order_by("-valid_from").first()
    if latest is not None and valid_from <= latest.valid_from:
        raise ValidationError(
            {
                "valid_from": _("Mức lương mới phải áp dụng sau ngày %(d)s (ngày bắt đầu của mức hiện hành).")
                % {"d": _day(latest.valid_from)}
            }
        )
    if amount <= 0:
        raise ValidationError({"amount": _("Mức lương cơ sở phải lớn hơn 0.")})
    # Every signed prize counted the salary of its decision's day, whatever the award type.
    _check_not_used(valid_from, Decision.objects.all())
    row = BaseSalary(valid_from=valid_from, amount=amount, legal_basis=legal_basis.strip())
    row.full_clean()
    row.save()
    audit.record_transition(
        row,
        audit.BASE_SALARY_ADDED,
        actor=actor,
        scope=scope_of(issuer),
        data={"valid_from": valid_from, "amount": amount, "legal_basis": row.legal_basis},
    )
    return row


def salary_table() -> list[tuple[BaseSalary, datetime.date | None]]:
    """Each base salary with its last day (the day before the next row; None while in force)."""
    rows = list(BaseSalary.objects.order_by("valid_from"))
    ends = [following.valid_from - datetime.timedelta(days=1) for following in rows[1:]] + [None]
    return list(zip(rows, ends, strict=True))
