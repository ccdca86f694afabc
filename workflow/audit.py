"""The audit trail's only writer: append hash-chained events, read timelines, verify the chain.

Each event stores ``hash = HMAC-SHA256(key, prev_hash + canonical JSON of its
columns)`` under a key that the database does not hold (``THIDUA_AUDIT_KEY``,
named per event by ``key_id`` so that keys can be rotated). Walking the rows by
id detects an edited row (its hash no longer recomputes), a deleted or
reordered row (the next ``prev_hash`` no longer matches), and a row written
without the key (forged). Deleting the newest rows leaves a valid shorter
chain: the signed checkpoints of ``workflow.audit_anchors``, kept outside the
database, catch that.

Rows written before keying (``key_id`` empty) hold the old unkeyed
``sha256(prev_hash + JSON)``. They are accepted only as the trail's first rows,
followed at once by the keyed "audit.keyed" event that migration 0007 wrote
over their head: editing them afterwards breaks that event's link, and a
keyless row anywhere else is a forgery.
"""

import datetime
import decimal
import ipaddress
import math
import uuid

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.sql import InsertQuery
from django.utils import timezone
from django.utils.functional import Promise

from workflow import prepared
from workflow.models import AuditEvent

# The keys and hashes (audit_hashing) are re-exported: verify_audit and the tests name them as audit.<name>.
from .audit_hashing import (  # noqa: F401
    HASHED_COLUMNS,
    KEYED_COLUMNS,
    audit_keys,
    compute_hash,
    current_key,
    legacy_hash,
)

# Event types live in their own module (events): the callers name them through the writer, ``audit.X``.
from .events import *  # noqa: F403

GENESIS_HASH = "0" * 64
# Arbitrary constant shared by every writer: serialises appends on PostgreSQL.
CHAIN_LOCK_KEY = 0x7468696475610001
BROKEN_LINK = (
    "prev_hash không khớp băm của sự kiện liền trước: có sự kiện bị xoá hoặc đổi thứ tự "
    "(prev_hash does not match the previous event: an event was deleted or reordered)"
)
ALTERED = (
    "băm không khớp nội dung theo khoá bí mật: sự kiện đã bị sửa hoặc bị giả mạo "
    "(hash does not match the content under the secret key: the event was altered or forged)"
)
UNKNOWN_KEY = (
    "sự kiện mang mã khoá không có trong cấu hình THIDUA_AUDIT_KEY_ID / THIDUA_AUDIT_OLD_KEYS "
    "(the event names a key id that is not configured)"
)
UNKEYED = (
    "sự kiện không có khoá nằm ngoài phần nhật ký cũ đã được niêm phong: sự kiện giả mạo "
    "(an unkeyed event outside the sealed legacy prefix: a forgery, or the seal was deleted)"
)


def record(event_type: str, **fields) -> AuditEvent:
    """Append one event in the caller's transaction, chained to the previous one.

    ``fields``: who, what, where and the before/after data, as named by ``_unsaved_event``.
    """
    event = _unsaved_event(event_type, **fields)
    # Before any statement: without a key nothing is written.
    key_id, key = current_key()
    # No savepoint: a failed append must fail the caller's whole transaction,
    # and it keeps record() at two statements.
    with transaction.atomic(savepoint=False):
        last = _lock_chain_and_read_head()
        # Stamped under the lock so that time never runs backwards along ids.
        event.created_at = timezone.now()
        event.prev_hash = last or GENESIS_HASH
        event.key_id = key_id
        event.hash = compute_hash(event, key=key)
        _insert(event)
    return event


def record_transition(target, event_type: str, **transition_fields) -> AuditEvent:
    """Record what a service did to ``target``, in the trail ``target.audit_scope`` names: the services' one call.

    ``transition_fields``: those of ``transition`` (actor, trail, before, after, comment, data, changes, scope,
    actor_name).
    """
    return record(**transition(target, event_type, **transition_fields))


