"""The statistical forms of Thông tư 02/2023/TT-BNV, 0601–0605.N/BNV-TĐKT, for an issuer and a year.

What the domain brief (§14) confirms: 0601 counts emulation movements by scope, duration (< 1 year, 1 year,
1–3, 3–5, ≥ 5 years) and method (regular or thematic); 0602 state-level awards by form, collective or
individual; 0603 ministry/province-level awards by form and recipient (collectives, of which enterprises;
households; individuals: leaders by level, business people, direct workers) and by method; 0604 the emulation
offices; 0605 their staff (women, age bands, training, years). What is inferred here, not read from the
circular: the exact cell layout, the leader levels (``LeaderLevel``), the band edges in days, that a
movement's year is its launch document's, that an award's method is its campaign's (none: "not in a
movement"), that women and ethnic minorities are columns too (issue 16 asks for them), and that the
emulation offices are the units holding a reviewer's role. The staff's gender, age, training and years are
not recorded anywhere: those cells say so instead of printing a zero.

Every award figure is ``Count`` over ``awards_in_force()`` under one named filter per row and column, so
the list behind a figure (``cell_records``) is that same filter, never a second reading of the rules. The counts
are taken ahead, per decision, into tallies (``AwardTally``, kept by ``services.award_records`` whenever it writes
records) with these same filters; the page adds the tallies of the standing decisions.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, Q, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, ExtractYear
from django.utils.translation import gettext_lazy as _

from . import compiled
from .models import AwardTally, AwardType, Campaign, LeaderLevel, Membership, OrgUnit, Role
from .models.awards import RecipientKind
from .selectors import awards_in_force, decision_stands

# A new column or a changed filter needs the tallies recounted (a migration calling services.award_records.tallies).
# Every filter reads the award record's own copy of its recipient's attributes (``services.award_records``),
# so the counts scan one table: no join to the candidates.
INDIVIDUAL = Q(recipient_kind=RecipientKind.INDIVIDUAL)
# Columns of the award forms: key → (heading, filter). Enterprises are collectives (domain §2.3).
AWARD_COLUMNS = {
    "total": (_("Tổng số"), Q()),
    "collective": (
        _("Tập thể"),
        Q(recipient_kind__in=[RecipientKind.COLLECTIVE, RecipientKind.ENTERPRISE]),
    ),
    "enterprise": (_("Trong đó: doanh nghiệp"), Q(recipient_kind=RecipientKind.ENTERPRISE)),
    "household": (_("Hộ gia đình"), Q(recipient_kind=RecipientKind.HOUSEHOLD)),
    "individual": (_("Cá nhân"), INDIVIDUAL),
    "women": (_("Trong đó: nữ"), INDIVIDUAL & Q(gender="female")),
    # "Kinh" is the majority; an individual whose ethnicity is not recorded is not counted as a minority.
    "minority": (
        _("Người dân tộc thiểu số"),
        INDIVIDUAL & ~Q(ethnicity__in=["", "Kinh", "kinh"]),
    ),
    **{f"leader_{level.value}": (level.label, INDIVIDUAL & Q(leader_level=level.value)) for level in LeaderLevel},
    "business": (_("Doanh nhân"), INDIVIDUAL & Q(business_person=True)),
    "direct": (_("Công nhân, nông dân, người lao động trực tiếp"), INDIVIDUAL & Q(direct_worker=True)),
}
# 0602 splits state awards into collectives and individuals only.
STATE_COLUMNS = ("total", "collective", "individual")
FORMS = {
    "0602": AwardType.Level.STATE,
    "0603": AwardType.Level.PROVINCE,
    # Beside the forms: what a district or commune committee itself awards (not sent up; for its own use).
    "local": AwardType.Level.LOCAL,
}
NO_METHOD = "none"
METHOD_LABELS = {**dict(Campaign.Method.choices), NO_METHOD: _("Không theo phong trào")}
DURATIONS = {
    "lt1": _("Dưới 1 năm"),
    "y1": _("1 năm"),
    "y1_3": _("Trên 1 đến dưới 3 năm"),
    "y3_5": _("Từ 3 đến dưới 5 năm"),
    "ge5": _("Từ 5 năm trở lên"),
}
OFFICE_ROLES = (Role.REVIEWER, Role.WARD_REVIEWER)
OFFICE_NOTE = _(
    "Giới tính, độ tuổi, trình độ đào tạo và số năm công tác của cán bộ làm công tác thi đua, khen thưởng "
    "chưa được ghi nhận trong hệ thống: các chỉ tiêu này của biểu 0605 chưa có số liệu."
)


@dataclass
class Row:
    key: str
    label: str
    cells: dict = field(default_factory=dict)


@dataclass
class Report:
    issuer: OrgUnit
    year: int
    movements: list  # 0601 rows: by scope
    awards: dict  # "0602" | "0603" | "local" → {"by_form": [Row], "by_method": [Row]}
    offices: list  # 0604 rows: by level
    staff: list  # 0605 rows: by level


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def duration_band(start: datetime.date, end: datetime.date) -> str:
    """A movement's duration band, in calendar years from its first day: 01/01–31/12 is "1 year" (inferred)."""

    def full(years):
        return _years_after(start, years) - datetime.timedelta(days=1)

    if end < full(1):
        return "lt1"
    if end == full(1):
        return "y1"
    if end < full(3):
        return "y1_3"
    if end < full(5):
        return "y3_5"
    return "ge5"


