"""The standing body's progress table: every registered unit × target with its plan, latest value and status,
in a fixed number of statements however many units there are; its figures per target; and its Excel export.

Each plan carries its latest report (``TargetPlan.latest_value``, kept by a trigger on the reports, migration
0021), so the table reads one row per plan and never ranks the reports; the chart's counts are kept in the
process under the campaign's ``progress_version``, a token the database draws afresh on any write they read."""

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Case, CharField, Count, DecimalField, F, Func, Q, Value, When
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from . import compiled
from .models import Campaign, Registration, Target, TargetPlan

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
    lower-is-better targets not yet reached, and targets never reported, are behind.

    The rule in Python, for one plan; ``status_expression`` is the same rule in SQL, which the table and its
    chart read (tests/registrations/test_progress_speed.py holds the two to each other)."""
    if latest is None:
        return BEHIND
    if target.reached(latest, planned):
        return DONE
    if target.direction == target.Direction.LOWER:
        return BEHIND
    length, elapsed = _period(campaign, day)
    return ON_TRACK if latest * length >= planned * elapsed else BEHIND


def _period(campaign: Campaign, day: datetime.date) -> tuple[int, int]:
    """(days of the campaign's period, days of it elapsed on ``day``)."""
    length = (campaign.period_end - campaign.period_start).days or 1
    return length, min(max((day - campaign.period_start).days, 0), length)


def status_expression(campaign: Campaign, day: datetime.date) -> Case:
    """``status_of`` over a plan's row (its ``latest_value``, kept by the trigger on the reports), so the database
    filters and counts by status. The target's direction is read through the join to the target that the
    table and the chart make anyway for its name (a subquery of the campaign's lower-is-better targets cost
    about 1 ms more of ORM work a statement); values are compared in hundredths rounded to whole numbers on
    SQLite, whose decimals are floats (PostgreSQL's numeric is exact as it is)."""
    length, elapsed = _period(campaign, day)
    lower = Q(target__direction=Target.Direction.LOWER)
    return Case(
        When(latest_value__isnull=True, then=Value(BEHIND)),
        When(
            (~lower & Q(latest_value__gte=F("planned_value"))) | (lower & Q(latest_value__lte=F("planned_value"))),
            then=Value(DONE),
        ),
        When(lower, then=Value(BEHIND)),
        When(
            GreaterThanOrEqual(Hundredths("latest_value") * length, Hundredths("planned_value") * elapsed),
            then=Value(ON_TRACK),
        ),
        default=Value(BEHIND),
        output_field=CharField(),
    )


class Hundredths(Func):
    """A two-decimal value as compared exactly: itself on PostgreSQL (numeric), its hundredths rounded to a
    whole number on SQLite (a float there: 33.33 × 300 is not 99.99 × 100)."""

    template = "%(expressions)s"
    output_field = DecimalField(max_digits=20, decimal_places=2)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="ROUND(%(expressions)s * 100)", **extra_context)


def plans_query(campaign: Campaign, *, unit_id: int | None, day: datetime.date | None = None, status: str = ""):
    """The campaign's plans in the table's order (unit, target), with their status on ``day``; one unit's or
    one status's when asked."""
    plans = (
        TargetPlan.objects.filter(registration__campaign=campaign)
        .annotate(status=status_expression(campaign, day or timezone.localdate()))
        .order_by("registration__unit__path", "target_id")
    )
    if unit_id is not None:
        plans = plans.filter(registration__unit_id=unit_id)
    if status:
        plans = plans.filter(status=status)
    return plans


PLAN_FIELDS = (
    "registration_id",
    "registration__unit_id",
    "registration__unit__name",
    "registration__status",
    "target__name",
    "target__unit_of_measure",
    "planned_value",
    "latest_value",
    "latest_day",
    "status",
)


def progress_table(
    campaign: Campaign, *, unit_id: int | None = None, day: datetime.date | None = None, status: str = ""
) -> list[Row]:
    """One statement however many units: each plan with its latest value (kept on the plan) and its status."""
    return ProgressPages(campaign, unit_id=unit_id, day=day, status=status)[:]


