"""verify_audit's walk: the keyed chain, the sealed unkeyed prefix, and the external anchors (see workflow.audit)."""

import hmac

from workflow import audit_anchors
from workflow.audit import (
    ALTERED,
    AUDIT_KEYED,
    BROKEN_LINK,
    GENESIS_HASH,
    UNKEYED,
    UNKNOWN_KEY,
    audit_keys,
    compute_hash,
    legacy_hash,
)
from workflow.models import AuditEvent


def verify_trail() -> tuple[bool, int | None, str]:
    """Walk the whole chain and check it against the external anchors.

    (True, None, "OK …") or (False, first_bad_id, Vietnamese+English reason).
    """
    try:
        anchors = audit_anchors.load()
    except audit_anchors.AnchorForged as forged:
        return False, forged.last_id, audit_anchors.FORGED
    keys = audit_keys()
    walk = _ChainWalk(keys, anchors)
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        reason = walk.step(event)
        if reason:
            return False, event.pk, reason
    bad_id, reason = walk.finish()
    if reason:
        return False, bad_id, reason
    message = f"OK: {walk.count} sự kiện, chuỗi băm toàn vẹn"
    if anchors:
        message += f", khớp {len(anchors)} mốc neo ngoài ({len(anchors)} external anchors match)"
    elif anchors is not None:
        message += ", chưa có mốc neo ngoài nào"
    return True, None, message


class _ChainWalk:
    """The checks of verify(), one event at a time in id order."""

    def __init__(self, keys, anchors):
        self.keys, self.count, self.legacy, self.keyed, self.last_id = keys, 0, 0, False, None
        self.expected_prev = GENESIS_HASH
        self.anchors = {}
        for anchor in anchors or ():
            self.anchors.setdefault(anchor["last_id"], []).append(anchor)

    def step(self, event) -> str | None:
        if event.prev_hash != self.expected_prev:
            return BROKEN_LINK
        if not event.key_id:
            # Keyless rows may only come before the first keyed one (the seal).
            if self.keyed:
                return UNKEYED
            if event.hash != legacy_hash(event):
                return ALTERED
            self.legacy += 1
        else:
            if event.key_id not in self.keys:
                return UNKNOWN_KEY
            if not hmac.compare_digest(event.hash, compute_hash(event, key=self.keys[event.key_id])):
                return ALTERED
            if not self.keyed and self.legacy and not _is_seal(event, self.legacy):
                return UNKEYED
            self.keyed = True
        self.expected_prev, self.count, self.last_id = event.hash, self.count + 1, event.pk
        for anchor in self.anchors.pop(event.pk, ()):
            if (anchor["last_hash"], anchor["count"]) != (event.hash, self.count):
                return audit_anchors.REWRITTEN
        return None

    def finish(self) -> tuple[int | None, str | None]:
        if self.anchors:
            # An anchored event that the walk never met: the newest rows were deleted.
            return min(self.anchors), audit_anchors.TRUNCATED
        if self.legacy and not self.keyed:
            # Only keyless rows: the seal and everything after it were deleted, or all was forged.
            return self.last_id, UNKEYED
        return None, None


def _is_seal(event, legacy_count: int) -> bool:
    return event.event_type == AUDIT_KEYED and event.data == {"legacy_events": legacy_count}
