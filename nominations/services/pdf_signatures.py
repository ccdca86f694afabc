"""The issuer's digital signature on a decision's PDFs (the decision, and the revocation decision): signed when
the documents are made, with the issuer's own key, and checked on demand."""

from django.core.exceptions import ValidationError

from workflow import audit

from ..documents import pdf_signing
from ..models import Decision, OrgUnit
from .issuer_names import issuer_names


def issuer_key(issuer: OrgUnit) -> str:
    """The label of the issuer's key in the token (``THIDUA_PKCS11_KEY_LABELS``); raises ``SigningError``."""
    return pdf_signing.key_label(issuer.code, issuer.name)


def check_signing_token(issuer: OrgUnit) -> None:
    """Before a decision (or its revocation) is numbered: a configured token that cannot sign with the issuer's
    key stops the signature with a clear message (nothing numbered, nothing marked) rather than leaving a signed
    decision whose PDF cannot be."""
    if not pdf_signing.enabled():
        return
    try:
        pdf_signing.check_token(issuer_key(issuer))
    except pdf_signing.SigningError as exc:
        raise ValidationError(str(exc), code="signing_token") from exc


def _sign(decision: Decision, pdf: bytes, *, reason: str, signer, day) -> pdf_signing.SignedPdf:
    return pdf_signing.sign_pdf(
        pdf,
        reason=reason,
        location=issuer_names(decision.issuer, day).place,
        signer_name=(signer.get_full_name() if signer else ""),
        label=issuer_key(decision.issuer),
    )


def sign_decision_pdf(decision: Decision, pdf: bytes) -> pdf_signing.SignedPdf | None:
    """The PAdES-signed PDF of a signed decision, or None when no token is configured (or still a draft)."""
    if not pdf_signing.enabled() or decision.decision_date is None:
        return None
    reason = f"Ký ban hành Quyết định số {decision.reference}"
    return _sign(decision, pdf, reason=reason, signer=decision.signed_by, day=decision.decision_date)


def sign_revocation_pdf(decision: Decision, pdf: bytes) -> pdf_signing.SignedPdf | None:
    """The PAdES-signed PDF of the revocation decision (Quyết định hủy bỏ), with the same issuer's key as the
    decision it revokes; None when no token is configured."""
    if not pdf_signing.enabled() or decision.status != Decision.Status.REVOKED:
        return None
    reason = f"Ký ban hành Quyết định số {decision.revocation_reference} (hủy bỏ Quyết định số {decision.reference})"
    return _sign(
        decision, pdf, reason=reason, signer=decision.revoked_by, day=decision.revocation_date or decision.decision_date
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


def record_revocation_pdf_signature(decision: Decision, signed: pdf_signing.SignedPdf) -> None:
    """Audit the revocation PDF's signature with its SHA-256 (the file's own signature is what pages check)."""
    audit.record_transition(
        decision,
        audit.DECISION_PDF_SIGNED,
        data={
            "file": decision.revocation_pdf.name,
            "sha256": signed.sha256,
            "signer": signed.signer,
            "revocation": decision.revocation_reference,
        },
    )


def _verify(field) -> pdf_signing.Verification | None:
    if not field:
        return None
    with field.open("rb") as f:
        return pdf_signing.verify_pdf(f.read())


def verify_decision_pdf(decision: Decision) -> pdf_signing.Verification | None:
    """pyHanko's verdict on the stored PDF; None when there is no PDF yet."""
    return _verify(decision.pdf)


def verify_revocation_pdf(decision: Decision) -> pdf_signing.Verification | None:
    """pyHanko's verdict on the stored revocation PDF; None when there is none (not revoked, or not made yet)."""
    return _verify(decision.revocation_pdf)