def records_of(issuer: OrgUnit, year: int):
    """Awards in force decided in ``year`` by ``issuer`` or a unit under it, each counted once.

    The issuers are a subquery on the units (not a join), the year a range on the decision date: with the
    index on (issuer, decision date) a ward's report reads its own records only.
    """
    issuers = OrgUnit.objects.filter(path__startswith=issuer.path).values("pk")
    return awards_in_force().filter(issuer__in=issuers, decision_date__year=year)


def award_counts() -> dict:
    """Every column's count, as aggregates over award records (what a tally holds: services.award_records)."""
    return {key: Count("pk", filter=q) for key, (_label, q) in AWARD_COLUMNS.items()}


def tallies_of(issuer: OrgUnit, year: int):
    """The tallies behind ``records_of(issuer, year)``: the same issuers and year, the decision still standing
    (the records' own revocation is counted in the tally)."""
    issuers = OrgUnit.objects.filter(path__startswith=issuer.path).values("pk")
    return AwardTally.objects.filter(decision_stands(), issuer__in=issuers, year=year)


def _award_rows(issuer: OrgUnit, year: int) -> dict:
    """One statement over the tallies (a few rows per decision, not one per award); the tables by form and by
    method are sums of their counts, keyed ``form:<award type>`` and ``method:<method>``. The award type's
    name and level and the campaign's method come with the sums (joins: two statements fewer than asking
    for them apart)."""
    # Summed by the database: a few rows per award type and method come back, not one per decision.
    sums = {column: Sum(Cast(KT(f"counts__{column}"), IntegerField())) for column in AWARD_COLUMNS}
    groups = compiled.rows(
        # Compiled once per issuer and year (fifteen sums: most of the statement's cost), run each time.
        ("tt02-tallies", issuer.pk, issuer.path, year),
        lambda: tallies_of(issuer, year)
        .values_list("award_type_id", "award_type__name", "award_type__level", "campaign__method")
        .annotate(**sums)
        .order_by(),
    )
    level_of = {level: form for form, level in FORMS.items()}
    by_form = {form: {} for form in FORMS}
    by_method = {form: {} for form in FORMS}
    for award_type_id, name, level, method, *counts in groups:
        form = level_of[level]
        method = method or NO_METHOD  # no campaign: not in a movement
        for table, key, label in (
            (by_form, f"form:{award_type_id}", name),
            (by_method, f"method:{method}", METHOD_LABELS[method]),
        ):
            row = table[form].setdefault(key, Row(key, str(label), dict.fromkeys(AWARD_COLUMNS, 0)))
            cells = row.cells
            for column, count in zip(AWARD_COLUMNS, counts, strict=True):
                cells[column] += count
    order = {f"method:{method}": n for n, method in enumerate(METHOD_LABELS)}
    return {
        form: (
            sorted(by_form[form].values(), key=lambda row: int(row.key.partition(":")[2])),
            sorted(by_method[form].values(), key=lambda row: order[row.key]),
        )
        for form in FORMS
    }


