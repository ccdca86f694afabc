"""A unit's registration for a campaign (đăng ký thi đua) and its progress reports: one function per step.

Each checks the day (campaign launched, before its registration deadline, unit in force), writes all or
nothing, and records the step in the registration's audit trail. Who may call which is the pages' and API's
check (``nominations.access``: REGISTER, SIGN_REGISTRATION, ACCEPT_REGISTRATION).
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow import audit

from ..models import Campaign, Commitment, OrgUnit, ProgressReport, Registration, Target, TargetPlan, Work
from ..uploads import check_upload

# Values of a target are shares or counts: a negative one, or one past this bound, is a typing error.
MAX_VALUE = Decimal("1000000000")
PERCENT_MAX = Decimal("100")


def _today() -> datetime.date:
    return timezone.localdate()


def registration_deadline(campaign: Campaign) -> datetime.date:
    """The campaign's registration deadline, or its nomination deadline when it sets none."""
    return campaign.registration_deadline or campaign.nomination_deadline


def check_accepts_registrations(campaign: Campaign, unit: OrgUnit, day: datetime.date) -> None:
    if campaign.status != Campaign.Status.LAUNCHED:
        raise ValidationError(_("Phong trào “%(c)s” chưa phát động hoặc đã kết thúc.") % {"c": campaign})
    deadline = registration_deadline(campaign)
    if day > deadline:
        raise ValidationError(_("Đã quá hạn đăng ký thi đua (hạn cuối %(d)s).") % {"d": deadline.strftime("%d/%m/%Y")})
    if not unit.is_valid_on(day):
        raise ValidationError(
            _("%(u)s không còn hoạt động ngày %(d)s, không thể đăng ký thi đua.")
            % {"u": unit, "d": day.strftime("%d/%m/%Y")}
        )


def _number(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Giá trị phải là một số.")}) from None
    if not number.is_finite():
        raise ValidationError({field: _("Giá trị phải là một số.")})
    return number


def check_value(target: Target, value, field: str = "value") -> Decimal:
    value = _number(value, field)
    bound = PERCENT_MAX if target.unit_of_measure.strip() == "%" else MAX_VALUE
    if value < 0 or value > bound:
        raise ValidationError({field: _("Giá trị của “%(t)s” phải từ 0 đến %(m)s.") % {"t": target, "m": bound}})
    return value


def _write_content(registration: Registration, commitments: dict, works: list, plans: dict) -> None:
    """Replace the registration's commitments, works and plans with those given (after checking them all)."""
    campaign = registration.campaign
    areas = {a.pk: a for a in campaign.content_areas.all()}
    targets = {t.pk: t for t in campaign.targets.all()}
    errors = {}
    for area_id in commitments:
        if int(area_id) not in areas:
            errors["commitments"] = _("Nội dung thi đua không thuộc phong trào này.")
    checked_plans = {}
    for target_id, value in plans.items():
        target = targets.get(int(target_id))
        if target is None:
            errors["plans"] = _("Chỉ tiêu không thuộc phong trào này.")
            continue
        try:
            checked_plans[target.pk] = check_value(target, value, "plans")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    built = []
    for work in works:
        item = Work(registration=registration, **work)
        if item.due_date and item.due_date > campaign.period_end:
            errors["works"] = _("Thời hạn hoàn thành công trình phải trong thời gian phong trào.")
        try:
            item.full_clean(exclude=["registration"])
        except ValidationError as exc:
            errors["works"] = "; ".join(m for ms in exc.message_dict.values() for m in ms)
        built.append(item)
    if errors:
        raise ValidationError(errors)
    # Works already reported on stay (their reports would go with them); new ones are added.
    registration.commitments.all().delete()
    registration.plans.all().delete()
    Commitment.objects.bulk_create(
        [Commitment(registration=registration, area_id=int(a), text=t) for a, t in commitments.items() if t.strip()]
    )
    # Plans are rewritten only while the registration is editable (draft, returned), before its acceptance and
    # so before any report: a new plan has no latest report to carry (TargetPlan.latest_value).
    TargetPlan.objects.bulk_create(
        [TargetPlan(registration=registration, target_id=t, planned_value=v) for t, v in checked_plans.items()]
    )
    Work.objects.bulk_create(built)


def _snapshot(registration: Registration) -> dict:
    return {
        "commitments": {str(c.area_id): c.text for c in registration.commitments.all()},
        "plans": {str(p.target_id): str(p.planned_value) for p in registration.plans.all()},
        "works": [w.title for w in registration.works.all()],
    }


@transaction.atomic
def registration_create(
    *, campaign: Campaign, unit: OrgUnit, actor, commitments=None, works=None, plans=None, trail=None
) -> Registration:
    """Open ``unit``'s draft registration for ``campaign`` with its first content."""
    check_accepts_registrations(campaign, unit, _today())
    if Registration.objects.filter(campaign=campaign, unit=unit).exists():
        raise ValidationError(_("Đơn vị đã đăng ký thi đua cho phong trào này."))
    registration = Registration.objects.create(campaign=campaign, unit=unit, created_by=actor)
    _write_content(registration, commitments or {}, works or [], plans or {})
    audit.record_transition(
        registration,
        audit.REGISTRATION_CREATED,
        actor=actor,
        after=registration.status,
        data=_snapshot(registration),
        trail=trail,
    )
    return registration


@transaction.atomic
def registration_update(
    *, registration: Registration, actor, commitments=None, works=None, plans=None, trail=None
) -> Registration:
    """Change a draft or returned registration; the new works are added to those already listed."""
    registration = Registration.objects.select_for_update().select_related("campaign", "unit").get(pk=registration.pk)
    if registration.status not in Registration.EDITABLE:
        raise ValidationError(_("Đăng ký đã được ký, không thể sửa."))
    check_accepts_registrations(registration.campaign, registration.unit, _today())
    before = _snapshot(registration)
    _write_content(registration, commitments or {}, works or [], plans or {})
    audit.record_transition(
        registration,
        audit.REGISTRATION_UPDATED,
        actor=actor,
        before=registration.status,
        after=registration.status,
        changes={"before": before, "after": _snapshot(registration)},
        trail=trail,
    )
    return registration


def _move(registration: Registration, allowed, to: str, event: str, actor, comment="", trail=None, **fields):
    locked = Registration.objects.select_for_update().select_related("campaign", "unit").get(pk=registration.pk)
    if locked.status not in allowed:
        raise ValidationError(_("Đăng ký đang ở trạng thái “%(s)s”.") % {"s": locked.get_status_display()})
    before = locked.status
    locked.status = to
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=["status", *fields])
    audit.record_transition(locked, event, actor=actor, before=before, after=to, comment=comment, trail=trail)
    return locked


