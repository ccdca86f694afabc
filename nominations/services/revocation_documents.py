"""The Quyết định hủy bỏ: the document of a revocation, built from what ``decisions.decision_revoke`` recorded."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from workflow import audit

from ..documents import revocation as revocation_docs
from ..documents.data import Issuer, RevocationData, Signer
from ..documents.dates import format_short_date
from ..documents.legal_texts import LOCAL_GOVERNMENT_LAWS, as_bases, in_force
from ..documents.naming import lower_first
from ..models import Decision
from ..selectors import NoRuleInForce, rule_set_on
from .decision_documents import authority_of, award_wording, awardee_rows, filing_mark
from .issuer_names import issuer_names
from .pdf_signatures import record_revocation_pdf_signature, sign_revocation_pdf

FIELDS = ("revocation_docx", "revocation_pdf")


def _signer(decision: Decision) -> Signer:
    """The chairman who revoked, or the deputy who did under a delegation ("KT. CHỦ TỊCH")."""
    name = decision.revoked_by.get_full_name() or decision.revoked_by.username
    if decision.revocation_delegation_id:
        return Signer.deputy(name, title=decision.revocation_delegation.delegate_title)
    return Signer.head(name)


def _revoked(decision: Decision) -> str:
    """ "Quyết định số 01/QĐ-UBND ngày 05/10/2024 của Chủ tịch … về việc …": the decision revoked."""
    subject = lower_first(decision.subject.removeprefix("Về việc ").removeprefix("về việc "))
    return (
        f"Quyết định số {decision.reference} ngày {format_short_date(decision.decision_date)} của "
        f"{authority_of(decision)} về việc {subject}"
    )


def _bases(decision: Decision, day) -> list[str]:
    """The law in force on the revocation's date, the award law the revoked decision applied (Ch. VII provides
    for revocation), then the revoked decision itself."""
    bases = [f"Căn cứ {law}" for law in in_force(LOCAL_GOVERNMENT_LAWS, day)]
    try:
        bases += as_bases(rule_set_on(decision.award_type, decision.decision_date).legal_basis)
    except NoRuleInForce:
        pass
    bases.append(f"Căn cứ {_revoked(decision)}")
    bases.append(f"Theo đề nghị của {issuer_names(decision.issuer, day).proposer}")
    return bases


def revocation_data(decision: Decision) -> RevocationData:
    """What the revocation decision prints; ``decision`` must have been revoked."""
    day = decision.revocation_date or timezone.localdate(decision.revoked_at)
    rows = awardee_rows(decision)
    names = issuer_names(decision.issuer, day)  # the issuer as named on the revocation's date
    # The proposing units are told (Nơi nhận), as ``notices.notify_revocation`` tells them by mail.
    units = sorted(
        set(decision.items.filter(struck=False).values_list("nomination__submission__unit__name", flat=True))
    )
    return RevocationData(
        issuer=Issuer(name=names.header, parent="ỦY BAN NHÂN DÂN"),
        number=decision.revocation_reference,
        place=names.place,
        date=day,
        authority=names.authority,
        subject=f"Về việc hủy bỏ Quyết định số {decision.reference} ngày {format_short_date(decision.decision_date)}",
        legal_bases=_bases(decision, day),
        revoked=_revoked(decision),
        reason=decision.revoke_reason,
        award_name=award_wording(decision.award_type)[1],
        executors=f"{', '.join(names.executors)}, Thủ trưởng các đơn vị và các tập thể, cá nhân có tên tại Điều 1",
        signer=_signer(decision),
        recipients=["Như Điều 3", *units, names.leaders, filing_mark(names)],
        awardees=rows,
    )


def revocation_documents_generate(decision_id: int) -> Decision:
    """Render and store the Quyết định hủy bỏ (DOCX and PDF) of a revoked decision, once.

    As ``decision_documents_generate``: rendered (the PDF signed with the issuer's key) with nothing locked,
    attached under the row lock; a redelivered or concurrent run finds the files and writes nothing.
    """
    decision = Decision.objects.select_related(
        "issuer", "campaign", "award_type", "revoked_by", "revocation_delegation"
    ).get(pk=decision_id)
    if decision.status != Decision.Status.REVOKED or all(getattr(decision, f) for f in FIELDS):
        return decision
    data = revocation_data(decision)
    stem = f"quyet-dinh-huy-bo-{decision.revocation_number}-{decision.revocation_year}"
    pdf = revocation_docs.render_revocation_pdf(data)
    # Signed with the issuer's key before any lock is taken, as the decision's PDF; None without a token.
    signature = sign_revocation_pdf(decision, pdf)
    files = {
        "revocation_docx": (f"{stem}.docx", revocation_docs.render_revocation_docx(data)),
        "revocation_pdf": (f"{stem}.pdf", signature.data if signature else pdf),
    }
    written = []
    try:
        with transaction.atomic():
            current = Decision.objects.select_for_update().get(pk=decision_id)
            if all(getattr(current, f) for f in FIELDS):
                return current
            for field, (name, content) in files.items():
                getattr(current, field).save(name, ContentFile(content), save=False)
                written.append(getattr(current, field).name)
            current.save(update_fields=list(files))
            audit.record_transition(
                current, audit.DECISION_DOCUMENTS, data={"files": written, "revocation": current.revocation_reference}
            )
            if signature:
                record_revocation_pdf_signature(current, signature)
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return current
