"""The TT 02/2023 figures against the hand-counted fixture (tests.statistics.world); the list behind a figure;
revoked awards out; a fixed number of statements however many records."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nominations.statistics import cell_records, duration_band, tt02_report

from .world import D, build_statistics_world

ZERO_INDIVIDUAL = dict.fromkeys(
    ["women", "minority", "leader_province", "leader_department", "leader_unit", "business", "direct"], 0
)


def cells(**figures):
    """A full row of the award forms: every column zero unless given."""
    row = {"total": 0, "collective": 0, "enterprise": 0, "household": 0, "individual": 0, **ZERO_INDIVIDUAL}
    return {**row, **figures}


@pytest.fixture
def world(db):
    return build_statistics_world()


def by_key(rows):
    return {row.key: row.cells for row in rows}


def test_0601_counts_the_movements_launched_in_the_year_by_scope_duration_and_method(world):
    rows = by_key(tt02_report(world.prov, 2024).movements)
    # c1 (province, regular, 366 days), c2 (city, thematic, 200 days), c3 (ward, thematic, 2 years).
    zero = {"total": 0, "lt1": 0, "y1": 0, "y1_3": 0, "y3_5": 0, "ge5": 0, "regular": 0, "thematic": 0}
    assert rows["total"] == {**zero, "total": 3, "lt1": 1, "y1": 1, "y1_3": 1, "regular": 1, "thematic": 2}
    assert rows["1"] == {**zero, "total": 1, "y1": 1, "regular": 1}
    assert rows["2"] == {**zero, "total": 1, "lt1": 1, "thematic": 1}
    assert rows["3"] == {**zero, "total": 1, "y1_3": 1, "thematic": 1}
    assert rows["4"] == zero


def test_duration_bands_edges():
    assert duration_band(D(2024, 1, 1), D(2024, 12, 30)) == "lt1"
    assert duration_band(D(2023, 1, 1), D(2023, 12, 31)) == "y1"
    assert duration_band(D(2024, 1, 1), D(2025, 1, 1)) == "y1_3"
    assert duration_band(D(2021, 1, 1), D(2023, 12, 30)) == "y1_3"
    assert duration_band(D(2021, 1, 1), D(2023, 12, 31)) == "y3_5"
    assert duration_band(D(2020, 1, 1), D(2024, 12, 30)) == "y3_5"
    assert duration_band(D(2020, 1, 1), D(2024, 12, 31)) == "ge5"


def test_0602_state_awards_by_form_and_method(world):
    awards = tt02_report(world.prov, 2024).awards["0602"]
    # records 1 (A, individual, campaign c1 regular) and 2 (E, collective, no campaign).
    a_row = cells(total=1, individual=1, women=1, minority=1, leader_province=1)
    both = cells(total=2, collective=1, individual=1, women=1, minority=1, leader_province=1)
    assert by_key(awards["by_form"]) == {"all": both, f"form:{world.state.pk}": both}
    assert by_key(awards["by_method"]) == {"method:regular": a_row, "method:none": cells(total=1, collective=1)}


def test_0603_province_awards_by_recipient_revoked_left_out(world):
    awards = tt02_report(world.prov, 2024).awards["0603"]
    # records 3 (A: woman, Tày, provincial leader), 4 (B: direct worker), 5 (F: enterprise); 6 (C) is revoked.
    expected = cells(
        total=3, collective=1, enterprise=1, individual=2, women=1, minority=1, leader_province=1, direct=1
    )
    assert by_key(awards["by_form"]) == {"all": expected, f"form:{world.bk.pk}": expected}
    assert by_key(awards["by_method"]) == {
        "method:regular": cells(
            total=2, collective=1, enterprise=1, individual=1, women=1, minority=1, leader_province=1
        ),
        "method:none": cells(total=1, individual=1, direct=1),
    }


def test_local_awards_beside_the_forms(world):
    awards = tt02_report(world.prov, 2024).awards["local"]
    # records 7 (D: Nùng, unit leader, direct worker), 8 (H: household), 9 (G: woman, ethnicity not recorded),
    # 10 (C: woman, business person); 11 is of 2023, 12 of the other province.
    expected = cells(total=4, household=1, individual=3, women=2, minority=1, leader_unit=1, business=1, direct=1)
    assert by_key(awards["by_form"]) == {"all": expected, f"form:{world.gk.pk}": expected}
    assert by_key(awards["by_method"]) == {"method:thematic": expected}


def test_a_lower_issuer_reports_only_its_own_subtree(world):
    report = tt02_report(world.city, 2024)
    assert by_key(report.awards["local"]["by_form"])["all"]["total"] == 4  # records 7–10 (9 is the ward's)
    assert by_key(report.awards["0603"]["by_form"])["all"]["total"] == 0
    assert by_key(report.movements)["total"]["total"] == 2  # c2, c3


def test_0604_and_0605_offices_and_their_people(world):
    report = tt02_report(world.prov, 2024)
    assert by_key(report.offices) == {
        "total": {"total": 2},
        "1": {"total": 0},
        "2": {"total": 1},
        "3": {"total": 1},
        "4": {"total": 0},
    }
    # r1 and r2 at the city, r3 and r1 at the ward: three people; r5 left before 2024, r4 is elsewhere.
    assert by_key(report.staff) == {
        "total": {"total": 3},
        "1": {"total": 0},
        "2": {"total": 2},
        "3": {"total": 2},
        "4": {"total": 0},
    }


def test_each_figure_lists_its_records(world):
    women = cell_records(world.prov, 2024, form="0603", row="all", column="women")
    assert list(women) == [world.records[3]]
    business = cell_records(world.prov, 2024, form="local", row="method:thematic", column="business")
    assert list(business) == [world.records[10]]
    ad_hoc = cell_records(world.prov, 2024, form="0602", row="method:none", column="total")
    assert list(ad_hoc) == [world.records[2]]
    by_form = cell_records(world.prov, 2024, form="local", row=f"form:{world.gk.pk}", column="total")
    assert [r.pk for r in by_form] == [world.records[n].pk for n in (7, 8, 9, 10)]


def test_an_award_revoked_after_the_year_is_out_too(world):
    world.records[4].revoked_at = world.records[6].revoked_at
    world.records[4].save(update_fields=["revoked_at"])
    assert by_key(tt02_report(world.prov, 2024).awards["0603"]["by_form"])["all"]["total"] == 2


def test_statements_are_flat_in_the_number_of_records(world):
    with CaptureQueriesContext(connection) as small:
        tt02_report(world.prov, 2024)
    for n in range(20):
        record = world.records[7]
        record.pk = None
        record.decision_number = f"x{n}"
        record.save()
    with CaptureQueriesContext(connection) as large:
        report = tt02_report(world.prov, 2024)
    assert by_key(report.awards["local"]["by_form"])["all"]["total"] == 24
    # Tallies with their award types and methods, movements, offices (was 5: the types and methods apart).
    assert len(small.captured_queries) == len(large.captured_queries) == 3
