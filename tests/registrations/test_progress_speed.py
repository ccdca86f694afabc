"""Issue 16's speed of the progress table: each plan keeps its latest report (written by the report's one
writer, filled for the reports already there by the migration), the status is computed by the database with
the same rule as ``progress.status_of``, the chart's figures are counted over the whole table, and the page
is a page of the table with its filters (unit, status) kept; the Excel export holds every row."""

import datetime
import importlib
import io
from decimal import Decimal
from itertools import product

import pytest
from django.apps import apps
from django.urls import reverse
from openpyxl import load_workbook

from nominations import progress
from nominations.models import OrgUnit, ProgressReport, Registration, TargetPlan
from nominations.services import registrations
from tests.nominations.services.world import START

from .world import build_registration_world, registered

DAY = datetime.timedelta(days=1)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_registration_world()


def report(world, registration, value, day, target=None):
    return registrations.progress_report(
        registration=registration, actor=world.clerk, target=target or world.online, value=value, day=day
    )


def plan_of(registration, target):
    return TargetPlan.objects.get(registration=registration, target=target)


def test_the_plan_keeps_its_latest_report_not_an_earlier_dated_one(world):
    school = registered(world)
    report(world, school, "40", world.today - DAY)
    report(world, school, "50", world.today)
    report(world, school, "20", world.today - 2 * DAY)  # entered late, about an earlier day: history only
    plan = plan_of(school, world.online)
    assert (plan.latest_value, plan.latest_day) == (Decimal("50"), world.today)
    report(world, school, "55", world.today)  # the same day again: the newer report is the latest
    assert plan_of(school, world.online).latest_value == Decimal("55")
    assert plan_of(school, world.late).latest_value is None  # another target's plan is untouched
    [row] = [r for r in progress.progress_table(world.campaign) if r.target == world.online.name]
    assert (row.latest, row.latest_day) == (Decimal("55"), world.today)


def test_a_refused_report_leaves_the_plan_as_it_was(world):
    school = registered(world)
    report(world, school, "40", world.today)
    with pytest.raises(Exception):  # noqa: B017 (the service's ValidationError, whatever its form)
        report(world, school, "140", world.today)  # a share over 100 %
    assert plan_of(school, world.online).latest_value == Decimal("40")


def test_the_migration_fills_the_latest_report_of_each_plan(world):
    school = registered(world)
    registration = Registration.objects.get(pk=school.pk)
    for value, day in [("10", world.today - 2 * DAY), ("30", world.today), ("20", world.today - DAY)]:
        ProgressReport.objects.create(
            registration=registration, target=world.online, day=day, value=value, created_by=world.clerk
        )
    ProgressReport.objects.create(
        registration=registration, target=world.online, day=world.today, value="35", created_by=world.clerk
    )  # same day, greater id: the latest
    TargetPlan.objects.update(latest_value=None, latest_day=None)
    migration = importlib.import_module("nominations.migrations.0019_p16_plan_latest")
    migration.fill_latest(apps, None)
    assert (plan_of(school, world.online).latest_value, plan_of(school, world.online).latest_day) == (
        Decimal("35"),
        world.today,
    )
    assert plan_of(school, world.late).latest_value is None


def test_the_database_status_is_the_python_rule(world):
    """Values around the on-track line (share of the period elapsed), on both directions, on several days;
    0.09 against 0.27 at a third of the period is exactly on the line (0.09 × 30 < 0.27 × 10 in floats)."""
    school = registered(world)
    campaign = world.campaign
    campaign.period_start, campaign.period_end = datetime.date(2024, 1, 1), datetime.date(2024, 1, 31)
    campaign.save()
    plan = plan_of(school, world.online)
    days = [
        datetime.date(2023, 12, 1),
        datetime.date(2024, 1, 11),
        datetime.date(2024, 1, 16),
        datetime.date(2025, 1, 1),
    ]
    cases = product(
        [world.online, world.late],
        ["99.99", "85", "3", "0.27"],
        [None, "0", "0.09", "2.5", "3", "33.33", "42.5", "84.99", "85", "99.99", "100"],
        days,
    )
    for target, planned, latest, day in cases:
        plan = plan_of(school, target)
        plan.planned_value, plan.latest_value = Decimal(planned), None if latest is None else Decimal(latest)
        plan.save()
        plan.refresh_from_db()
        [row] = [r for r in progress.progress_table(campaign, day=day) if r.target == target.name]
        expected = progress.status_of(target, plan.planned_value, plan.latest_value, campaign, day)
        assert row.status == expected, (target.name, planned, latest, day)
    # 0.09 / 0.27 is a third; on 11/01 ten of thirty days have gone: exactly on track.
    plan = plan_of(school, world.online)
    plan.planned_value, plan.latest_value = Decimal("0.27"), Decimal("0.09")
    plan.save()
    [row] = [
        r for r in progress.progress_table(campaign, day=datetime.date(2024, 1, 11)) if r.target == world.online.name
    ]
    assert row.status == progress.ON_TRACK


