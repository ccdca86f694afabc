"""The audit trail: chaining, append-only in code and in the database, verification, logins, denials."""

import datetime
import json
import threading
import time
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponseForbidden
from django.urls import path, reverse

from nominations.models.awards import AwardRuleSet
from nominations.models.dossiers import Attachment
from workflow import audit
from workflow.models import AuditEvent
from workflow.models.audit import AuditTrailImmutable

from ..db_helpers import flush_around

PASSWORD = "mat-khau-dung-2024"
MIDDLEWARE = "workflow.middleware.AccessDeniedAuditMiddleware"
TABLE = "workflow_auditevent"
on_postgres = connection.vendor == "postgresql"


def raises_permission_denied(request):
    raise PermissionDenied("không có quyền")


def returns_forbidden(request):
    return HttpResponseForbidden("không có quyền")


urlpatterns = [
    path("denied/", raises_permission_denied),
    path("forbidden/", returns_forbidden),
]


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("can_bo", password=PASSWORD)


@pytest.fixture
def events(user):
    return [
        audit.record(audit.SUBMISSION_CREATED, actor=user, scope="submission:1", to_state="draft"),
        audit.record(audit.SUBMISSION_SENT_TO_HEAD, actor=user, scope="submission:1", comment="Kính trình"),
        audit.record(audit.SUBMISSION_SUBMITTED, scope="submission:1", from_state="draft", to_state="submitted"),
    ]


@pytest.fixture
def audit_middleware(settings):
    if MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]


def settle_deferred_checks():
    # PostgreSQL refuses ALTER/TRUNCATE of a table with pending deferred
    # foreign-key checks (the actor column); run them now.
    if on_postgres:
        raw("SET CONSTRAINTS ALL IMMEDIATE")


def disable_triggers():
    # Rolled back with the test's transaction, like everything else here.
    settle_deferred_checks()
    for sql in flush_around(connection.vendor)[0]:
        raw(sql)


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def raw_swap(a, b):
    """Exchange every column but id of two events, as a reordering would."""
    fields = [f for f in AuditEvent._meta.concrete_fields if f.column != "id"]
    values = {
        obj.pk: [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
        for obj in AuditEvent.objects.filter(pk__in=[a, b])
    }
    assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    update = f"UPDATE {TABLE} SET {assignments} WHERE id = %s"
    # hash is unique: park a's hash before b takes it.
    raw(f"UPDATE {TABLE} SET hash = %s WHERE id = %s", ["f" * 64, a])
    raw(update, [*values[a], b])
    raw(update, [*values[b], a])


def verify_command_error():
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit")
    assert excinfo.value.returncode == 1
    return str(excinfo.value)


# --- chaining ---------------------------------------------------------------


def test_record_chains_each_event_to_the_previous_one(events, user):
    first, second, third = events
    assert first.prev_hash == audit.GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert first.actor == user and first.actor_name == "can_bo"
    assert third.actor is None and third.actor_name == ""
    assert audit.verify() == (True, None, "OK: 3 sự kiện, chuỗi băm toàn vẹn")


def test_record_stores_target_process_task_and_step(user):
    event = audit.record(
        audit.NOMINATION_REVIEWED,
        actor=user,
        target=user,
        scope="submission:9",
        process=41,
        task=42,
        step="review",
        from_state="submitted",
        to_state="accepted",
        changes={"status": ["submitted", "accepted"]},
    )
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.target_type, event.target_id) == ("auth.user", str(user.pk))
    assert (event.process_id, event.task_id, event.step) == (41, 42, "review")
    assert event.changes == {"status": ["submitted", "accepted"]}


def test_record_costs_a_locked_read_and_an_insert(user, django_assert_num_queries):
    audit.record(audit.SUBMISSION_CREATED, actor=user)
    with django_assert_num_queries(2):
        audit.record(audit.SUBMISSION_UPDATED, actor=user)


def test_values_that_the_database_reshapes_still_verify(user):
    # jsonb turns 2.0 into 2 and 1e20 into an integer; inet respells IPv6.
    audit.record(
        audit.SUBMISSION_UPDATED,
        actor=user,
        data={"ratio": 2.0, "big": 1e20, "small": 1.5e-7, "amount": Decimal("1.50"), "on": datetime.date(2024, 9, 4)},
        changes={"title": ["Cũ", "Mới – đã sửa"]},
        ip="2001:DB8:0:0::1",
    )
    event = AuditEvent.objects.get()
    assert event.data["amount"] == "1.50" and event.data["on"] == "2024-09-04"
    assert audit.verify()[0] is True


def test_timeline_returns_one_scope_in_order(events):
    audit.record(audit.SUBMISSION_CREATED, scope="submission:2")
    assert list(audit.timeline("submission:1")) == events


# --- append-only ------------------------------------------------------------


def test_code_refuses_to_change_or_delete_events(events):
    event = events[1]
    event.comment = "sửa lén"
    with pytest.raises(AuditTrailImmutable):
        event.save()
    with pytest.raises(AuditTrailImmutable):
        event.delete()
    with pytest.raises(AuditTrailImmutable):
        AuditEvent.objects.update(comment="sửa lén")
    with pytest.raises(AuditTrailImmutable):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AuditTrailImmutable):
        AuditEvent.objects.bulk_create([AuditEvent(event_type="x", prev_hash="0", hash="1")])
    assert AuditEvent.objects.count() == 3
    assert AuditEvent.objects.get(pk=event.pk).comment == "Kính trình"
    assert audit.verify()[0] is True