def transition(
    target,
    event_type: str,
    *,
    actor=None,
    trail=None,
    before="",
    after="",
    comment="",
    data=None,
    changes=None,
    scope=None,
    actor_name=None,
) -> dict:
    """``record``'s arguments for a transition of ``target`` (``record_many`` takes a list of them).

    ``before``/``after``: the states it went from and to; ``trail``: the flow step's context (process, task,
    step; None outside a flow). ``scope``: the trail, when it is not the target's own but the one of whoever
    acted on it (a person, unit or role is set up in its committee's administration trail, which depends on
    the administrator, not on the row); ``actor_name``: who acted when no user did (the system).
    """
    return {
        "event_type": event_type,
        "actor": actor,
        "actor_name": actor_name,
        "target": target,
        "scope": target.audit_scope if scope is None else scope,
        "from_state": before,
        "to_state": after,
        "comment": comment,
        "data": data,
        "changes": changes,
        **(trail or {}),
    }


def snapshot(instance, fields) -> dict:
    """JSON-safe {field: value} of a model instance (FKs as pk, dates ISO, Decimals str, files name)."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            value = sorted(obj.pk for obj in getattr(instance, name).all())
        else:
            value = field.value_from_object(instance)
        values[name] = _json_safe(value)
    return values


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields that changed."""
    keys = list(before) + [key for key in after if key not in before]
    return {key: [before.get(key), after.get(key)] for key in keys if before.get(key) != after.get(key)}


def timeline(scope: str):
    """QuerySet of events of one scope in order, actor select_related."""
    return AuditEvent.objects.filter(scope=scope).select_related("actor").order_by("id")


def timelines(scopes):
    """QuerySet of the events of several scopes, in order (a list page's dossiers read at once)."""
    return AuditEvent.objects.filter(scope__in=list(scopes)).order_by("id")


def nomination_timeline(nomination):
    """Events of one nomination and of its dossier as a whole, in order."""
    from django.db.models import Q

    return timeline(f"submission:{nomination.submission_id}").filter(
        Q(target_type="nominations.nomination", target_id=str(nomination.pk)) | Q(target_type="nominations.submission")
    )


def last_events(event_type: str, model, pks) -> dict:
    """{pk: the latest ``event_type`` event about that ``model`` row}, for many rows in one query."""
    events = AuditEvent.objects.filter(
        event_type=event_type, target_type=model._meta.label_lower, target_id__in=[str(pk) for pk in pks]
    ).select_related("actor")
    return {int(event.target_id): event for event in events.order_by("id")}


def verify() -> tuple[bool, int | None, str]:
    """Walk the whole chain with the keys and check it against the external anchors.

    (True, None, "OK …") or (False, first_bad_id, Vietnamese+English reason).
    """
    from workflow.audit_verify import verify_trail  # audit_verify imports this module

    return verify_trail()


def _actor_name(user, given):
    if given is None:
        given = user.get_username() if user else ""
    # The column holds a username; a failed login may try anything longer.
    return str(given)[:150]


def _lock_chain_and_read_head() -> str | None:
    """Serialise appends until commit and return the hash of the last event (None for an empty trail)."""
    # PostgreSQL's advisory lock lasts until commit, so the next writer reads this
    # event as the last one. Lock and read are one round trip through a function
    # (migration 0005): a single SELECT would read with a snapshot older than the lock.
    if connection.vendor == "postgresql":
        return prepared.rows("SELECT workflow_audit_chain_head(%s)", [CHAIN_LOCK_KEY])[0][0]
    # SQLite needs no lock: transaction_mode="IMMEDIATE" already serialises writers.
    return AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()


# The event's INSERT, compiled once per backend by the ORM (as ``save`` would compile it for a new row, every
# column but the id), then only run: ``save``'s machinery (the signals, the field checks, compiling the statement
# again) was half the CPU of record() (issue 18). No receiver listens to AuditEvent's signals (record_many never
# sent them either), and the values are prepared for the database by each field as the ORM prepares them.
_INSERTS: dict[str, tuple[str, list]] = {}


def _insert(event: AuditEvent) -> None:
    """INSERT ``event`` (a new row) and set its id, as ``event.save(force_insert=True)`` would."""
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: each field reads it, through the proxy 30 times
    compiled = _INSERTS.get(db.vendor)
    if compiled is None:
        compiled = _INSERTS[db.vendor] = _compile_insert([event])
    sql, fields = compiled
    params = [field.get_db_prep_save(getattr(event, field.attname), db) for field in fields]
    if db.features.can_return_columns_from_insert:
        # Prepared on PostgreSQL (workflow.prepared): the same INSERT on every step.
        event.pk = prepared.rows(sql, params)[0][0]
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            event.pk = connection.ops.last_insert_id(cursor, AuditEvent._meta.db_table, AuditEvent._meta.pk.column)
    event._state.adding, event._state.db = False, connection.alias


