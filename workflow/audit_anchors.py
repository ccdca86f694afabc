"""Signed checkpoints of the audit chain's head, kept outside the database.

A keyed chain still lets a database writer delete its newest events: what is
left is a valid, shorter chain. Every few minutes (Celery beat, or
``manage.py anchor_audit``) one line is appended to a file that belongs on
another volume than the database, ``THIDUA_AUDIT_ANCHOR_PATH``::

    {"at": "...Z", "count": 812, "last_hash": "…", "last_id": 815, "sig": "…"}

``sig`` is HMAC-SHA256 of the other fields under ``THIDUA_AUDIT_ANCHOR_KEY``,
a key of its own. ``workflow.audit.verify`` then requires every anchored event
to still exist with the anchored hash and the anchored number of events up to
it. Events written after the last anchor are protected by the chain only.

When ``THIDUA_TSA_URL`` names an RFC 3161 time-stamping authority, each line
also carries ``tst``: the authority's token (base64 DER) over the SHA-256 of the
signed line, got with pyHanko's client. It proves the line existed at the
token's time to anyone holding the authority's certificate, without our key
(``openssl ts -verify``). Without network the anchor is written anyway, with
no token, and a warning is logged: the anchor must not wait on a third party.
"""

import asyncio
import base64
import datetime
import fcntl
import hashlib
import hmac
import json
import logging
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from workflow.models import AuditEvent

logger = logging.getLogger(__name__)

FORGED = (
    "một dòng của tệp mốc neo sai chữ ký: tệp mốc neo đã bị sửa "
    "(an anchor line has a bad signature: the anchor file was altered)"
)
TRUNCATED = (
    "mốc neo ghi nhận sự kiện này nhưng nó không còn trong bảng: các sự kiện mới nhất đã bị xoá "
    "(an anchor records this event but it is gone: the newest events were deleted)"
)
REWRITTEN = (
    "băm hoặc số sự kiện khác với mốc neo: nhật ký đã bị viết lại "
    "(the hash or the number of events differs from the anchor: the trail was rewritten)"
)
SIGNED_FIELDS = ("at", "count", "last_hash", "last_id")


class AnchorForged(Exception):
    """An anchor line that does not parse or whose signature does not match."""

    def __init__(self, line_number: int, last_id: int | None):
        super().__init__(f"anchor line {line_number}")
        self.line_number, self.last_id = line_number, last_id


def anchor() -> dict | None:
    """Append a signed checkpoint of the chain's head to the anchor file; None when the trail is empty."""
    path = _path()
    if path is None:
        raise ImproperlyConfigured("THIDUA_AUDIT_ANCHOR_PATH chưa được đặt (the anchor file is not configured)")
    # One snapshot for both reads. Appends are serialised and commit in id
    # order (workflow.audit's chain lock), so every id up to the head is final.
    with transaction.atomic():
        head = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
        if head is None:
            return None
        count = AuditEvent.objects.filter(id__lte=head[0]).count()
    line = {
        "at": timezone.now().astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "count": count,
        "last_hash": head[1],
        "last_id": head[0],
    }
    line["sig"] = _sign(line)
    if settings.THIDUA_TSA_URL:
        try:
            token = asyncio.run(_timestamp(hashlib.sha256(_stamped(line)).digest()))
        except Exception:  # any failure of the authority or the network: anchor without a token
            logger.warning("RFC 3161 timestamp from %s failed; anchor written without it", settings.THIDUA_TSA_URL)
        else:
            line["tst"] = base64.b64encode(token.dump()).decode()
    _append(path, json.dumps(line, sort_keys=True, separators=(",", ":")))
    return line


def time_stamper(session):
    """pyHanko's RFC 3161 client for THIDUA_TSA_URL (tests put a local stub authority here)."""
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(settings.THIDUA_TSA_URL, session=session, timeout=10)


async def _timestamp(digest: bytes):
    import aiohttp

    async with aiohttp.ClientSession() as session:
        return await time_stamper(session).async_timestamp(digest, "sha256")


def _stamped(line: dict) -> bytes:
    """What the timestamp covers: the signed fields and their signature."""
    return json.dumps(
        {name: line[name] for name in (*SIGNED_FIELDS, "sig")}, sort_keys=True, separators=(",", ":")
    ).encode()


def token_time(line: dict) -> datetime.datetime | None:
    """The time in the line's RFC 3161 token, after checking that the token covers this line (its message
    imprint); None if the line has no token. Raises ValueError if it covers something else.

    The authority's signature over the token is checked with its certificate, outside (``openssl ts -verify``).
    """
    from asn1crypto import cms

    if "tst" not in line:
        return None
    token = cms.ContentInfo.load(base64.b64decode(line["tst"], validate=True))
    info = token["content"]["encap_content_info"]["content"].parsed
    imprint = info["message_imprint"]
    if imprint["hash_algorithm"]["algorithm"].native != "sha256" or not hmac.compare_digest(
        imprint["hashed_message"].native, hashlib.sha256(_stamped(line)).digest()
    ):
        raise ValueError("the timestamp token covers another line")
    return info["gen_time"].native


def load() -> list[dict] | None:
    """Every anchor of the file, checked; [] if there is none yet, None if no file is configured.

    Raises AnchorForged on the first line that does not verify.
    """
    path = _path()
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    anchors = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
            valid = hmac.compare_digest(str(line["sig"]), _sign(line))
            token_time(line)  # a token that does not cover its line is an altered line
        except (ValueError, KeyError, TypeError):
            raise AnchorForged(number, None) from None
        if not valid:
            raise AnchorForged(number, line.get("last_id"))
        anchors.append(line)
    return anchors


def _path() -> Path | None:
    configured = settings.THIDUA_AUDIT_ANCHOR_PATH
    return Path(configured) if configured else None


def _sign(line: dict) -> str:
    key = settings.THIDUA_AUDIT_ANCHOR_KEY
    if not key:
        raise ImproperlyConfigured("THIDUA_AUDIT_ANCHOR_KEY chưa được đặt (the anchor key is not set)")
    message = json.dumps({name: line[name] for name in SIGNED_FIELDS}, sort_keys=True, separators=(",", ":"))
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def _append(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND and an exclusive lock: the beat task and the command may run at
    # once; fsync so that an anchor reported written survives a crash.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, (text + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
