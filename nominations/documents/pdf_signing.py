"""Digital signature of generated PDFs (PAdES, with pyHanko), the issuer's key held in a PKCS#11 token.

The token is named by settings (THIDUA_PKCS11_MODULE, _TOKEN, _PIN, _KEY_LABEL, _CERT_LABEL): SoftHSM2 in
development and CI (scripts/softhsm.sh), a USB token or an HSM in production, through the same interface.
Each issuer's key is chosen by THIDUA_PKCS11_KEY_LABELS (issuer code → label; see :func:`key_label`).
Without THIDUA_PKCS11_MODULE nothing is signed digitally: the chairman's password re-entry stays the signature
and the pages say the PDF is unsigned.

Validation uses pyHanko's validator with the trust roots of THIDUA_PDF_TRUST_ROOTS (PEM or DER files): the
CA that issued the token's certificate. No network fetching (closed intranets).
"""

import datetime
import hashlib
import io
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

FIELD_NAME = "ChuKySo"


class SigningError(Exception):
    """The token cannot sign: not found, wrong PIN, locked, key or certificate missing. The message is for users."""


@dataclass(frozen=True)
class SignedPdf:
    data: bytes
    sha256: str
    signer: str
    signed_at: datetime.datetime


@dataclass(frozen=True)
class Verification:
    """What the validator says of a PDF's signature; ``ok`` only if every check passed."""

    signed: bool
    intact: bool = False  # the signed bytes hash to what the signature covers
    valid: bool = False  # the signature verifies under the certificate's key
    trusted: bool = False  # the certificate chains to a configured trust root
    unmodified: bool = False  # nothing but signature-safe updates after the signed revision
    signer: str = ""
    signed_at: datetime.datetime | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.valid and self.trusted and self.unmodified


def enabled() -> bool:
    return bool(settings.THIDUA_PKCS11_MODULE)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _session():
    """An open, logged-in session on the configured token; every failure a :class:`SigningError`."""
    from pkcs11 import exceptions as p11
    from pyhanko.sign.pkcs11 import PKCS11Error, TokenCriteria, open_pkcs11_session

    if not Path(settings.THIDUA_PKCS11_MODULE).is_file():
        raise SigningError(_("Không tìm thấy thư viện PKCS#11 của token ký số: %s") % settings.THIDUA_PKCS11_MODULE)
    try:
        return open_pkcs11_session(
            settings.THIDUA_PKCS11_MODULE,
            token_criteria=TokenCriteria(label=settings.THIDUA_PKCS11_TOKEN or None),
            user_pin=settings.THIDUA_PKCS11_PIN,
        )
    except p11.PinIncorrect as exc:
        raise SigningError(_("Mã PIN của token ký số không đúng.")) from exc
    except (p11.PinLocked, p11.PinExpired) as exc:
        raise SigningError(_("Token ký số đã bị khoá mã PIN.")) from exc
    except (p11.NoSuchToken, p11.TokenNotPresent, PKCS11Error) as exc:
        raise SigningError(_("Không tìm thấy token ký số “%s”.") % settings.THIDUA_PKCS11_TOKEN) from exc
    except (OSError, RuntimeError) as exc:  # the module cannot be loaded, or the token answers with an error
        raise SigningError(_("Không dùng được token ký số: %s") % exc) from exc


def key_label(issuer_code: str, issuer_name: str = "") -> str:
    """The label of the issuer's key (and certificate) in the token.

    With THIDUA_PKCS11_KEY_LABELS set, only a listed issuer has a key: another one cannot sign, rather than
    sign with a key whose certificate names a different agency. Without it, the one THIDUA_PKCS11_KEY_LABEL."""
    labels = settings.THIDUA_PKCS11_KEY_LABELS
    if not labels:
        return settings.THIDUA_PKCS11_KEY_LABEL
    if issuer_code not in labels:
        raise SigningError(
            _("Chưa cấu hình khoá ký số cho cơ quan ban hành “%s”: cần khai báo khoá của cơ quan trong token ký số.")
            % (issuer_name or issuer_code)
        )
    return labels[issuer_code]