def test_database_refuses_update_and_delete(events):
    statements = [f"UPDATE {TABLE} SET comment = 'sửa lén'", f"DELETE FROM {TABLE}"]
    if on_postgres:
        statements.append(f"TRUNCATE {TABLE}")
    settle_deferred_checks()
    for sql in statements:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            raw(sql)
    assert list(AuditEvent.objects.values_list("comment", flat=True)) == ["", "Kính trình", ""]


# --- verification -----------------------------------------------------------


def test_verify_audit_prints_ok(events, capsys):
    call_command("verify_audit")
    assert capsys.readouterr().out.strip() == "OK: 3 sự kiện, chuỗi băm toàn vẹn"


def test_verify_audit_reports_an_edited_event(events):
    disable_triggers()
    raw(f"UPDATE {TABLE} SET comment = %s WHERE id = %s", ["Kính trình (đã sửa)", events[1].pk])
    message = verify_command_error()
    assert f"event_id={events[1].pk})" in message and audit.ALTERED in message


def test_verify_audit_reports_the_event_after_a_deleted_one(events):
    disable_triggers()
    raw(f"DELETE FROM {TABLE} WHERE id = %s", [events[1].pk])
    message = verify_command_error()
    assert f"event_id={events[2].pk})" in message and audit.BROKEN_LINK in message


def test_verify_audit_reports_the_first_of_two_swapped_events(events):
    disable_triggers()
    raw_swap(events[1].pk, events[2].pk)
    assert AuditEvent.objects.get(pk=events[1].pk).event_type == audit.SUBMISSION_SUBMITTED
    assert f"event_id={events[1].pk})" in verify_command_error()


# --- logins and denials -----------------------------------------------------


def test_login_is_recorded(client, user):
    response = client.post(reverse("login"), {"username": "can_bo", "password": PASSWORD})
    assert response.status_code == 302
    event = AuditEvent.objects.get()
    assert (event.event_type, event.actor, event.ip) == (audit.AUTH_LOGIN, user, "127.0.0.1")


def test_failed_login_keeps_the_name_but_never_the_password(client, user):
    response = client.post(reverse("login"), {"username": "can_bo", "password": "sai-mat-khau"})
    assert response.status_code == 200
    event = AuditEvent.objects.get()
    assert (event.event_type, event.actor, event.actor_name) == (audit.AUTH_LOGIN_FAILED, None, "can_bo")
    assert event.data == {"username": "can_bo"}
    assert "sai-mat-khau" not in json.dumps([event.data, event.changes, event.comment], ensure_ascii=False)


def test_logout_is_recorded(client, user):
    client.force_login(user)
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(event_type=audit.AUTH_LOGOUT, actor=user).count() == 1


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/denied/", "/forbidden/"])
def test_permission_denial_is_recorded_once(client, user, audit_middleware, url):
    client.force_login(user)
    assert client.get(url).status_code == 403
    event = AuditEvent.objects.get(event_type=audit.ACCESS_DENIED)
    assert event.actor == user
    assert (event.data["path"], event.data["method"]) == (url, "GET")


@pytest.mark.urls(__name__)
def test_a_failing_denial_record_does_not_break_the_response(client, user, audit_middleware, monkeypatch):
    client.force_login(user)

    def broken(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(audit, "record", broken)
    assert client.get("/denied/").status_code == 403


# --- snapshot and diff ------------------------------------------------------


def test_snapshot_makes_dates_decimals_foreign_keys_and_files_json_safe():
    rules = AwardRuleSet(award_type_id=7, valid_from=datetime.date(2024, 1, 1), quorum=Decimal("0.6667"))
    assert audit.snapshot(rules, ["award_type", "valid_from", "valid_to", "quorum"]) == {
        "award_type": 7,
        "valid_from": "2024-01-01",
        "valid_to": None,
        "quorum": "0.6667",
    }
    attachment = Attachment(submission_id=3, file="dossiers/ab/cdef", size=10)
    assert audit.snapshot(attachment, ["submission", "file", "size"]) == {
        "submission": 3,
        "file": "dossiers/ab/cdef",
        "size": 10,
    }


def test_diff_lists_only_changed_fields():
    before = {"quorum": "0.6667", "valid_from": "2024-01-01", "award_type": 7}
    after = {"quorum": "0.7", "valid_from": "2024-01-01", "award_type": 8, "valid_to": "2025-01-01"}
    assert audit.diff(before, after) == {
        "quorum": ["0.6667", "0.7"],
        "award_type": [7, 8],
        "valid_to": [None, "2025-01-01"],
    }


# --- committed transactions -------------------------------------------------


def test_record_outside_a_transaction_commits_its_own(committed_db):
    event = audit.record(audit.SUBMISSION_CREATED, scope="submission:1")
    assert AuditEvent.objects.get().hash == event.hash


@pytest.mark.skipif(not on_postgres, reason="needs two concurrent PostgreSQL connections")
def test_concurrent_appends_do_not_fork_the_chain(committed_db):
    first_inside, results = threading.Event(), {}

    def append(name, wait_for=None):
        try:
            if wait_for:
                wait_for.wait(10)
            with transaction.atomic():
                results[name] = audit.record(audit.SUBMISSION_UPDATED, comment=name)
                if name == "first":
                    first_inside.set()
                    # Hold the chain open while the second writer tries to append.
                    time.sleep(0.5)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=append, args=("first",)),
        threading.Thread(target=append, args=("second", first_inside)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert results["second"].prev_hash == results["first"].hash
    assert audit.verify()[0] is True
