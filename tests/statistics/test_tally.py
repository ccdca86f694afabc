"""The TT 02 figures come from tallies counted ahead (``AwardTally``), recounted by the one writer of award
records: the figures equal a fresh count of the records with the statistics' own filters, follow a record
written or revoked, and a decision revoked by any write (its tallies left as they were) leaves the figures."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nominations.models import AwardTally, Decision
from nominations.services.award_records import award_record, award_records_create
from nominations.statistics import AWARD_COLUMNS, FORMS, award_counts, cell_records, records_of, tt02_report

from .world import AWARDED_ON, build_statistics_world


@pytest.fixture
def world(db):
    return build_statistics_world()


def totals(issuer, year=2024):
    """{(form, row, column): figure} of the three award tables."""
    report = tt02_report(issuer, year)
    return {
        (form, row.key, column): row.cells[column]
        for form, tables in report.awards.items()
        for table in tables.values()
        for row in table
        for column in AWARD_COLUMNS
    }


def test_each_figure_is_a_fresh_count_of_its_records_and_their_list(world):
    fresh = records_of(world.prov, 2024).aggregate(**award_counts())
    for (form, row, column), figure in totals(world.prov).items():
        assert figure == cell_records(world.prov, 2024, form=form, row=row, column=column).count()
        if row == "all":
            level = FORMS[form]
            assert (
                figure
                == records_of(world.prov, 2024).filter(award_type__level=level).filter(AWARD_COLUMNS[column][1]).count()
            )
    assert (
        sum(v for (form, row, column), v in totals(world.prov).items() if row == "all" and column == "total")
        == (fresh["total"])
    )


def test_the_figures_are_read_from_the_tallies_not_the_records(world):
    AwardTally.objects.all().delete()  # nothing counted ahead: nothing shown, though the records are there
    assert all(figure == 0 for figure in totals(world.prov).values())
    assert records_of(world.prov, 2024).exists()


def test_a_record_written_through_the_service_is_counted(world):
    before = totals(world.prov)[("local", "all", "household")]
    award_records_create(
        [
            award_record(
                world.h, award_type=world.gk, decision_number="50/QĐ", decision_date=AWARDED_ON, issuer=world.ward,
                unit=world.ward, unit_name=world.ward.name,
            )
        ]
    )  # fmt: skip
    assert totals(world.prov)[("local", "all", "household")] == before + 1


def test_a_decision_revoked_by_a_raw_write_leaves_the_figures_at_once(world):
    from .world import sign_record_7

    decision = sign_record_7(world)
    assert totals(world.prov)[("local", "all", "leader_unit")] == 1  # record 7: D, a commune-level leader
    Decision.objects.filter(pk=decision.pk).update(status=Decision.Status.REVOKED)
    assert totals(world.prov)[("local", "all", "leader_unit")] == 0
    assert not cell_records(world.prov, 2024, form="local", row="all", column="leader_unit").exists()


def test_a_record_saved_revoked_is_recounted(world):
    record = world.records[5]  # Công ty F, an enterprise: Bằng khen, province
    assert totals(world.prov)[("0603", "all", "enterprise")] == 1
    record.revoked_at = timezone.now()
    record.save()
    assert totals(world.prov)[("0603", "all", "enterprise")] == 0


def test_writing_records_costs_the_same_statements_however_many(world):
    def write(n):
        with CaptureQueriesContext(connection) as queries:
            award_records_create(
                [
                    award_record(
                        world.b, award_type=world.gk, decision_number=f"{n}-{i}", decision_date=AWARDED_ON,
                        issuer=world.city, unit=world.city, unit_name=world.city.name,
                    )
                    for i in range(n)
                ]
            )  # fmt: skip
        return len(queries)

    assert write(1) == write(30)