def _signer(session, label: str):
    from pkcs11 import exceptions as p11
    from pyhanko.sign.pkcs11 import PKCS11Signer

    key_label = label or settings.THIDUA_PKCS11_KEY_LABEL
    # The certificate carries the key's label; THIDUA_PKCS11_CERT_LABEL names it only for the one shared key.
    shared = key_label == settings.THIDUA_PKCS11_KEY_LABEL and not settings.THIDUA_PKCS11_KEY_LABELS
    cert_label = (settings.THIDUA_PKCS11_CERT_LABEL if shared else "") or key_label
    signer = PKCS11Signer(session, cert_label=cert_label, key_label=key_label)
    try:
        signer.signing_cert  # noqa: B018 - loads the certificate now, so that a missing one fails here
    except (p11.PKCS11Error, StopIteration, ValueError) as exc:
        raise SigningError(_("Token ký số không có khoá hoặc chứng thư “%s”.") % key_label) from exc
    return signer


# One use of the token at a time in a process. python-pkcs11 loads and initialises the module once per process, and
# threads opening sessions at the same moment (make run's inline jobs, several signings at once) could find no token:
# in CI (05/12/2026) one of six concurrent signings failed with "token not found". Signing is rare and short.
_TOKEN_USE = threading.Lock()


@contextmanager
def _token(label: str):
    """The key ``label``'s signer on an open session, the session closed after the block; one block at a time."""
    with _TOKEN_USE:
        session = _session()
        try:
            yield _signer(session, label)
        finally:
            session.close()


def check_token(label: str = "") -> None:
    """Raise :class:`SigningError` unless the configured token opens with its PIN and holds the key ``label``
    (the shared one by default); a no-op when no token is configured. Called before a decision is numbered, so
    a bad token stops nothing half-way."""
    if not enabled():
        return
    with _token(label):
        pass


def _common_name(cert) -> str:
    return cert.subject.native.get("common_name", "") or cert.subject.human_friendly


def signature_box(data: bytes, signer_name: str) -> tuple[int, tuple[int, int, int, int]] | None:
    """Where the handwritten signature goes in the Decree 30 block: (page index, box) between the signer's title
    and printed name, in the right-hand column; None when the name is not found (the signature is then invisible).
    Read from the rendered text, so it follows the layout wherever the block falls."""
    import pypdf

    if not signer_name.strip():
        return None
    reader = pypdf.PdfReader(io.BytesIO(data))
    for index in range(len(reader.pages) - 1, -1, -1):
        page = reader.pages[index]
        width = float(page.mediabox.width)
        lines = []

        def visit(text, cm, tm, font, size, lines=lines):
            if text.strip():
                matrix = pypdf.mult(tm, cm)
                lines.append((matrix[4], matrix[5], text.strip()))

        page.extract_text(visitor_text=visit)
        right = [(x, y, text) for x, y, text in lines if x > width / 2]
        names = [y for _x, y, text in right if signer_name in text]
        if not names:
            continue
        name_y = min(names)
        above = [y for _x, y, _text in right if y > name_y + 20]
        top = min(above) - 4 if above else name_y + 90
        middle = (width / 2 + width - 42) / 2  # of the right-hand column (15 mm right margin)
        return index, (int(middle) - 100, int(name_y) + 16, int(middle) + 100, int(top))
    return None


