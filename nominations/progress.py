"""The standing body's progress table: every registered unit × target with its plan, latest value and status,
in a fixed number of statements however many units there are; and its Excel export."""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from .models import Campaign, ProgressReport, TargetPlan

DONE, ON_TRACK, BEHIND = "done", "on_track", "behind"
STATUS_LABELS = {
    DONE: gettext_lazy("Đã đạt"),
    ON_TRACK: gettext_lazy("Đúng tiến độ"),
    BEHIND: gettext_lazy("Chậm tiến độ"),
}


@dataclass
class Row:
    unit: str
    unit_id: int
    registration_id: int
    registration_status: str
    target: str
    unit_of_measure: str
    planned: Decimal
    latest: Decimal | None
    latest_day: datetime.date | None
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def status_of(plan: TargetPlan, latest, campaign: Campaign, day: datetime.date) -> str:
    """Done when the latest value reaches the plan (in the target's direction). Otherwise, on a target where
    higher is better, on track while the value keeps pace with the share of the campaign's period elapsed;
    lower-is-better targets not yet reached, and targets never reported, are behind."""
    if latest is None:
        return BEHIND
    if plan.target.reached(latest, plan.planned_value):
        return DONE
    if plan.target.direction == plan.target.Direction.LOWER:
        return BEHIND
    length = (campaign.period_end - campaign.period_start).days or 1
    elapsed = min(max((day - campaign.period_start).days, 0), length)
    return ON_TRACK if latest * length >= plan.planned_value * elapsed else BEHIND


def progress_table(campaign: Campaign, *, unit_id: int | None = None, day: datetime.date | None = None) -> list[Row]:
    """One statement: the plans with their latest report's value and day as subqueries."""
    day = day or timezone.localdate()
    latest = ProgressReport.objects.filter(
        registration=OuterRef("registration"), target=OuterRef("target"), day__lte=day
    ).order_by("-day", "-id")
    plans = (
        TargetPlan.objects.filter(registration__campaign=campaign)
        .select_related("registration__unit", "target")
        .annotate(
            latest_value=Subquery(
                latest.values("value")[:1], output_field=DecimalField(max_digits=14, decimal_places=2)
            ),
            latest_day=Subquery(latest.values("day")[:1]),
        )
        .order_by("registration__unit__path", "target_id")
    )
    if unit_id is not None:
        plans = plans.filter(registration__unit_id=unit_id)
    return [
        Row(
            unit=plan.registration.unit.name,
            unit_id=plan.registration.unit_id,
            registration_id=plan.registration_id,
            registration_status=plan.registration.get_status_display(),
            target=plan.target.name,
            unit_of_measure=plan.target.unit_of_measure,
            planned=plan.planned_value,
            latest=plan.latest_value,
            latest_day=plan.latest_day,
            status=status_of(plan, plan.latest_value, campaign, day),
        )
        for plan in plans
    ]


def progress_xlsx(campaign: Campaign, rows: list[Row]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Tiến độ"
    sheet.append([campaign.title])
    sheet["A1"].font = Font(bold=True)
    headers = [
        _("Đơn vị"),
        _("Chỉ tiêu"),
        _("Đơn vị tính"),
        _("Đăng ký"),
        _("Đạt được"),
        _("Ngày báo cáo"),
        _("Tình trạng"),
    ]
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(
            [
                row.unit,
                row.target,
                row.unit_of_measure,
                float(row.planned),
                None if row.latest is None else float(row.latest),
                row.latest_day,
                row.status_label,
            ]
        )
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 48
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def target_summary(rows: list[Row]) -> list[dict]:
    """Per target of the progress table: how many units registered it and how many are done, on track, behind."""
    targets = {}
    for row in rows:
        line = targets.setdefault(
            row.target,
            {"target": row.target, "unit_of_measure": row.unit_of_measure, "units": 0, DONE: 0, ON_TRACK: 0, BEHIND: 0},
        )
        line["units"] += 1
        line[row.status] += 1
    return list(targets.values())
