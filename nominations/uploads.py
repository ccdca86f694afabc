"""Checks on uploaded dossier files: the content decides the type, not the name."""

import hashlib
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF, DOCX, JPEG, PNG = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "image/jpeg",
    "image/png",
)
_EXTENSIONS = {PDF: {".pdf"}, DOCX: {".docx"}, JPEG: {".jpg", ".jpeg"}, PNG: {".png"}}


def sniff(head: bytes, upload) -> str | None:
    """The real content type of an upload, from its first bytes (and ZIP directory for DOCX)."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return DOCX
    return None


def check_upload(upload) -> tuple[str, str]:
    """Validate an uploaded file; return (content_type, sha256) or raise ValidationError."""
    limit = settings.THIDUA_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Tệp quá lớn (%(size)s MB); dung lượng tối đa là %(limit)s MB.")
            % {"size": round(upload.size / 1048576, 1), "limit": round(limit / 1048576, 1)},
            code="file_too_large",
        )
    upload.seek(0)
    content_type = sniff(upload.read(8), upload)
    name = upload.name.lower()
    if content_type is None or not any(name.endswith(ext) for ext in _EXTENSIONS[content_type]):
        raise ValidationError(
            _("Chỉ chấp nhận tệp PDF, DOCX, JPEG hoặc PNG có nội dung đúng với phần mở rộng."),
            code="file_type",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, digest.hexdigest()