def _with_total(rows: list[Row]) -> list[Row]:
    total = {column: sum(row.cells[column] for row in rows) for column in AWARD_COLUMNS}
    return [Row("all", str(_("Tổng số")), total), *rows]


def _movements(issuer: OrgUnit, year: int) -> list[Row]:
    campaigns = compiled.rows(  # compiled once per issuer's path and year (about 1 ms of the ORM), run each time
        ("tt02-movements", issuer.path, year),
        lambda: Campaign.objects.exclude(status=Campaign.Status.DRAFT)
        .filter(issuer__path__startswith=issuer.path)
        .annotate(launched=ExtractYear(Coalesce("doc_date", "period_start")))
        .filter(launched=year)
        .values_list("issuer__level", "method", "period_start", "period_end"),
    )
    columns = ["total", *DURATIONS, *Campaign.Method.values]
    rows = {level: Row(str(level), str(label), dict.fromkeys(columns, 0)) for level, label in OrgUnit.Level.choices}
    for level, method, start, end in campaigns:
        for column in ("total", duration_band(start, end), method):
            rows[level].cells[column] += 1
    total = Row("total", str(_("Tổng số")), {c: sum(r.cells[c] for r in rows.values()) for c in columns})
    return [total, *rows.values()]


def _offices_and_staff(issuer: OrgUnit, year: int) -> tuple[list[Row], list[Row]]:
    """Units holding a reviewer's role at some time in ``year`` (0604) and the people holding it (0605)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    held = compiled.rows(  # integers only: compiled once per issuer's path and year, run each time
        ("tt02-offices", issuer.path, year),
        lambda: Membership.objects.filter(
            role__in=OFFICE_ROLES, unit__path__startswith=issuer.path, valid_from__lte=last
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
        .values_list("unit__level", "unit_id", "user_id"),
    )
    units, people = {}, {}
    for level, unit_id, user_id in held:
        units.setdefault(level, set()).add(unit_id)
        people.setdefault(level, set()).add(user_id)
    offices, staff = [], []
    for level, label in OrgUnit.Level.choices:
        offices.append(Row(str(level), str(label), {"total": len(units.get(level, ()))}))
        staff.append(Row(str(level), str(label), {"total": len(people.get(level, ()))}))
    offices.insert(0, Row("total", str(_("Tổng số")), {"total": len(set().union(*units.values()))}))
    staff.insert(0, Row("total", str(_("Tổng số")), {"total": len(set().union(*people.values()))}))
    return offices, staff


def tt02_report(issuer: OrgUnit, year: int) -> Report:
    """The five forms in a fixed number of statements, however many units, campaigns and awards."""
    tables = _award_rows(issuer, year)
    offices, staff = _offices_and_staff(issuer, year)
    return Report(
        issuer=issuer,
        year=year,
        movements=_movements(issuer, year),
        awards={
            form: {"by_form": _with_total(by_form), "by_method": by_method}
            for form, (by_form, by_method) in tables.items()
        },
        offices=offices,
        staff=staff,
    )


class UnknownCell(ValueError):
    pass


def cell_records(issuer: OrgUnit, year: int, *, form: str, row: str, column: str):
    """The award records behind one figure of 0602, 0603 or the local table: the same filters as the count."""
    if form not in FORMS or column not in AWARD_COLUMNS:
        raise UnknownCell(form, column)
    records = records_of(issuer, year).filter(award_type__level=FORMS[form]).filter(AWARD_COLUMNS[column][1])
    kind, _sep, value = row.partition(":")
    if kind == "form" and value.isdigit():
        records = records.filter(award_type_id=int(value))
    elif kind == "method" and value == NO_METHOD:
        records = records.filter(campaign__isnull=True)
    elif kind == "method" and value in Campaign.Method.values:
        records = records.filter(campaign__method=value)
    elif kind != "all":
        raise UnknownCell(row)
    return records.select_related("candidate", "award_type").order_by("decision_date", "pk")


def columns_of(form: str) -> list[tuple[str, str]]:
    keys = STATE_COLUMNS if form == "0602" else AWARD_COLUMNS
    return [(key, str(AWARD_COLUMNS[key][0])) for key in keys]
