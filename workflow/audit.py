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
import hashlib
import hmac
import ipaddress
import json
import math
import uuid

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from workflow.models import AuditEvent

SUBMISSION_CREATED = "submission.created"
SUBMISSION_UPDATED = "submission.updated"
SUBMISSION_SENT_TO_HEAD = "submission.sent_to_head"
SUBMISSION_RETURNED = "submission.returned"
SUBMISSION_SUBMITTED = "submission.submitted"
SUBMISSION_WARD_ENDORSED = "submission.ward_endorsed"
SUBMISSION_COMPLETED = "submission.completed"
SUBMISSION_DECIDED = "submission.decided"
SUBMISSION_NOTIFIED = "submission.notified"
NOMINATION_ADDED = "nomination.added"
NOMINATION_UPDATED = "nomination.updated"
NOMINATION_REMOVED = "nomination.removed"
NOMINATION_REVIEWED = "nomination.reviewed"
NOMINATION_COUNCIL_RESULT = "nomination.council_result"
NOMINATION_STRUCK = "nomination.struck"
NOMINATION_FINALISED = "nomination.finalised"
ATTACHMENT_ADDED = "attachment.added"
ATTACHMENT_REMOVED = "attachment.removed"
TASK_ASSIGNED = "task.assigned"
TASK_UNASSIGNED = "task.unassigned"
AUTH_LOGIN = "auth.login"
AUTH_LOGIN_FAILED = "auth.login_failed"
AUTH_LOGOUT = "auth.logout"
AUTH_LOCKED_OUT = "auth.locked_out"
ACCESS_DENIED = "access.denied"
COUNCIL_SESSION_OPENED = "council.session_opened"
COUNCIL_BALLOT_CAST = "council.ballot_cast"
COUNCIL_RECUSAL = "council.recusal"
COUNCIL_VOTING_CLOSED = "council.voting_closed"
COUNCIL_SECOND_ROUND = "council.second_round"
COUNCIL_CONCLUDED = "council.concluded"
DECISION_DRAFTED = "decision.drafted"
DECISION_RETURNED = "decision.returned"
DECISION_REDRAFTED = "decision.redrafted"
DECISION_SIGNED = "decision.signed"
DECISION_REVOKED = "decision.revoked"
DECISION_DOCUMENTS = "decision.documents"
DELEGATION_GRANTED = "delegation.granted"
# The boundary between unkeyed rows and keyed ones (migration 0007).
AUDIT_KEYED = "audit.keyed"
DELEGATION_ENDED = "delegation.ended"
CAMPAIGN_CREATED = "campaign.created"
CAMPAIGN_UPDATED = "campaign.updated"
CAMPAIGN_LAUNCHED = "campaign.launched"
CAMPAIGN_CLOSED = "campaign.closed"
CAMPAIGN_SUMMARISED = "campaign.summarised"
PERSON_CREATED = "person.created"
PERSON_INVITED = "person.invited"
MEMBERSHIP_ADDED = "membership.added"
MEMBERSHIP_ENDED = "membership.ended"
ORGUNIT_CREATED = "orgunit.created"
ORGUNIT_RENAMED = "orgunit.renamed"
ORGUNIT_DISSOLVED = "orgunit.dissolved"

