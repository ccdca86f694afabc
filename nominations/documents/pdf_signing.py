"""Digital signature of generated PDFs (PAdES, with pyHanko), the issuer's key held in a PKCS#11 token.

The token is named by settings (THIDUA_PKCS11_MODULE, _TOKEN, _PIN, _KEY_LABEL, _CERT_LABEL): SoftHSM2 in
development and CI (scripts/softhsm.sh), a USB token or an HSM in production, through the same interface.
Without THIDUA_PKCS11_MODULE nothing is signed digitally: the chairman's password re-entry stays the signature
and the pages say the PDF is unsigned.

Validation uses pyHanko's validator with the trust roots of THIDUA_PDF_TRUST_ROOTS (PEM or DER files): the
CA that issued the token's certificate. No network fetching (closed intranets).
"""

import datetime
import hashlib
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
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


def _signer(session):
    from pkcs11 import exceptions as p11
    from pyhanko.sign.pkcs11 import PKCS11Signer

    key_label = settings.THIDUA_PKCS11_KEY_LABEL
    signer = PKCS11Signer(session, cert_label=settings.THIDUA_PKCS11_CERT_LABEL or key_label, key_label=key_label)
    try:
        signer.signing_cert  # noqa: B018 - loads the certificate now, so that a missing one fails here
    except (p11.PKCS11Error, StopIteration, ValueError) as exc:
        raise SigningError(_("Token ký số không có khoá hoặc chứng thư “%s”.") % key_label) from exc
    return signer


def check_token() -> None:
    """Raise :class:`SigningError` unless the configured token opens with its PIN and holds the key; a no-op
    when no token is configured. Called before a decision is numbered, so a bad token stops nothing half-way."""
    if not enabled():
        return
    session = _session()
    try:
        _signer(session)
    finally:
        session.close()


def _common_name(cert) -> str:
    return cert.subject.native.get("common_name", "") or cert.subject.human_friendly


def sign_pdf(data: bytes, *, reason: str = "", location: str = "") -> SignedPdf:
    """The PDF with a PAdES signature appended (an incremental update); raises :class:`SigningError`."""
    from pkcs11 import exceptions as p11
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    session = _session()
    try:
        signer = _signer(session)
        signed_at = datetime.datetime.now(datetime.UTC)
        meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            reason=reason or None,
            location=location or None,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        try:
            out = signers.PdfSigner(meta, signer=signer).sign_pdf(writer)
        except p11.PKCS11Error as exc:
            reason = exc.args[0] if exc.args else type(exc).__name__
            raise SigningError(_("Token ký số từ chối ký: %s") % reason) from exc
        signed = out.getvalue()
        name = _common_name(signer.signing_cert)
        return SignedPdf(data=signed, sha256=sha256(signed), signer=name, signed_at=signed_at)
    finally:
        session.close()


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