@transaction.atomic
def registration_sign(*, registration: Registration, actor, trail=None) -> Registration:
    """The unit head signs the registration and sends it to the standing body."""
    check_accepts_registrations(registration.campaign, registration.unit, _today())
    if not registration.plans.exists() and not registration.works.exists() and not registration.commitments.exists():
        raise ValidationError(_("Đăng ký chưa có nội dung, chỉ tiêu hay công trình nào để ký."))
    return _move(
        registration,
        Registration.EDITABLE,
        Registration.Status.SIGNED,
        audit.REGISTRATION_SIGNED,
        actor,
        trail=trail,
        signed_by=actor,
        signed_at=timezone.now(),
        review_comment="",
    )


@transaction.atomic
def registration_accept(*, registration: Registration, actor, comment: str = "", trail=None) -> Registration:
    return _move(
        registration,
        (Registration.Status.SIGNED,),
        Registration.Status.ACCEPTED,
        audit.REGISTRATION_ACCEPTED,
        actor,
        comment=comment,
        trail=trail,
    )


@transaction.atomic
def registration_return(*, registration: Registration, actor, comment: str, trail=None) -> Registration:
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Cần ghi ý kiến khi trả lại đăng ký.")})
    return _move(
        registration,
        (Registration.Status.SIGNED,),
        Registration.Status.RETURNED,
        audit.REGISTRATION_RETURNED,
        actor,
        comment=comment,
        trail=trail,
        review_comment=comment,
    )


@transaction.atomic
def progress_report(
    *,
    registration: Registration,
    actor,
    value,
    day: datetime.date,
    target: Target | None = None,
    work: Work | None = None,
    done: bool = False,
    evidence=None,
    comment: str = "",
    trail=None,
) -> ProgressReport:
    """Report a value reached on one of the registration's targets, or progress on one of its works."""
    if registration.status != Registration.Status.ACCEPTED:
        raise ValidationError(_("Chỉ báo cáo tiến độ khi đăng ký thi đua đã được chấp thuận."))
    if (target is None) == (work is None):
        raise ValidationError(_("Chọn một chỉ tiêu hoặc một công trình để báo cáo."))
    if work is not None and work.registration_id != registration.pk:
        raise ValidationError({"work": _("Công trình không thuộc đăng ký của đơn vị.")})
    # The plan is locked until the report is in, so reports on one plan are ranked here in the order they
    # are written (a later report of the same day is the newer one, as its id says).
    plan = registration.plans.select_for_update().filter(target=target).first() if target is not None else None
    if target is not None and plan is None:
        raise ValidationError({"target": _("Đơn vị chưa đăng ký chỉ tiêu này.")})
    campaign = registration.campaign
    if day < campaign.period_start or day > min(campaign.period_end, _today()):
        raise ValidationError({"day": _("Ngày báo cáo phải trong thời gian phong trào và không sau hôm nay.")})
    if target is not None:
        value = check_value(target, value)
    elif not 0 <= (value := _number(value, "value")) <= PERCENT_MAX:
        raise ValidationError({"value": _("Tiến độ công trình tính bằng %, từ 0 đến 100.")})
    if evidence:
        check_upload(evidence)
    report = ProgressReport(
        registration=registration,
        target=target,
        work=work,
        day=day,
        value=value,
        done=done,
        evidence=evidence or "",
        comment=comment,
        created_by=actor,
    )
    report.full_clean()
    # The plan's latest report (TargetPlan.latest_value / latest_day, read by the progress table) is kept by the
    # database's trigger on the reports (migration 0021), so a raw edit or deletion of a report moves it too.
    report.save()
    audit.record_transition(
        report,
        audit.PROGRESS_REPORTED,
        actor=actor,
        data=audit.snapshot(report, ["target", "work", "day", "value", "done", "comment"]),
        trail=trail,
    )
    return report
