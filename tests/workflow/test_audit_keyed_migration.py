"""Migration 0007 seals the unkeyed rows written before it; they can no longer be changed, nor imitated."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from workflow import audit
from workflow.models import AuditEvent

from .test_audit import TABLE, disable_triggers, raw

BEFORE, AFTER = ("workflow", "0006_merge"), ("workflow", "0007_audit_keyed")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()


def legacy_rows(count):
    """Rows as the unkeyed code wrote them, through the schema of 0006."""
    from django.utils import timezone

    OldEvent = MigrationExecutor(connection).loader.project_state([BEFORE]).apps.get_model("workflow", "AuditEvent")
    prev = audit.GENESIS_HASH
    for number in range(count):
        event = OldEvent(
            created_at=timezone.now(), event_type=audit.SUBMISSION_UPDATED, comment=f"cũ {number}", prev_hash=prev
        )
        event.hash = prev = audit.legacy_hash(event)
        event.save(force_insert=True)


@pytest.fixture
def sealed(transactional_db):
    migrate(BEFORE)
    try:
        legacy_rows(3)
        migrate(AFTER)
        yield list(AuditEvent.objects.order_by("id"))
    finally:
        migrate(AFTER)


def test_the_migration_appends_a_keyed_seal_over_the_unkeyed_rows(sealed):
    *legacy, seal = sealed
    assert [event.key_id for event in legacy] == ["", "", ""]
    assert (seal.event_type, seal.data, seal.prev_hash) == (audit.AUDIT_KEYED, {"legacy_events": 3}, legacy[-1].hash)
    assert seal.key_id == "1" and seal.hash == audit.compute_hash(seal)
    audit.record(audit.SUBMISSION_CREATED)
    assert audit.verify() == (True, None, "OK: 5 sự kiện, chuỗi băm toàn vẹn")


def test_editing_a_sealed_row_and_rechaining_the_old_way_is_reported(sealed):
    *legacy, seal = sealed
    disable_triggers()
    prev = audit.GENESIS_HASH
    for event in legacy:
        event.comment, event.prev_hash = "sửa lén", prev
        event.hash = prev = audit.legacy_hash(event)
        raw(
            f"UPDATE {TABLE} SET comment = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [event.comment, event.prev_hash, event.hash, event.pk],
        )
    assert audit.verify() == (False, seal.pk, audit.BROKEN_LINK)


def test_deleting_the_seal_and_what_follows_is_reported(sealed):
    disable_triggers()
    raw(f"DELETE FROM {TABLE} WHERE id = %s", [sealed[-1].pk])
    assert audit.verify() == (False, sealed[-2].pk, audit.UNKEYED)
