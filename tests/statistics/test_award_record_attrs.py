"""Award records carry their recipient's attributes, copied by the one writer (``services.award_records``) when
the decision is signed: the TT 02 figures read them from the record, not from the candidate as it is today. A
record written without them is refused; the migration fills the records written before the copy existed."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from nominations.models import AwardRecord
from nominations.services.award_records import COPIED
from nominations.statistics import cell_records, tt02_report

from .world import build_statistics_world

fill = importlib.import_module("nominations.migrations.0017_award_record_attrs").fill


@pytest.fixture
def world(db):
    return build_statistics_world()


def women(world):
    return {row.key: row.cells for row in tt02_report(world.prov, 2024).awards["0603"]["by_form"]}["all"]["women"]


def test_a_later_edit_of_the_candidate_does_not_change_what_was_awarded(world):
    # Record 3: A (a woman of the Tày, a province-level leader) got a Bằng khen in 2024.
    assert women(world) == 1
    world.a.gender, world.a.ethnicity, world.a.leader_level = "male", "Kinh", ""
    world.a.save()
    assert women(world) == 1
    assert list(cell_records(world.prov, 2024, form="0603", row="all", column="women")) == [world.records[3]]
    record = AwardRecord.objects.get(pk=world.records[3].pk)
    assert (record.recipient_kind, record.gender, record.ethnicity, record.leader_level) == (
        "individual",
        "female",
        "Tày",
        "province",
    )


def test_a_record_written_without_its_recipients_attributes_is_refused(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardRecord.objects.create(
            candidate=world.a,
            award_type=world.bk,
            decision_number="99/QĐ",
            decision_date=world.records[3].decision_date,
            issuer=world.prov,
            unit=world.city,
            unit_name=world.city.name,
        )


def test_the_migration_copies_each_candidates_attributes_onto_its_records(world):
    AwardRecord.objects.filter(candidate=world.d).update(
        recipient_kind="collective", gender="", ethnicity="", leader_level="", direct_worker=False
    )
    fill(apps, None)
    for record in AwardRecord.objects.select_related("candidate"):
        assert record.recipient_kind == record.candidate.kind
        assert all(getattr(record, name) == getattr(record.candidate, name) for name in COPIED), record