class ProgressPages(Sequence):
    """The progress table for a paginator, read a page at a time: its length is one count, a slice one
    statement reading only that slice's plans, however many units."""

    def __init__(
        self,
        campaign: Campaign,
        *,
        unit_id: int | None = None,
        day: datetime.date | None = None,
        status: str = "",
        count: int | None = None,
    ):
        """``count``: the number of rows when the caller knows it already (the page sums its chart's counts,
        read with the same filters), which spares the count statement."""
        day = day or timezone.localdate()
        self.campaign, self.unit_id, self.day, self.status = campaign, unit_id, day, status
        self.known_count = count
        # Every input of the statements: the campaign, its period and the day (the status), the filters.
        self.key = (campaign.pk, campaign.period_start, campaign.period_end, day, unit_id, status)

    @property
    def plans(self):
        """The plans' query set, built only when a statement is compiled (building it, with the status's
        ``CASE``, is most of the ORM's cost)."""
        return plans_query(self.campaign, unit_id=self.unit_id, day=self.day, status=self.status)

    def __len__(self):
        return self.count()

    def count(self) -> int:
        if self.known_count is None:
            # One group (the campaign's): its count, or no row when nothing matches. Compiled once per inputs.
            counted = compiled.rows(("progress-rows", *self.key), self._count_query)
            self.known_count = counted[0][0] if counted else 0
        return self.known_count

    def _count_query(self):
        # Without a status filter the plans alone are counted: no status, no join to the targets.
        plans = self.plans if self.status else TargetPlan.objects.filter(registration__campaign=self.campaign)
        if self.unit_id is not None:
            plans = plans.filter(registration__unit_id=self.unit_id)
        return plans.order_by().values("registration__campaign").annotate(n=Count("pk")).values_list("n")

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        if index.step is not None:
            return self[index.start : index.stop][:: index.step]
        # Compiled once per filters and slice (the status's CASE and four joins: about 3.5 ms of the ORM's CPU,
        # more than the statement itself), run each time; the values converted as the query set would.
        key = ("progress-plans", *self.key, index.start, index.stop)
        return _rows(compiled.rows(key, lambda: self.plans.values_list(*PLAN_FIELDS)[index]))


def _rows(plans) -> list[Row]:
    statuses = {status: str(label) for status, label in Registration.Status.choices}  # translated once
    return [
        Row(
            unit=unit_name,
            unit_id=unit_id,
            registration_id=registration_id,
            registration_status=str(statuses[registration_status]),
            target=target,
            unit_of_measure=unit_of_measure,
            planned=planned,
            latest=latest,
            latest_day=latest_day,
            status=status,
        )
        for (
            registration_id,
            unit_id,
            unit_name,
            registration_status,
            target,
            unit_of_measure,
            planned,
            latest,
            latest_day,
            status,
        ) in plans
    ]


