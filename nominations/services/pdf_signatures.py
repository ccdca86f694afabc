"""The issuer's digital signature on a decision's PDF: signed when the documents are made, checked on demand."""

from django.core.exceptions import ValidationError

from workflow import audit

from ..documents import pdf_signing
from ..documents.naming import place_name
from ..models import Decision


def check_signing_token() -> None:
    """Before a decision is numbered: a configured token that cannot sign stops the signature with a clear
    message (nothing numbered, nothing marked) rather than leaving a signed decision whose PDF cannot be."""
    try:
        pdf_signing.check_token()
    except pdf_signing.SigningError as exc:
        raise ValidationError(str(exc), code="signing_token") from exc


def sign_decision_pdf(decision: Decision, pdf: bytes) -> pdf_signing.SignedPdf | None:
    """The PAdES-signed PDF of a signed decision, or None when no token is configured (or still a draft)."""
    if not pdf_signing.enabled() or decision.decision_date is None:
        return None
    signer = decision.signed_by.get_full_name() if decision.signed_by else ""
    return pdf_signing.sign_pdf(
        pdf,
        reason=f"Ký ban hành Quyết định số {decision.reference}",
        location=place_name(decision.issuer.name),
        signer_name=signer,
    )


def record_pdf_signature(decision: Decision, signed: pdf_signing.SignedPdf | None) -> list[str]:
    """Note on the (locked) decision whether its stored PDF is signed, and audit the signature with the PDF's
    SHA-256; return the fields to save."""
    decision.pdf_signer = signed.signer if signed else ""
    decision.pdf_signed_at = signed.signed_at if signed else None
    decision.pdf_sha256 = signed.sha256 if signed else ""
    if signed:
        audit.record_transition(
            decision,
            audit.DECISION_PDF_SIGNED,
            data={"file": decision.pdf.name, "sha256": signed.sha256, "signer": signed.signer},
        )
    return ["pdf_signer", "pdf_signed_at", "pdf_sha256"]


def verify_decision_pdf(decision: Decision) -> pdf_signing.Verification | None:
    """pyHanko's verdict on the stored PDF; None when there is no PDF yet."""
    if not decision.pdf:
        return None
    with decision.pdf.open("rb") as f:
        return pdf_signing.verify_pdf(f.read())
