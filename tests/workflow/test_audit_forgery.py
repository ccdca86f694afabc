"""A database writer without the audit key tries to rewrite the trail; verify_audit must catch every attempt.

The attacker writes to the table directly, as its owner can (triggers
disabled), and knows the code (workflow.audit) but not THIDUA_AUDIT_KEY nor
the anchor file, which live outside the database.
"""

import json
import secrets

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from workflow import audit, audit_anchors, tasks
from workflow.models import AuditEvent

from .test_audit import TABLE, disable_triggers, raw, verify_command_error

# What an attacker can use in place of the key: the development default from the
# public code, or any guess.
GUESSES = ["thidua-audit-development-only", "doan-mo-khoa"]


@pytest.fixture(autouse=True)
def secret_keys(settings):
    """Production-like keys that the attacker does not know."""
    settings.THIDUA_AUDIT_KEY = secrets.token_urlsafe(32)
    settings.THIDUA_AUDIT_KEY_ID = "1"
    settings.THIDUA_AUDIT_OLD_KEYS = {}
    settings.THIDUA_AUDIT_ANCHOR_KEY = secrets.token_urlsafe(32)


@pytest.fixture
def anchor_file(settings, tmp_path):
    settings.THIDUA_AUDIT_ANCHOR_PATH = str(tmp_path / "other-volume" / "anchors.log")
    return tmp_path / "other-volume" / "anchors.log"


@pytest.fixture
def trail(db):
    """Five events of a dossier up to the chairman's decision."""
    events = [
        audit.record(audit.SUBMISSION_CREATED, actor_name="canbo_dongkinh", scope="submission:1", to_state="draft"),
        audit.record(audit.SUBMISSION_SUBMITTED, actor_name="truong_dongkinh", scope="submission:1"),
        audit.record(audit.NOMINATION_REVIEWED, actor_name="thamdinh", scope="submission:1", comment="Đạt"),
        audit.record(audit.COUNCIL_CONCLUDED, actor_name="thuky_hoidong", scope="council_session:1"),
        audit.record(audit.DECISION_SIGNED, actor_name="chutich_ubnd", scope="decision:1", data={"number": "12/QĐ"}),
    ]
    disable_triggers()
    return [event.pk for event in events]


def fail_reason(expected_id):
    ok, bad_id, reason = audit.verify()
    assert not ok
    message = verify_command_error()
    assert bad_id == expected_id and f"event_id={expected_id})" in message
    return reason


def unkeyed(event):
    event.key_id = ""
    return audit.legacy_hash(event)


def keyed_with(guess):
    def hasher(event):
        event.key_id = settings.THIDUA_AUDIT_KEY_ID
        return audit.compute_hash(event, key=guess.encode())

    return hasher


def rewrite(event_id, hasher, **changes):
    """Change one event's columns and re-chain it and every later event with ``hasher``."""
    events = list(AuditEvent.objects.filter(id__gte=event_id).order_by("id"))
    for name, value in changes.items():
        setattr(events[0], name, value)
    before = AuditEvent.objects.filter(id__lt=event_id).order_by("-id").values_list("hash", flat=True).first()
    prev = before or audit.GENESIS_HASH
    for event in events:
        event.prev_hash = prev
        event.hash = prev = hasher(event)
        columns = ["prev_hash", "hash", "key_id", *changes] if event is events[0] else ["prev_hash", "hash", "key_id"]
        assignments = ", ".join(f"{name} = %s" for name in columns)
        values = [getattr(event, name) for name in columns]
        raw(f"UPDATE {TABLE} SET {assignments} WHERE id = %s", [*values, event.pk])


def forge_append(hasher):
    """Insert a "decision.signed by chutich_ubnd" event chained to the last one."""
    last = AuditEvent.objects.order_by("-id").first()
    fake = AuditEvent(
        created_at=last.created_at,
        actor_name="chutich_ubnd",
        event_type=audit.DECISION_SIGNED,
        scope="decision:2",
        data={"number": "13/QĐ"},
        prev_hash=last.hash,
    )
    fake.hash = hasher(fake)
    raw(
        f"INSERT INTO {TABLE} (created_at, actor_name, event_type, scope, target_type, target_id, step, from_state,"
        " to_state, comment, changes, data, prev_hash, hash, key_id) VALUES (%s, %s, %s, %s, '', '', '', '', '', '',"
        " '{}', %s, %s, %s, %s)",
        [fake.created_at, fake.actor_name, fake.event_type, fake.scope, json.dumps(fake.data)]
        + [fake.prev_hash, fake.hash, fake.key_id],
    )
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()


# --- edits ---------------------------------------------------------------------


def test_the_untouched_trail_verifies(trail):
    assert audit.verify() == (True, None, "OK: 5 sự kiện, chuỗi băm toàn vẹn")


def test_an_edit_rechained_with_the_old_unkeyed_formula_is_reported(trail):
    rewrite(trail[2], unkeyed, comment="Không đạt")
    assert fail_reason(trail[2]) == audit.UNKEYED


def test_the_whole_trail_rewritten_with_the_old_unkeyed_formula_is_reported(trail):
    rewrite(trail[0], unkeyed, actor_name="ke_gia_mao")
    assert fail_reason(trail[-1]) == audit.UNKEYED


@pytest.mark.parametrize("guess", GUESSES)
def test_an_edit_rechained_with_compute_hash_but_without_the_key_is_reported(trail, guess):
    rewrite(trail[2], keyed_with(guess), comment="Không đạt")
    assert fail_reason(trail[2]) == audit.ALTERED