def _compile_insert(events: list[AuditEvent]) -> tuple[str, list]:
    """The ORM's INSERT of ``events`` returning their ids: one event, or two compiled as any number (UNNEST)."""
    fields = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]
    query = InsertQuery(AuditEvent)
    query.insert_values(fields, events)
    compiler = query.get_compiler(connection=connection)
    if connection.features.can_return_columns_from_insert:
        compiler.returning_fields = [AuditEvent._meta.pk]
    [(sql, params)] = compiler.as_sql()
    unnest = len(events) > 1
    if sql.count("%s") != len(fields) or compiler.returning_params or unnest != ("UNNEST" in sql):
        # A field with its own placeholder, a backend returning ids through parameters, rows not as arrays: not
        # what this writer's parameters are (one value, or one array, per column).
        raise RuntimeError(f"the audit INSERT is not one parameter per column: {sql}")
    return sql, fields


def _clean_ip(ip):
    try:
        return str(ipaddress.ip_address(ip)) if ip else None
    except ValueError:
        return None


def _json_safe(value):
    if value is None or isinstance(value, bool):
        return value
    # str()/int() turn choices members and SafeString into plain values.
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal | uuid.UUID | Promise):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, models.Model):
        return _json_safe(value.pk)
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_safe(item) for item in value]
    return str(value)


def record_many(events: list[dict]) -> list[AuditEvent]:
    """Append several events in the caller's transaction, chained in list order, as record() would one by one.

    Each dict holds record()'s arguments, ``event_type`` included. The chain is the same: the advisory lock on
    PostgreSQL, the previous hash read under it, hashes computed along the list. The batch shares one timestamp
    and is written by one multi-row INSERT instead of three statements per event.
    """
    built = [_unsaved_event(**kwargs) for kwargs in events]
    if not built:
        return built
    key_id, key = current_key()
    with transaction.atomic(savepoint=False):
        prev = _lock_chain_and_read_head() or GENESIS_HASH
        now = timezone.now()
        for event in built:
            event.created_at, event.prev_hash, event.key_id = now, prev, key_id
            event.hash = prev = compute_hash(event, key=key)
        _insert_many(built)
    return built


def _insert_many(built: list[AuditEvent]) -> None:
    """INSERT the events (new rows) in one statement and set their ids in list order, as ``bulk_create`` would."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql" or len(built) < 2:
        # The manager refuses bulk writes so that nothing outside this module can skip the chain. Rows get
        # their ids in list order (Django maps the returned ids back to the objects in that order too).
        models.QuerySet(AuditEvent).bulk_create(built)
        return
    # PostgreSQL: the ORM's INSERT … SELECT FROM UNNEST(one array per column) has the same text for any number of
    # rows, so it is compiled once and run with the columns' arrays (bulk_create's machinery was most of the
    # Python of a council's closing events).
    compiled = _INSERTS.get("postgresql-many")
    if compiled is None:
        compiled = _INSERTS["postgresql-many"] = _compile_insert(built[:2])
    sql, fields = compiled
    params = [[field.get_db_prep_save(getattr(event, field.attname), db) for event in built] for field in fields]
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        ids = cursor.fetchall()
    if len(ids) != len(built):
        raise RuntimeError(f"{len(built)} audit events inserted, {len(ids)} ids returned")
    for event, (pk,) in zip(built, ids, strict=True):
        event.pk = pk
        event._state.adding, event._state.db = False, db.alias


def _unsaved_event(
    event_type: str,
    *,
    actor=None,
    target=None,
    scope: str = "",
    process=None,
    task=None,
    step: str = "",
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    changes: dict | None = None,
    data: dict | None = None,
    ip: str | None = None,
    actor_name: str | None = None,
) -> AuditEvent:
    """An event with every column but the chain's (time, previous hash, hash), for record and record_many."""
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEvent(
        actor_id=user.pk if user else None,
        actor_name=_actor_name(user, actor_name),
        event_type=str(event_type),
        scope=str(scope),
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        process_id=getattr(process, "pk", process),
        task_id=getattr(task, "pk", task),
        step=str(step),
        from_state=str(from_state),
        to_state=str(to_state),
        comment=str(comment),
        changes=_json_safe(changes or {}),
        data=_json_safe(data or {}),
        ip=_clean_ip(ip),
    )
