"""The standing body's progress table: every registered unit × target with its plan, latest value and status,
in a fixed number of statements however many units there are; and its Excel export."""

import datetime
import io
from collections.abc import Sequence
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


def latest_reports_query(campaign: Campaign, *, unit_id: int | None, day: datetime.date, registrations=None):
    """(registration id, target id, value, day) of each plan's latest report up to ``day``, in one pass.

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
        # One registration's reports, read on the (registration, target, day) index through the
        # (campaign, unit) unique index of the registrations; the window then ranks a few dozen rows.
        reports = reports.filter(
            registration_id__in=Registration.objects.filter(campaign=campaign, unit_id=unit_id).values("pk")
        )
    if registrations is not None:  # a page of the table: its registrations' reports only, on the same index
        reports = reports.filter(registration_id__in=registrations)
    return reports.filter(rank=1).values_list("registration_id", "target_id", "value", "day")


def latest_reports(campaign: Campaign, *, unit_id: int | None, day: datetime.date, registrations=None) -> dict:
    """{(registration id, target id): (value, day)} of each plan's latest report up to ``day``."""
    query = latest_reports_query(campaign, unit_id=unit_id, day=day, registrations=registrations)
    return {
        (registration_id, target_id): (value, reported_on) for registration_id, target_id, value, reported_on in query
    }


def plans_query(campaign: Campaign, *, unit_id: int | None):
    plans = TargetPlan.objects.filter(registration__campaign=campaign).order_by("registration__unit__path", "target_id")
    if unit_id is not None:
        plans = plans.filter(registration__unit_id=unit_id)
    return plans


PLAN_FIELDS = (
    "registration_id",
    "registration__unit_id",
    "registration__unit__name",
    "registration__status",
    "target_id",
    "planned_value",
)


def progress_table(campaign: Campaign, *, unit_id: int | None = None, day: datetime.date | None = None) -> list[Row]:
    """Three statements however many units: the campaign's targets, the plans as plain values, the latest reports."""
    day = day or timezone.localdate()
    plans = plans_query(campaign, unit_id=unit_id).values_list(*PLAN_FIELDS)
    return _rows(campaign, plans, latest_reports(campaign, unit_id=unit_id, day=day), day)


class ProgressPages(Sequence):
    """The progress table for a paginator, read a page at a time: its length is one count, a slice reads only
    that slice's plans and the latest reports of their registrations (through the index) — four statements a
    page, however many units, instead of ranking every report of the campaign for 200 rows."""

    def __init__(self, campaign: Campaign, *, unit_id: int | None = None, day: datetime.date | None = None):
        self.campaign, self.unit_id, self.day = campaign, unit_id, day or timezone.localdate()
        self.plans = plans_query(campaign, unit_id=unit_id)

    def __len__(self):
        return self.count()

    def count(self) -> int:
        return self.plans.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        plans = list(self.plans.values_list(*PLAN_FIELDS)[index])
        registrations = sorted({plan[0] for plan in plans})
        latest = latest_reports(self.campaign, unit_id=None, day=self.day, registrations=registrations)
        return _rows(self.campaign, plans, latest, self.day)


def _rows(campaign: Campaign, plans, latest: dict, day: datetime.date) -> list[Row]:
    targets = {target.pk: target for target in Target.objects.filter(campaign=campaign)}
    statuses = dict(Registration.Status.choices)
    rows = []
    for registration_id, unit_id, unit_name, registration_status, target_id, planned in plans:
        target = targets[target_id]
        value, reported_on = latest.get((registration_id, target_id), (None, None))
        rows.append(
            Row(
                unit=unit_name,
                unit_id=unit_id,
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
