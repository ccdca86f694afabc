"""Award certificates (Giấy khen): one A4 landscape page per awardee.

WeasyPrint has a high fixed cost per document (font loading, style
cascade), so a batch is laid out as one HTML document with a page per
certificate rather than one document per certificate (perf notes §3.7:
142 pages/s batched against 66 documents/s one by one). When each awardee
needs a file of their own, the batch is laid out once and written out page
by page.
"""

import base64
import io
from collections.abc import Sequence

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from .data import CertificateData
from .dates import format_place_date, format_short_date
from .render import laid_out


def render_certificates_pdf(items: Sequence[CertificateData]) -> bytes:
    """One PDF, one landscape page per certificate, in the order given."""
    if not items:
        raise ValueError("no certificates to render")
    return _laid_out(items).write_pdf()


def render_certificate_pdf(item: CertificateData) -> bytes:
    """A single certificate, e.g. to re-issue a lost one."""
    return render_certificates_pdf([item])


def render_certificate_pdfs(items: Sequence[CertificateData]) -> list[bytes]:
    """One single-page PDF per item, in order, from one batched layout."""
    if not items:
        return []
    document = _laid_out(items)
    return [document.copy([page]).write_pdf() for page in document.pages]


def _laid_out(items: Sequence[CertificateData]):
    document = laid_out("certificates.html", {"certificates": [_certificate(item) for item in items]})
    if len(document.pages) != len(items):
        # A long name or unit spilling onto a second page would misalign
        # every later certificate with its awardee.
        raise RuntimeError(f"{len(items)} certificates laid out on {len(document.pages)} pages")
    return document


def qr_data_uri(url: str) -> str:
    """PNG QR code of ``url`` as a data URI, so the HTML needs no files."""
    # A fixed mask skips qrcode's trial of all eight masks (about 5x faster
    # per code); any mask is valid for readers, this one just is not the
    # "optimal" one by the standard's penalty score.
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=4, border=2, mask_pattern=0)
    code.add_data(url)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image().save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _certificate(item: CertificateData) -> dict:
    return {
        "authority": item.authority.upper(),
        "title": item.award_name.upper(),
        "honorific": item.honorific,
        "recipient_name": item.recipient_name,
        "unit": item.unit,
        "achievement": item.achievement,
        "decision": f"Quyết định số {item.decision_number} ngày {format_short_date(item.decision_date)}",
        "register_number": item.register_number,
        "place_date": format_place_date(item.place, item.decision_date),
        "signer": item.signer,
        "qr": qr_data_uri(item.verification_url),
        "verification_url": item.verification_url,
    }