def sign_pdf(data: bytes, *, reason: str = "", location: str = "", signer_name: str = "", label: str = "") -> SignedPdf:
    """The PDF with a PAdES signature appended (an incremental update); raises :class:`SigningError`.

    With ``signer_name`` (the name printed in the signature block) the signature is visible there: the
    certificate's holder and the signing time, as a Vietnamese reader of a signed e-document expects.
    ``label``: the issuer's key (:func:`key_label`), the shared one by default."""
    from pkcs11 import exceptions as p11
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import StaticStampStyle

    box = signature_box(data, signer_name)
    with _token(label) as signer:
        name = _common_name(signer.signing_cert)
        signed_at = datetime.datetime.now(datetime.UTC)
        meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            reason=reason or None,
            location=location or None,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        if box:
            fields.append_signature_field(writer, fields.SigFieldSpec(FIELD_NAME, on_page=box[0], box=box[1]))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as stamp:
            style = None
            if box:
                when = timezone.localtime(signed_at).strftime("%H:%M ngày %d/%m/%Y")
                stamp.write(_stamp_pdf(name, when, box[1]))
                stamp.flush()
                style = StaticStampStyle.from_pdf_file(stamp.name, border_width=0)
            try:
                out = signers.PdfSigner(meta, signer=signer, stamp_style=style).sign_pdf(writer)
            except p11.PKCS11Error as exc:
                reason = exc.args[0] if exc.args else type(exc).__name__
                raise SigningError(_("Token ký số từ chối ký: %s") % reason) from exc
        signed = out.getvalue()
        return SignedPdf(data=signed, sha256=sha256(signed), signer=name, signed_at=signed_at)


def _stamp_pdf(signer: str, when: str, box) -> bytes:
    """The visible signature's appearance, a one-page PDF the size of the box: who signed and when, in the
    documents' Liberation Serif (ReportLab, as the awardee lists)."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    # The appendix loads ReportLab's fonts: only when a visible signature is drawn, as the imports above.
    from .appendix import font_name

    width, height = box[2] - box[0], box[3] - box[1]
    font, size, red = font_name(), 10, HexColor("#b00000")
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(width, height))
    pdf.setStrokeColor(red)
    pdf.setFillColor(red)
    pdf.rect(1, 1, width - 2, height - 2)
    lines = [*simpleSplit(f"Ký số bởi: {signer}", font, size, width - 12), f"Thời gian: {when}"]
    y = height / 2 + (len(lines) - 1) * (size + 2) / 2 - size / 3
    for line in lines:
        pdf.setFont(font, size)
        pdf.drawCentredString(width / 2, y, line)
        y -= size + 2
    pdf.showPage()
    pdf.save()
    return out.getvalue()


@cache
def load_roots(paths: tuple[str, ...]) -> tuple:
    """The certificates in these PEM or DER files (a missing file adds none: nothing is then trusted)."""
    from pyhanko.keys import load_certs_from_pemder

    return tuple(load_certs_from_pemder([p for p in paths if Path(p).is_file()]))


def trust_roots() -> tuple:
    return load_roots(tuple(settings.THIDUA_PDF_TRUST_ROOTS))


def verify_pdf(data: bytes, *, roots=None) -> Verification:
    """Validate the PDF's last signature against the trust roots (the configured ones by default)."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError) as exc:
        return Verification(signed=False, detail=_("Không đọc được tệp PDF: %s") % exc)
    if not embedded:
        return Verification(signed=False, detail=_("Tệp PDF không có chữ ký số."))
    context = ValidationContext(trust_roots=list(trust_roots() if roots is None else roots), allow_fetching=False)
    try:
        status = validate_pdf_signature(embedded[-1], context)
    except Exception as exc:  # noqa: BLE001 - a damaged signature must read as invalid, never crash a page
        return Verification(signed=True, detail=_("Chữ ký số không kiểm tra được: %s") % exc)
    from pyhanko.sign.validation.status import SignatureCoverageLevel as Coverage

    # Later revisions are allowed only if pyHanko's difference analysis finds nothing but signature-safe changes.
    unmodified = status.coverage == Coverage.ENTIRE_FILE or (
        status.coverage == Coverage.ENTIRE_REVISION and bool(status.docmdp_ok)
    )
    return Verification(
        signed=True,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        unmodified=unmodified,
        signer=_common_name(status.signing_cert),
        signed_at=status.signer_reported_dt,
        detail=status.summary(),
    )