def test_the_chart_counts_are_the_rows_counts(world):
    school = registered(world)
    ward = registered(world, unit=world.ward)
    report(world, school, "90", world.today)
    report(world, ward, "10", world.today)
    report(world, ward, "1", world.today, target=world.late)
    assert progress.target_counts(world.campaign) == progress.target_summary(progress.progress_table(world.campaign))
    assert progress.target_counts(world.campaign, unit_id=world.ward.pk) == progress.target_summary(
        progress.progress_table(world.campaign, unit_id=world.ward.pk)
    )


def table(client, world, **params):
    return client.get(reverse("registrations:table", args=[world.campaign.pk]), params)


def test_the_status_filter_is_kept_from_page_to_page_and_in_the_export(client, world, monkeypatch):
    from workflow.views.registrations import ProgressTableView

    monkeypatch.setattr(ProgressTableView, "rows_per_page", 2)
    for n in range(3):
        unit = OrgUnit.objects.create(
            code=f"s{n}", name=f"Đơn vị {n}", kind="school", level=3, parent=world.city, valid_from=START
        )
        registration = registered(world, unit=unit)
        report(world, registration, "90", world.today)  # online share done; late files never reported: behind
    client.force_login(world.reviewer)
    first = table(client, world, status="done")
    assert [row.status for row in first.context["rows"]] == ["done", "done"]
    html = first.content.decode()
    assert "Trang 1/2 (3 dòng)" in html and "?page=2&amp;status=done" in html
    assert '<option value="done" selected>' in html
    # The chart still counts the whole table: three units on each target.
    assert [(line["units"], line["done"], line["behind"]) for line in first.context["lines"]] == [(3, 3, 0), (3, 0, 3)]
    second = table(client, world, status="done", page=2)
    assert [row.status for row in second.context["rows"]] == ["done"]
    assert table(client, world, status="nonsense").context["status"] == ""  # an unknown status filters nothing
    export = client.get(reverse("registrations:table_export", args=[world.campaign.pk]), {"status": "behind"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [sheet.cell(r, 7).value for r in range(3, sheet.max_row + 1)] == ["Chậm tiến độ"] * 3
    everything = client.get(reverse("registrations:table_export", args=[world.campaign.pk]))
    assert load_workbook(io.BytesIO(everything.content)).active.max_row == 2 + 6  # every row, not a page


def test_an_empty_filter_says_so_in_vietnamese(client, world):
    registered(world)
    client.force_login(world.reviewer)
    html = table(client, world, status="done").content.decode()
    assert "Không có dòng nào khớp bộ lọc." in html


def test_the_rows_link_to_their_registration_and_escape_names(client, world):
    unit = OrgUnit.objects.create(
        code="x", name="<b>Trường & Cộng</b>", kind="school", level=3, parent=world.city, valid_from=START
    )
    registration = registered(world, unit=unit)
    client.force_login(world.reviewer)
    html = table(client, world, unit=unit.pk).content.decode()
    detail = reverse("registrations:detail", args=[registration.pk])
    assert f'<a href="{detail}" data-turbo="false">&lt;b&gt;Trường &amp; Cộng&lt;/b&gt;</a>' in html
    assert "<b>Trường" not in html


def test_the_apis_rows_are_what_the_serializer_writes(world):
    from workflow.api.serializers.registrations import ProgressRowSerializer
    from workflow.api.views.registrations import progress_row

    school = registered(world)
    report(world, school, "90.5", world.today)
    rows = progress.progress_table(world.campaign)
    assert {row.latest is None for row in rows} == {True, False}
    assert [progress_row(row) for row in rows] == ProgressRowSerializer(rows, many=True).data


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_tables_numbers_are_written_as_a_template_writes_them(language):
    from django.utils import translation
    from django.utils.formats import localize

    from workflow.views.registrations import decimal_text

    with translation.override(language):
        number = decimal_text()
        for value in ["0.00", "85.00", "90.50", "1234567.89", "0.09"]:
            assert number(Decimal(value)) == localize(Decimal(value)), value


def test_the_api_filters_by_status_as_the_page_does(world):
    from rest_framework.test import APIClient

    school = registered(world)
    registered(world, unit=world.ward)
    report(world, school, "90", world.today)
    client = APIClient()
    client.force_authenticate(world.reviewer)
    url = f"/api/campaigns/{world.campaign.pk}/progress/"
    done = client.get(url, {"status": "done"}).json()
    assert [(r["unit_id"], r["status"]) for r in done["results"]] == [(world.school.pk, "done")]
    assert client.get(url, {"status": "nonsense"}).json()["count"] == 4  # an unknown status filters nothing
    export = client.get(url.replace("progress/", "progress.xlsx"), {"status": "behind"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet.max_row == 2 + 3


def test_the_pagers_count_is_the_rows_under_every_filter(client, world):
    """The page counts its rows from its chart's figures (no count statement): the same number as the rows
    under each unit and status filter, a lower-is-better target among them."""
    school = registered(world)
    ward = registered(world, unit=world.ward)
    report(world, school, "90", world.today)
    report(world, ward, "10", world.today)
    report(world, ward, "1", world.today, target=world.late)
    client.force_login(world.reviewer)
    for unit_id in (None, world.ward.pk, world.school.pk):
        for status in ("", *progress.STATUS_LABELS):
            params = {key: value for key, value in (("unit", unit_id), ("status", status)) if value}
            page = table(client, world, **params).context["page_obj"]
            rows = progress.progress_table(world.campaign, unit_id=unit_id, status=status)
            assert page.paginator.count == len(rows), (unit_id, status)
            # The API's pages count with a statement of their own (compiled once per filters): the same number.
            assert progress.ProgressPages(world.campaign, unit_id=unit_id, status=status).count() == len(rows)
            assert list(page.object_list) == rows


def test_the_charts_statement_is_compiled_once_and_reads_the_data_afresh(world, monkeypatch):
    """The chart's SQL is kept per campaign, day and unit (``nominations.compiled``); its rows are read each
    time: a report written in between shows at once."""
    from nominations import compiled

    monkeypatch.setattr(compiled, "_sql", {})
    built = []
    original = progress.target_counts_query
    monkeypatch.setattr(progress, "target_counts_query", lambda *a, **k: built.append(1) or original(*a, **k))
    school = registered(world)
    before = progress.target_counts(world.campaign, day=world.today)
    report(world, school, "90", world.today)
    after = progress.target_counts(world.campaign, day=world.today)
    assert len(built) == 1
    assert [line["done"] for line in before] == [0, 0] and [line["done"] for line in after] == [1, 0]
    assert after == progress.target_summary(progress.progress_table(world.campaign, day=world.today))
    progress.target_counts(world.campaign, day=world.today + DAY)  # another day: another statement
    assert len(built) == 2


def test_the_pages_rows_are_compiled_once_and_read_afresh_with_the_query_sets_values(world, monkeypatch):
    """A page of the table (and the whole table) runs SQL compiled once per filters, day and slice
    (``nominations.compiled``): the query set is built once, a report written in between shows at once, and
    the values are the query set's own (decimals and days converted as on the backend; on SQLite floats
    otherwise)."""
    from nominations import compiled

    monkeypatch.setattr(compiled, "_sql", {})
    built = []
    original = progress.plans_query
    monkeypatch.setattr(progress, "plans_query", lambda *a, **k: built.append(1) or original(*a, **k))
    school = registered(world)
    registered(world, unit=world.ward)

    def page():
        return progress.ProgressPages(world.campaign, day=world.today)[0:3]

    before = page()
    report(world, school, "33.33", world.today)
    after = page()
    assert len(built) == 1
    assert [row.latest for row in before] == [None] * 3
    [online] = [row for row in after if row.unit_id == world.school.pk and row.target == world.online.name]
    assert (online.latest, online.latest_day) == (Decimal("33.33"), world.today)
    assert isinstance(online.planned, Decimal) and isinstance(online.latest, Decimal)
    # The same rows the query set gives, field by field.
    expected = progress._rows(
        original(world.campaign, unit_id=None, day=world.today).values_list(*progress.PLAN_FIELDS)
    )
    assert after == expected[0:3] and progress.progress_table(world.campaign, day=world.today) == expected
    assert progress.ProgressPages(world.campaign, day=world.today)[10:20] == []  # past the end: no rows
