"""The audit chain's keys and hashes: which key signs new events, and the HMAC of one event over its columns.

Used by the writer (``workflow.audit``, which re-exports these names) and by ``verify_audit``'s walk.
"""

import datetime
import decimal
import hashlib
import hmac
import ipaddress
import json

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from workflow.models import AuditEvent

# Frozen: adding a column here would change the hash of every existing row.
HASHED_COLUMNS = (
    "created_at", "actor_id", "actor_name", "event_type", "scope", "target_type", "target_id",
    "process_id", "task_id", "step", "from_state", "to_state", "comment", "changes", "data", "ip",
    "prev_hash",
)  # fmt: skip


KEYED_COLUMNS = (*HASHED_COLUMNS, "key_id")


def audit_keys() -> dict[str, bytes]:
    """{key id: key} of every configured key: the current one and the retired ones still needed to verify."""
    current = settings.THIDUA_AUDIT_KEY
    if not current:
        raise ImproperlyConfigured(
            "THIDUA_AUDIT_KEY chưa được đặt: không thể ghi hay kiểm tra nhật ký (the audit key is not set)"
        )
    keys = {str(key_id): str(key).encode() for key_id, key in settings.THIDUA_AUDIT_OLD_KEYS.items()}
    keys[settings.THIDUA_AUDIT_KEY_ID] = current.encode()
    return keys


def current_key() -> tuple[str, bytes]:
    """(key id, key) that new events are keyed with."""
    return settings.THIDUA_AUDIT_KEY_ID, audit_keys()[settings.THIDUA_AUDIT_KEY_ID]


def compute_hash(event: AuditEvent, *, key: bytes | None = None) -> str:
    """HMAC-SHA256, under the key that ``event.key_id`` names, of the previous hash and the event's columns."""
    if key is None:
        keys = audit_keys()
        if event.key_id not in keys:
            raise ImproperlyConfigured(f"THIDUA_AUDIT key id {event.key_id!r} is not configured")
        key = keys[event.key_id]
    message = (event.prev_hash + _canonical(event, KEYED_COLUMNS)).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def legacy_hash(event: AuditEvent) -> str:
    """The unkeyed hash of the rows written before migration 0007: sha256 of the previous hash and the columns."""
    return hashlib.sha256((event.prev_hash + _canonical(event, HASHED_COLUMNS)).encode()).hexdigest()


def _canonical(event, columns) -> str:
    payload = {name: getattr(event, name) for name in columns}
    payload["created_at"] = event.created_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    payload["ip"] = _ip_key(event.ip)
    return json.dumps(_normalise_numbers(payload), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _ip_key(ip):
    # Packed bytes, not text: IPv6 spelling differs between Python versions.
    try:
        return ipaddress.ip_address(ip).packed.hex() if ip else None
    except ValueError:
        return str(ip)


def _normalise_numbers(value):
    # PostgreSQL's jsonb stores numbers as numeric, so 2.0 or 1e20 may come
    # back as an int: hash integral floats as ints on both sides.
    if isinstance(value, float) and value.is_integer():
        return int(decimal.Decimal(repr(value)))
    if isinstance(value, dict):
        return {key: _normalise_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalise_numbers(item) for item in value]
    return value