LABELS = {
    SUBMISSION_CREATED: _("Lập tờ trình"),
    SUBMISSION_UPDATED: _("Cập nhật tờ trình"),
    SUBMISSION_SENT_TO_HEAD: _("Trình thủ trưởng đơn vị"),
    SUBMISSION_RETURNED: _("Trả lại hồ sơ"),
    SUBMISSION_SUBMITTED: _("Trình hồ sơ"),
    SUBMISSION_WARD_ENDORSED: _("Phường, xã xác nhận"),
    SUBMISSION_COMPLETED: _("Bổ sung hồ sơ"),
    SUBMISSION_DECIDED: _("Có quyết định"),
    SUBMISSION_NOTIFIED: _("Thông báo kết quả cho đơn vị"),
    NOMINATION_ADDED: _("Thêm đề nghị"),
    NOMINATION_UPDATED: _("Sửa đề nghị"),
    NOMINATION_REMOVED: _("Xoá đề nghị"),
    NOMINATION_REVIEWED: _("Thẩm định đề nghị"),
    NOMINATION_COUNCIL_RESULT: _("Kết quả hội đồng"),
    NOMINATION_STRUCK: _("Không được khen thưởng"),
    NOMINATION_FINALISED: _("Chốt kết quả đề nghị"),
    ATTACHMENT_ADDED: _("Đính kèm tài liệu"),
    ATTACHMENT_REMOVED: _("Gỡ tài liệu"),
    TASK_ASSIGNED: _("Nhận việc"),
    TASK_UNASSIGNED: _("Trả việc"),
    AUTH_LOGIN: _("Đăng nhập"),
    AUTH_LOGIN_FAILED: _("Đăng nhập thất bại"),
    AUTH_LOGOUT: _("Đăng xuất"),
    AUTH_LOCKED_OUT: _("Tạm khoá đăng nhập do sai mật khẩu nhiều lần"),
    ACCESS_DENIED: _("Bị từ chối truy cập"),
    COUNCIL_SESSION_OPENED: _("Mở phiên họp Hội đồng"),
    COUNCIL_BALLOT_CAST: _("Bỏ phiếu"),
    COUNCIL_RECUSAL: _("Không tham gia biểu quyết"),
    COUNCIL_VOTING_CLOSED: _("Kết thúc biểu quyết"),
    COUNCIL_SECOND_ROUND: _("Biểu quyết vòng hai"),
    COUNCIL_CONCLUDED: _("Chốt kết quả phiên họp"),
    DECISION_DRAFTED: _("Dự thảo quyết định"),
    DECISION_RETURNED: _("Chủ tịch trả lại dự thảo"),
    DECISION_REDRAFTED: _("Sửa dự thảo quyết định"),
    DECISION_SIGNED: _("Ký ban hành quyết định"),
    DECISION_REVOKED: _("Hủy bỏ quyết định"),
    DECISION_DOCUMENTS: _("Tạo văn bản quyết định"),
    DELEGATION_GRANTED: _("Ủy quyền ký"),
    AUDIT_KEYED: _("Bắt đầu ký nhật ký bằng khoá bí mật"),
    DELEGATION_ENDED: _("Chấm dứt ủy quyền ký"),
    CAMPAIGN_CREATED: _("Tạo phong trào thi đua"),
    CAMPAIGN_UPDATED: _("Sửa phong trào thi đua"),
    CAMPAIGN_LAUNCHED: _("Phát động phong trào"),
    CAMPAIGN_CLOSED: _("Kết thúc nhận hồ sơ của phong trào"),
    CAMPAIGN_SUMMARISED: _("Tổng kết phong trào"),
    PERSON_CREATED: _("Tạo tài khoản người dùng"),
    PERSON_INVITED: _("Gửi thư mời đặt mật khẩu"),
    MEMBERSHIP_ADDED: _("Phân công vai trò"),
    MEMBERSHIP_ENDED: _("Kết thúc vai trò"),
    ORGUNIT_CREATED: _("Thành lập đơn vị"),
    ORGUNIT_RENAMED: _("Đổi tên đơn vị"),
    ORGUNIT_DISSOLVED: _("Giải thể, sáp nhập đơn vị"),
}

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
# Frozen: adding a column here would change the hash of every existing row.
HASHED_COLUMNS = (
    "created_at", "actor_id", "actor_name", "event_type", "scope", "target_type", "target_id",
    "process_id", "task_id", "step", "from_state", "to_state", "comment", "changes", "data", "ip",
    "prev_hash",
)  # fmt: skip
KEYED_COLUMNS = (*HASHED_COLUMNS, "key_id")


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
        event.save(force_insert=True)
    return event


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


def nomination_timeline(nomination):
    """Events of one nomination and of its dossier as a whole, in order."""
    from django.db.models import Q

    return timeline(f"submission:{nomination.submission_id}").filter(
        Q(target_type="nominations.nomination", target_id=str(nomination.pk)) | Q(target_type="nominations.submission")
    )


def verify() -> tuple[bool, int | None, str]:
    """Walk the whole chain with the keys and check it against the external anchors.

    (True, None, "OK …") or (False, first_bad_id, Vietnamese+English reason).
    """
    from workflow.audit_verify import verify_trail

    return verify_trail()


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
        with connection.cursor() as cursor:
            cursor.execute("SELECT workflow_audit_chain_head(%s)", [CHAIN_LOCK_KEY])
            return cursor.fetchone()[0]
    # SQLite needs no lock: transaction_mode="IMMEDIATE" already serialises writers.
    return AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()


def _clean_ip(ip):
    try:
        return str(ipaddress.ip_address(ip)) if ip else None
    except ValueError:
        return None


def _ip_key(ip):
    # Packed bytes, not text: IPv6 spelling differs between Python versions.
    try:
        return ipaddress.ip_address(ip).packed.hex() if ip else None
    except ValueError:
        return str(ip)


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
        # The manager refuses bulk writes so that nothing outside this module can skip the chain. Rows get
        # their ids in list order (Django maps the returned ids back to the objects in that order too).
        models.QuerySet(AuditEvent).bulk_create(built)
    return built


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
