"""record()'s INSERT, compiled once and run without ``save`` (workflow.audit._insert): the row stored is the one
the ORM would have stored, column by column (JSON, time, address, nulls), its id set on the event, the event then
append-only like any saved one, and the chain of such rows verifies."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from workflow import audit
from workflow.models import AuditEvent
from workflow.models.audit import AuditTrailImmutable


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("can_bo_ghi")


def test_the_stored_row_is_the_events_every_column(user):
    first = audit.record(
        "test.insert",
        actor=user,
        target=user,
        scope="user:1",
        process=7,
        task=8,
        step="buoc",
        from_state="a",
        to_state="b",
        comment="Ý kiến có dấu",
        changes={"tên": ["cũ", "mới"], "số": 2.0},
        data={"ngày": datetime.date(2026, 12, 6), "danh sách": [1, None, True]},
        ip="2001:db8::1",
    )
    second = audit.record("test.insert.empty", actor_name="he-thong")
    assert first.pk and second.pk > first.pk and not first._state.adding
    for event in (first, second):
        stored = AuditEvent.objects.get(pk=event.pk)
        for field in AuditEvent._meta.concrete_fields:
            assert getattr(stored, field.attname) == getattr(event, field.attname), field.name
        assert audit.compute_hash(stored) == stored.hash
    assert AuditEvent.objects.get(pk=first.pk).data == {"ngày": "2026-12-06", "danh sách": [1, None, True]}
    assert (second.actor_id, second.ip, second.process_id, second.prev_hash) == (None, None, None, first.hash)
    with pytest.raises(AuditTrailImmutable):
        first.save()
    assert audit.verify()[0], audit.verify()


def test_the_database_still_refuses_a_second_row_with_the_same_hash(user):
    event = audit.record("test.insert", actor=user)
    columns = {field.attname: getattr(event, field.attname) for field in AuditEvent._meta.concrete_fields[1:]}
    with pytest.raises(IntegrityError), transaction.atomic():
        audit._insert(AuditEvent(**columns))
    assert AuditEvent.objects.filter(hash=event.hash).count() == 1


@pytest.mark.parametrize("count", [0, 1, 3])
def test_record_many_stores_each_event_in_list_order_chained(user, count):
    before = audit.record("test.before", actor=user)
    events = audit.record_many(
        [
            {
                "event_type": f"test.many.{index}",
                "actor": user if index % 2 else None,
                "actor_name": None if index % 2 else "he-thong",
                "target": user,
                "scope": f"user:{index}",
                "comment": "Kết luận" * index,
                "data": {"phiếu": index, "tỉ lệ": index / 4, "ngày": datetime.date(2026, 12, index + 1)},
                "ip": "10.0.0.1" if index == 1 else None,
            }
            for index in range(count)
        ]
    )
    assert [event.event_type for event in events] == [f"test.many.{index}" for index in range(count)]
    previous = before
    for event in events:
        stored = AuditEvent.objects.get(pk=event.pk)
        for field in AuditEvent._meta.concrete_fields:
            assert getattr(stored, field.attname) == getattr(event, field.attname), field.name
        assert stored.pk > previous.pk and stored.prev_hash == previous.hash
        assert audit.compute_hash(stored) == stored.hash and not event._state.adding
        previous = stored
    assert AuditEvent.objects.count() == count + 1 + AuditEvent.objects.filter(pk__lt=before.pk).count()
    assert audit.verify()[0], audit.verify()