# --- deletions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hasher", "expected"),
    [(unkeyed, audit.UNKEYED), (keyed_with(GUESSES[0]), audit.ALTERED)],
    ids=["unkeyed", "compute_hash"],
)
def test_a_middle_deletion_rechained_is_reported(trail, hasher, expected):
    raw(f"DELETE FROM {TABLE} WHERE id = %s", [trail[2]])
    rewrite(trail[3], hasher)
    assert fail_reason(trail[3]) == expected


def test_deleting_the_newest_events_after_an_anchor_is_reported(trail, anchor_file):
    audit_anchors.anchor()
    raw(f"DELETE FROM {TABLE} WHERE id >= %s", [trail[3]])
    # What is left is a valid, shorter chain: only the anchor knows better.
    assert fail_reason(trail[-1]) == audit_anchors.TRUNCATED


def test_deleting_the_newest_events_is_reported_even_after_new_genuine_events(trail, anchor_file):
    audit_anchors.anchor()
    raw(f"DELETE FROM {TABLE} WHERE id >= %s", [trail[3]])
    audit.record(audit.SUBMISSION_UPDATED, actor_name="canbo_dongkinh", scope="submission:1")
    assert fail_reason(trail[-1]) == audit_anchors.TRUNCATED


def test_rewriting_history_behind_an_anchor_with_the_key_is_reported(trail, anchor_file, settings):
    # Even a writer who stole the audit key cannot go behind an anchor.
    audit_anchors.anchor()
    rewrite(trail[1], keyed_with(settings.THIDUA_AUDIT_KEY), comment="sửa có khoá")
    assert audit.verify()[:2] == (False, trail[-1])
    assert audit.verify()[2] == audit_anchors.REWRITTEN


# --- forged appends ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("hasher", "expected"),
    [
        (unkeyed, audit.UNKEYED),
        (keyed_with(GUESSES[0]), audit.ALTERED),
        (keyed_with(GUESSES[1]), audit.ALTERED),
    ],
    ids=["unkeyed", "dev-key", "guess"],
)
def test_a_forged_signed_decision_appended_is_reported(trail, hasher, expected):
    forged_id = forge_append(hasher)
    assert fail_reason(forged_id) == expected


def test_a_forged_event_under_an_unknown_key_id_is_reported(trail):
    def other_key(event):
        event.key_id = "9"
        return audit.compute_hash(event, key=b"9")

    forged_id = forge_append(other_key)
    assert fail_reason(forged_id) == audit.UNKNOWN_KEY


# --- anchors -----------------------------------------------------------------------


def test_anchor_command_and_task_append_signed_lines(trail, anchor_file, capsys):
    call_command("anchor_audit")
    assert f"#{trail[-1]} (5 sự kiện)" in capsys.readouterr().out
    line = tasks.anchor_audit_chain()
    assert (line["last_id"], line["count"]) == (trail[-1], 5)
    lines = [json.loads(text) for text in anchor_file.read_text().splitlines()]
    assert [(a["last_id"], a["count"], a["last_hash"]) for a in lines] == [(trail[-1], 5, line["last_hash"])] * 2
    assert audit.verify()[2] == "OK: 5 sự kiện, chuỗi băm toàn vẹn, khớp 2 mốc neo ngoài (2 external anchors match)"


def test_the_beat_schedule_anchors_the_chain(settings):
    tasks_scheduled = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "workflow.tasks.anchor_audit_chain" in tasks_scheduled


def test_an_altered_anchor_line_is_reported(trail, anchor_file):
    audit_anchors.anchor()
    raw(f"DELETE FROM {TABLE} WHERE id >= %s", [trail[3]])
    line = json.loads(anchor_file.read_text())
    # Make the anchor agree with the truncated table, without the anchor key.
    line.update(last_id=trail[2], count=3, last_hash=AuditEvent.objects.get(pk=trail[2]).hash)
    anchor_file.write_text(json.dumps(line) + "\n")
    assert fail_reason(trail[2]) == audit_anchors.FORGED


def test_an_empty_trail_writes_no_anchor(db, anchor_file):
    assert audit_anchors.anchor() is None
    assert not anchor_file.exists()
    assert audit.verify() == (
        True,
        None,
        "OK: 0 sự kiện, chuỗi băm toàn vẹn, chưa có mốc neo ngoài nào",
    )


# --- keys ----------------------------------------------------------------------------


def test_a_rotated_key_still_verifies_older_events(trail, settings):
    old_key = settings.THIDUA_AUDIT_KEY
    settings.THIDUA_AUDIT_KEY, settings.THIDUA_AUDIT_KEY_ID = secrets.token_urlsafe(32), "2"
    settings.THIDUA_AUDIT_OLD_KEYS = {"1": old_key}
    newer = audit.record(audit.SUBMISSION_UPDATED, scope="submission:1")
    assert newer.key_id == "2"
    assert audit.verify()[0] is True
    settings.THIDUA_AUDIT_OLD_KEYS = {}
    assert audit.verify() == (False, trail[0], audit.UNKNOWN_KEY)


def test_recording_without_a_key_fails_instead_of_writing_an_unkeyed_event(db, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.THIDUA_AUDIT_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        audit.record(audit.SUBMISSION_CREATED)
    assert not AuditEvent.objects.exists()


def test_the_database_holds_no_key(trail, settings):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {TABLE}")
        dump = json.dumps(cursor.fetchall(), default=str)
    assert settings.THIDUA_AUDIT_KEY not in dump and settings.THIDUA_AUDIT_ANCHOR_KEY not in dump
