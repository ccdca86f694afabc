"""Checks on uploaded dossier files: the content decides the type, not the name.

Refused besides a wrong type: a DOCX that inflates beyond a bound or holds too
many parts (a zip bomb), anything that starts like HTML, and a PDF that carries
HTML or active content (scripts, launch actions, embedded files) — such a file
is a trap for whoever opens it, whether a browser or a PDF reader.
"""

import hashlib
import re
import unicodedata
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .text import safe_file_name

PDF, DOCX, JPEG, PNG = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "image/jpeg",
    "image/png",
)
_EXTENSIONS = {PDF: {".pdf"}, DOCX: {".docx"}, JPEG: {".jpg", ".jpeg"}, PNG: {".png"}}
# The extension a download gets, from the sniffed type (never from the uploaded name).
EXTENSION = {PDF: "pdf", DOCX: "docx", JPEG: "jpg", PNG: "png"}

# A Word document has a few dozen parts; thousands mean a crafted archive.
MAX_DOCX_ENTRIES = 1000
# Browsers sniff markup in a file's first bytes; no dossier file type starts with any of it.
_HTML_HEAD = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|iframe|frame|svg|object|embed|meta|style|link|img|form)\b", re.I
)
# Markup that has no business anywhere in a PDF (a PDF/HTML polyglot).
_HTML_IN_PDF = re.compile(rb"<\s*(?:script|html|iframe|body)\b", re.I)
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_PDF_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Names of PDF objects that run code or carry files: /JavaScript, /JS (also what an
# /OpenAction or /AA of JavaScript holds), /Launch, embedded files and rich media.
_ACTIVE_PDF_NAMES = {"JavaScript", "JS", "Launch", "EmbeddedFile", "EmbeddedFiles", "RichMedia"}
_MAX_PDF_OBJECTS = 200_000


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


def _refuse(message, code):
    raise ValidationError(message, code=code)


def check_docx(upload) -> None:
    """Refuse a zip bomb: too many parts, or more inflated bytes than the bound.

    The sizes in the zip directory are checked first (cheap); then every part
    is inflated and its CRC checked, so a directory that under-states a size
    is caught as well (the data no longer matches its checksum).
    """
    bound = settings.THIDUA_MAX_DOCX_UNZIPPED_BYTES
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_DOCX_ENTRIES or sum(info.file_size for info in infos) > bound:
                _refuse(
                    _("Tệp DOCX khi giải nén vượt quá %(mb)s MB hoặc có quá nhiều thành phần: không nhận tệp này.")
                    % {"mb": round(bound / 1048576)},
                    "docx_too_large",
                )
            if archive.testzip() is not None:
                raise zipfile.BadZipFile
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError):
        _refuse(_("Tệp DOCX bị hỏng hoặc không đúng chuẩn: không nhận tệp này."), "docx_corrupt")
    finally:
        upload.seek(0)


def _pdf_names(data: bytes) -> set[str]:
    """Every /Name written in the file's plain (uncompressed) text, #xx escapes decoded."""
    names = set()
    for match in _PDF_NAME.finditer(data):
        raw = match[1]
        if b"#" in raw:
            raw = _PDF_HEX_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), raw)
        names.add(raw.decode("latin-1"))
    return names


def _compressed_pdf_names(upload) -> set[str]:
    """Every dictionary key of the objects reachable from the trailer, as pypdf reads them.

    Needed only for PDFs that keep objects in compressed object streams (/ObjStm),
    which a scan of the file's bytes cannot see into.
    """
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    upload.seek(0)
    reader = PdfReader(upload, strict=False)
    names, seen, pending = set(), set(), [reader.trailer]
    while pending:
        if len(seen) > _MAX_PDF_OBJECTS:
            raise ValueError("too many objects")
        obj = pending.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            names.update(str(k).lstrip("/") for k in obj.keys())
            names.update(str(v).lstrip("/") for v in obj.values() if str(v).startswith("/"))
            pending.extend(v for v in obj.values() if isinstance(v, DictionaryObject | ArrayObject | IndirectObject))
        elif isinstance(obj, ArrayObject):
            pending.extend(v for v in obj if isinstance(v, DictionaryObject | ArrayObject | IndirectObject))
    return names


def check_pdf(upload) -> None:
    """Refuse a PDF that is also HTML, or that carries scripts, launch actions or embedded files."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if _HTML_IN_PDF.search(data):
        _refuse(_("Tệp PDF có chứa mã HTML/JavaScript: không nhận tệp này."), "pdf_active_content")
    names = _pdf_names(data)
    if "ObjStm" in names:
        try:
            names |= _compressed_pdf_names(upload)
        except Exception:  # pypdf raises many types on a malformed file; any of them means "unreadable"
            _refuse(_("Không đọc được tệp PDF (tệp hỏng hoặc không đúng chuẩn): không nhận tệp này."), "pdf_corrupt")
        finally:
            upload.seek(0)
    if names & _ACTIVE_PDF_NAMES:
        _refuse(
            _("Tệp PDF có chứa mã thực thi, lệnh mở chương trình hoặc tệp đính kèm bên trong: không nhận tệp này."),
            "pdf_active_content",
        )


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
    head = upload.read(1024)
    content_type = sniff(head, upload)
    name = upload.name.lower()
    if content_type is None or not any(name.endswith(ext) for ext in _EXTENSIONS[content_type]):
        raise ValidationError(
            _("Chỉ chấp nhận tệp PDF, DOCX, JPEG hoặc PNG có nội dung đúng với phần mở rộng."),
            code="file_type",
        )
    if content_type == DOCX:
        check_docx(upload)
    elif content_type == PDF:
        check_pdf(upload)
    if _HTML_HEAD.search(head):
        _refuse(_("Tệp có chứa mã HTML ở phần đầu: không nhận tệp này."), "file_html")
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, digest.hexdigest()


_MARKUP = re.compile(r"<[^>]*>")
_NOT_IN_NAMES = set("\"'`<>\\/:*?|;")
MAX_NAME_LENGTH = 120


def clean_name(name: str) -> str:
    """The uploaded file's name as it may be shown and stored: one line, no path, quotes or markup.

    Vietnamese letters are kept; control and formatting characters (CR, LF, tab,
    right-to-left overrides) become spaces; the length is bounded, keeping the
    extension. The file itself is stored under a random name (Attachment.file).
    """
    name = unicodedata.normalize("NFC", str(name))
    name = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in name)
    name = _MARKUP.sub("", name)
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if ch not in _NOT_IN_NAMES)
    name = " ".join(name.split())
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = ext.strip()[:10]
    # No leading dot (a hidden file) and no trailing dot or space (Windows drops them).
    stem = stem[: MAX_NAME_LENGTH - len(ext) - 1].strip(".-_ ") or "tệp"  # stored data: not translated
    return f"{stem}.{ext}" if ext else stem


def download_name(attachment) -> str:
    """``ten-tep-<id>.<ext>``: a slug of the stored name, the id, and the sniffed type's extension."""
    stem = attachment.original_name.rpartition(".")[0] or attachment.original_name
    return safe_file_name(stem, attachment.pk, ext=EXTENSION.get(attachment.content_type, "bin"))
