"""The files a person downloads, built the same way for the pages and the API.

Each returns a ``Download`` (content or an open file, its name, its type), or None when there is no such file;
who may download it is the caller's check (``workflow.access``).
"""

import io
import zipfile
from typing import NamedTuple

from nominations.documents import decision as decision_docs
from nominations.documents import submission as letter_docs
from nominations.exports import campaign_summary_xlsx
from nominations.models import Campaign, CouncilSession, Decision
from nominations.progress import target_counts
from nominations.selectors import campaign_prizes, campaign_summary
from nominations.text import safe_file_name

from .decision_documents import decision_data, letter_data
from .minutes import minutes_docx, minutes_pdf

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"


class Download(NamedTuple):
    content: object  # bytes, or an open file (a stored document)
    filename: str
    content_type: str


MINUTES_FORMATS = ("docx", "pdf")


def minutes(session: CouncilSession, fmt: str) -> Download | None:
    """The minutes (biên bản) of a closed session, as DOCX or PDF."""
    if session.status != CouncilSession.Status.CLOSED or fmt not in MINUTES_FORMATS:
        return None
    render, mime = (minutes_docx, DOCX) if fmt == "docx" else (minutes_pdf, PDF)
    return Download(render(session), f"bien-ban-hop-hoi-dong-{session.pk}.{fmt}", mime)


# Name in the URL → (file field, download name's stem, extension, type).
DECISION_FILES = {
    "docx": ("docx", "quyet-dinh", "docx", DOCX),
    "pdf": ("pdf", "quyet-dinh", "pdf", PDF),
    "letter.docx": ("letter_docx", "to-trinh", "docx", DOCX),
    "letter.pdf": ("letter_pdf", "to-trinh", "pdf", PDF),
    "revocation.docx": ("revocation_docx", "quyet-dinh-huy-bo", "docx", DOCX),
    "revocation.pdf": ("revocation_pdf", "quyet-dinh-huy-bo", "pdf", PDF),
}


def decision_file(decision: Decision, name: str) -> Download | None:
    """The generated Quyết định or Tờ trình of a decision, or the Quyết định hủy bỏ once it is revoked."""
    field_name, stem, ext, mime = DECISION_FILES.get(name, ("", "", "", ""))
    field = getattr(decision, field_name, None)
    if not field:
        return None
    number = decision.revocation_number if name.startswith("revocation") else decision.number
    # Named from the decision, never from the stored file's name.
    return Download(field.open("rb"), safe_file_name(stem, number or "du-thao", decision.pk, ext=ext), mime)


_DRAFTS = {
    "docx": (decision_docs.render_decision_docx, decision_data, "du-thao-quyet-dinh.docx"),
    "pdf": (decision_docs.render_decision_pdf, decision_data, "du-thao-quyet-dinh.pdf"),
    "letter.docx": (letter_docs.render_submission_letter_docx, letter_data, "du-thao-to-trinh.docx"),
    "letter.pdf": (letter_docs.render_submission_letter_pdf, letter_data, "du-thao-to-trinh.pdf"),
}
DRAFT_NAMES = tuple(_DRAFTS)


def draft_preview(decision: Decision, name: str) -> Download | None:
    """The unnumbered draft of the Quyết định or the Tờ trình, rendered now, for the chairman to read before
    signing."""
    if name not in _DRAFTS:
        return None
    render, build, filename = _DRAFTS[name]
    return Download(render(build(decision)), filename, "application/octet-stream")


def certificates_zip(decision: Decision) -> Download:
    """Every generated certificate of the decision in one zip file."""
    buffer = io.BytesIO()
    items = decision.items.filter(certificate__generated_at__isnull=False)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in items.select_related("certificate", "nomination__candidate"):
            # A slug of the name, never the name itself: a stored "../../x" must not become a path (zip slip).
            entry = safe_file_name(f"{item.pk:04d}", item.nomination.candidate.name, ext="pdf")
            with item.certificate.pdf.open("rb") as pdf:
                archive.writestr(entry, pdf.read())
    return Download(buffer.getvalue(), safe_file_name("giay-khen", decision.number or decision.pk, ext="zip"), ZIP)


def summary_xlsx(campaign: Campaign) -> Download:
    """The campaign summary (tổng kết) as an Excel workbook."""
    targets = target_counts(campaign)
    content = campaign_summary_xlsx(
        campaign, campaign_summary(campaign), prizes=campaign_prizes(campaign), targets=targets
    )
    return Download(content, safe_file_name("tong-ket", campaign.code, ext="xlsx"), XLSX)