def progress_xlsx(campaign: Campaign, rows: list[Row]) -> bytes:
    """Every row of the table (not a page of it), written in openpyxl's write-only mode: rows are streamed to
    the file instead of kept as cell objects (5,000 rows: about a tenth of the time)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Tiến độ")
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 48
    bold = Font(bold=True)

    def strong(value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        return cell

    sheet.append([strong(campaign.title)])
    headers = [
        _("Đơn vị"),
        _("Chỉ tiêu"),
        _("Đơn vị tính"),
        _("Đăng ký"),
        _("Đạt được"),
        _("Ngày báo cáo"),
        _("Tình trạng"),
    ]
    sheet.append([strong(header) for header in headers])
    labels = {status: str(label) for status, label in STATUS_LABELS.items()}
    for row in rows:
        sheet.append(
            [
                row.unit,
                row.target,
                row.unit_of_measure,
                float(row.planned),
                None if row.latest is None else float(row.latest),
                row.latest_day,
                labels[row.status],
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def target_summary(rows: list[Row]) -> list[dict]:
    """Per target of the given rows: how many units registered it and how many are done, on track, behind."""
    targets = {}
    for row in rows:
        line = targets.setdefault(
            row.target,
            {"target": row.target, "unit_of_measure": row.unit_of_measure, "units": 0, DONE: 0, ON_TRACK: 0, BEHIND: 0},
        )
        line["units"] += 1
        line[row.status] += 1
    return list(targets.values())


# The chart's counts kept in the process, under the campaign's ``progress_version`` (a token the database draws
# afresh on any write to what the chart counts, raw SQL included: migration 0021) and every other input: a
# campaign whose token still stands has the counts its statement gave under that token.
_kept: dict[tuple, list[tuple]] = {}
KEPT_MAX = 256


def target_counts(
    campaign: Campaign, *, unit_id: int | None = None, day: datetime.date | None = None, kept: bool = False
) -> list[dict]:
    """``target_summary`` of the whole table counted by the database: one statement, a line per target with a
    plan (in the targets' order), however many units — the chart's figures.

    ``kept``: ``campaign`` was read in this request (its ``progress_version`` is current as of then), so the
    counts kept under its token are read instead of the statement when there are some. Counts are kept under
    the token the counting statement itself read (same snapshot), never under the caller's copy: a
    ``Campaign`` read before a write finds at most the counts of the state it was read in, never another's."""
    day = day or timezone.localdate()
    inputs = (campaign.pk, campaign.period_start, campaign.period_end, day, unit_id)
    where = (connection.vendor, connection.settings_dict["NAME"])
    counted = _kept.get((*where, campaign.progress_version, *inputs)) if kept else None
    if counted is None:
        # Compiled once per campaign, period, day and unit (the CASE is most of the ORM's cost), run each time.
        fetched = compiled.rows(
            ("progress-counts", *inputs), lambda: target_counts_query(campaign, unit_id=unit_id, day=day)
        )
        counted = [row[1:] for row in fetched]
        if fetched:  # (no row, no token: an empty chart is not kept; it costs nothing to count)
            if len(_kept) >= KEPT_MAX:
                _kept.clear()
            _kept[(*where, fetched[0][0], *inputs)] = counted
    lines = {}
    for _target_id, name, unit_of_measure, status, count in counted:
        line = lines.setdefault(
            name, {"target": name, "unit_of_measure": unit_of_measure, "units": 0, DONE: 0, ON_TRACK: 0, BEHIND: 0}
        )
        line["units"] += count
        line[status] += count
    return list(lines.values())


def rows_counted(lines: list[dict], status: str = "") -> int:
    """How many rows of the table ``target_counts`` counted (of one status when given): the table's length
    under the same filters, without a count statement."""
    return sum(line[status or "units"] for line in lines)


def target_counts_query(campaign: Campaign, *, unit_id: int | None = None, day: datetime.date | None = None):
    """(the campaign's ``progress_version``, target id, name, unit of measure, status, plans) by target and
    status, as SQL and its parameters (the token read by the same statement, so it is the counts' own): the
    status is computed once a plan (a count per status would compute it once per count) and the plans are
    grouped by target and status alone (a hash of at most three groups a target); the targets' names are joined
    to those few rows afterwards instead of being carried through every plan and sorted with it (EXPLAIN on
    5,000 plans: 5.5 → 3.6 ms)."""
    counted = (
        plans_query(campaign, unit_id=unit_id, day=day)
        .order_by()
        .values_list("target_id", "status")
        .annotate(plans=Count("pk"))
    )
    sql, params = counted.query.sql_with_params()
    target = connection.ops.quote_name(Target._meta.db_table)
    table = connection.ops.quote_name(Campaign._meta.db_table)
    return (
        f'SELECT (SELECT "progress_version" FROM {table} WHERE "id" = %s), t."id", t."name", t."unit_of_measure",'
        f' c."status", c."plans" FROM ({sql}) c INNER JOIN {target} t ON t."id" = c."target_id"'
        ' ORDER BY t."id", c."status"',
        (campaign.pk, *params),
    )
