"""The standing body's progress table: every registered unit × target with its plan, latest value and status,
in a fixed number of statements however many units there are; and its Excel export."""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from .models import Campaign, ProgressReport, Registration, Target, TargetPlan

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


def status_of(target: Target, planned, latest, campaign: Campaign, day: datetime.date) -> str:
    """Done when the latest value reaches the plan (in the target's direction). Otherwise, on a target where
    higher is better, on track while the value keeps pace with the share of the campaign's period elapsed;
    lower-is-better targets not yet reached, and targets never reported, are behind."""
    if latest is None:
        return BEHIND
    if target.reached(latest, planned):
        return DONE
    if target.direction == target.Direction.LOWER:
        return BEHIND
    length = (campaign.period_end - campaign.period_start).days or 1
    elapsed = min(max((day - campaign.period_start).days, 0), length)
    return ON_TRACK if latest * length >= planned * elapsed else BEHIND


def latest_reports(campaign: Campaign, *, unit_id: int | None, day: datetime.date) -> dict:
    """{(registration id, target id): (value, day)} of each plan's latest report up to ``day``, in one pass.

    One window over the campaign's reports rather than a correlated subquery per plan: at 500 units × 10
    targets × 12 reports the subqueries cost two index probes per row of the table (bench/campaign_stats.py).
    """
    reports = ProgressReport.objects.filter(
        registration__campaign=campaign, target__isnull=False, day__lte=day
    ).annotate(
        rank=Window(
            RowNumber(), partition_by=[F("registration_id"), F("target_id")], order_by=[F("day").desc(), F("id").desc()]
        )
    )
    if unit_id is not None:
        reports = reports.filter(registration__unit_id=unit_id)
    return {
        (registration_id, target_id): (value, reported_on)
        for registration_id, target_id, value, reported_on in reports.filter(rank=1).values_list(
            "registration_id", "target_id", "value", "day"
        )
    }


def progress_table(campaign: Campaign, *, unit_id: int | None = None, day: datetime.date | None = None) -> list[Row]:
    """Three statements however many units: the campaign's targets, the plans as plain values, the latest reports."""
    day = day or timezone.localdate()
    targets = {target.pk: target for target in Target.objects.filter(campaign=campaign)}
    plans = TargetPlan.objects.filter(registration__campaign=campaign).order_by("registration__unit__path", "target_id")
    if unit_id is not None:
        plans = plans.filter(registration__unit_id=unit_id)
    latest = latest_reports(campaign, unit_id=unit_id, day=day)
    statuses = dict(Registration.Status.choices)
    rows = []
    for registration_id, unit_id_, unit_name, registration_status, target_id, planned in plans.values_list(
        "registration_id",
        "registration__unit_id",
        "registration__unit__name",
        "registration__status",
        "target_id",
        "planned_value",
    ):
        target = targets[target_id]
        value, reported_on = latest.get((registration_id, target_id), (None, None))
        rows.append(
            Row(
                unit=unit_name,
                unit_id=unit_id_,
                registration_id=registration_id,
                registration_status=str(statuses[registration_status]),
                target=target.name,
                unit_of_measure=target.unit_of_measure,
                planned=planned,
                latest=value,
                latest_day=reported_on,
                status=status_of(target, planned, value, campaign, day),
            )
        )
    return rows


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
