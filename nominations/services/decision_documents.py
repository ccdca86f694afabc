"""The decision's documents and certificates, built from the signed decision."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from workflow import audit

from ..documents import certificates as cert_docs
from ..documents import decision as decision_docs
from ..documents import submission as letter_docs
from ..documents.data import AwardeeRow, CertificateData, DecisionData, Issuer, Signer, SubmissionLetterData
from ..documents.legal_texts import LOCAL_GOVERNMENT_LAWS, as_bases, in_force
from ..documents.naming import lower_first
from ..models import AwardType, Certificate, Decision, Membership, Role
from ..selectors import NoRuleInForce, rule_set_on
from .decisions import letter_reference
from .issuer_names import STANDING_BODY, IssuerNames, issuer_names
from .pdf_signatures import record_pdf_signature, sign_decision_pdf


def names_of(decision: Decision) -> IssuerNames:
    """The issuer's names on the decision's date (its Tờ trình's unit as the standing body)."""
    return issuer_names(decision.issuer, _day(decision), standing=decision.letter_unit)


def _issuer(decision: Decision) -> Issuer:
    return Issuer(name=names_of(decision).header, parent="ỦY BAN NHÂN DÂN")


def _signer(decision: Decision) -> Signer:
    user = decision.signed_by
    name = user.get_full_name() if user else ""
    if decision.delegation_id:
        return Signer.deputy(name, title=decision.delegation.delegate_title)
    if user is None:
        chairman = Membership.objects.filter(unit=decision.issuer, role=Role.CHAIRMAN).select_related("user").first()
        name = chairman.user.get_full_name() if chairman else ""
    return Signer.head(name)


def awardee_rows(decision: Decision, *, proposed: bool = False) -> list[AwardeeRow]:
    """The awardees; with ``proposed``, everyone the council passed, as the Tờ trình proposed them before the
    chairman struck any name (the proposal is never rewritten after the decision)."""
    items = decision.items.all() if proposed else decision.items.filter(struck=False)
    items = items.select_related("nomination__candidate", "nomination__submission__unit")
    rows = []
    for number, item in enumerate(items, start=1):
        person = item.nomination.candidate
        place = ", ".join(filter(None, [person.position, item.nomination.submission.unit.name]))
        rows.append(
            AwardeeRow(
                number=number,
                name=person.name,
                position_unit=place,
                award_name=decision.award_type.name,
                amount=item.prize_amount,
                kind=person.kind,
            )
        )
    return rows


def _day(decision: Decision):
    """The date the law ties the documents to: the signing date, or today for a draft."""
    return decision.decision_date or timezone.localdate()


def _bases(decision: Decision) -> list[str]:
    """Căn cứ lines: the local-government law, the award's law and decree (its rule set), then the campaign.

    Everything is read as in force on the decision's date, so a 2024 decision cites Nghị định 98/2023 and a
    2026 one the decree of its rule set; the last line says whose proposal the decision answers.
    """
    day = _day(decision)
    bases = [f"Căn cứ {law}" for law in in_force(LOCAL_GOVERNMENT_LAWS, day)]
    try:
        bases += as_bases(rule_set_on(decision.award_type, day).legal_basis)
    except NoRuleInForce:
        pass  # a draft outside every rule set: signing refuses it; the preview shows what there is
    if decision.campaign.legal_basis:
        bases += as_bases(decision.campaign.legal_basis)
    bases.append(f"Theo đề nghị của {names_of(decision).proposer}")
    return bases


def authority_of(decision: Decision) -> str:
    """ "Chủ tịch Ủy ban nhân dân thành phố Lạng Sơn": the issuer as named on the decision's date."""
    return names_of(decision).authority


def filing_mark(names: IssuerNames) -> str:
    """ "Lưu: VT, NV": the clerical office and the standing body that keeps the file."""
    body = names.standing_body
    return f"Lưu: VT, {body.short_name if body and body.short_name else 'NV'}"


def award_wording(award_type: AwardType) -> tuple[str, str]:
    """(verb, award name): "Tặng" "Giấy khen"; a title or an honour is recognised, not given:
    "Công nhận" "danh hiệu “Công dân tiêu biểu”"."""
    if award_type.form in (AwardType.Form.TITLE, AwardType.Form.HONOUR):
        return "Công nhận", f"danh hiệu “{award_type.name}”"
    return "Tặng", award_type.name.split(" của ")[0]


def decision_data(decision: Decision) -> DecisionData:
    verb, award_name = award_wording(decision.award_type)
    rows = awardee_rows(decision)
    # Điều 2 (the money) is left out when nobody gets any: the executing article is then Điều 2.
    executing_article = 3 if any(row.amount for row in rows) else 2
    names = names_of(decision)
    return DecisionData(
        issuer=_issuer(decision),
        number=decision.reference,
        place=names.place,
        date=decision.decision_date,
        authority=authority_of(decision),
        subject=decision.subject,
        legal_bases=_bases(decision),
        award_verb=verb,
        award_name=award_name,
        achievement=f"đã có thành tích xuất sắc trong {lower_first(decision.campaign.title)}",
        funding_source=decision.funding_source,
        executors=f"{', '.join(names.executors)} và các tập thể, cá nhân có tên tại Điều 1",
        signer=_signer(decision),
        recipients=[f"Như Điều {executing_article}", names.leaders, filing_mark(names)],
        awardees=rows,
    )


def _letter_issuer(decision: Decision) -> Issuer:
    """The standing body that issued the Tờ trình, under its People's Committee."""
    names = names_of(decision)
    unit = names.standing_body
    if unit is None:  # no standing body in the data: the committee's own letter
        return _issuer(decision)
    return Issuer(name=unit.name.upper(), parent=f"UBND {names.header}", parent_is_superior=True)


def _own_title(title: str, unit_name: str) -> str:
    """A title as the unit's own document prints it: "Phó Giám đốc Sở Nội vụ" → "Phó Giám đốc" in a document of
    the Sở Nội vụ, "Phó Trưởng phòng Nội vụ" → "Phó Trưởng phòng" in one of the Phòng Nội vụ."""
    proper = unit_name.split(" ", 1)[-1]
    for suffix in (unit_name, proper):
        if title.endswith(" " + suffix):
            return title[: -len(suffix) - 1]
    return title


def _proposer(decision: Decision) -> str:
    unit = names_of(decision).standing_body
    return unit.name if unit else STANDING_BODY


def letter_signer(decision: Decision) -> Signer:
    """Who signs the Tờ trình: the drafter, with their title in the standing body on its date ("KT. TRƯỞNG
    PHÒNG / PHÓ TRƯỞNG PHÒNG" when a deputy head signs)."""
    user, unit = decision.drafted_by, decision.letter_unit or decision.issuer
    day = decision.letter_date or _day(decision)
    seat = (
        Membership.objects.filter(user=user, unit=unit, valid_from__lte=day)
        .exclude(valid_to__lt=day)
        .exclude(title="")
        .order_by("pk")
        .first()
    )
    name = user.get_full_name() or user.username
    title = _own_title(seat.title, unit.name) if seat else "Trưởng phòng"
    if title.startswith("Phó "):
        return Signer.deputy(name, head=title[4:].upper(), title=title.upper())
    return Signer.head(name, title=title.upper())


def letter_data(decision: Decision) -> SubmissionLetterData:
    """The Tờ trình as the standing body issued it with the draft: its own number and date, every name the
    council passed (a name the chairman struck later stays proposed)."""
    passed = decision.items.count()
    issuer = _letter_issuer(decision)
    return SubmissionLetterData(
        issuer=issuer,
        number=letter_reference(decision),
        place=names_of(decision).place,
        date=decision.letter_date or _day(decision),
        proposer=_proposer(decision),
        addressee=authority_of(decision),
        subject=decision.subject,
        legal_bases=_bases(decision)[:-1],
        council_summary=[f"Hội đồng Thi đua – Khen thưởng đã họp xét và biểu quyết thông qua {passed} trường hợp."],
        award_verb=award_wording(decision.award_type)[0],
        award_name=award_wording(decision.award_type)[1],
        achievement=decision_data(decision).achievement,
        signer=letter_signer(decision),
        recipients=["Như trên", filing_mark(names_of(decision))],
        awardees=awardee_rows(decision, proposed=True),
    )


DOCUMENT_FIELDS = ("docx", "pdf", "letter_docx", "letter_pdf")
LETTER_FIELDS = ("letter_docx", "letter_pdf")


def _has_documents(decision: Decision) -> bool:
    return all(getattr(decision, field) for field in DOCUMENT_FIELDS)


def decision_documents_generate(decision_id: int, *, replace: bool = False) -> Decision:
    """Render and store the Quyết định and the Tờ trình (DOCX and PDF); safe to run twice, or twice at once.

    Rendering (the slow part) happens with no transaction open and no row
    locked. The row is then locked only to attach the files. The first run
    to get there stores its files; a later or concurrent run finds them and
    writes nothing (a redelivered task is a no-op). With ``replace`` the
    decision is made again and the old files deleted once that commits; the
    Tờ trình never is: it stays as the standing body proposed it.
    """
    decision = Decision.objects.select_related("issuer", "campaign", "award_type", "signed_by", "delegation").get(
        pk=decision_id
    )
    if _has_documents(decision) and not replace:
        return decision
    files = _render_documents(decision, letter=not _has_letter(decision))
    # Signed with the token before any lock is taken; only the run that stores its files is kept (signed once).
    signature = sign_decision_pdf(decision, files["pdf"][1])
    if signature:
        files["pdf"] = (files["pdf"][0], signature.data)
    written = []
    try:
        with transaction.atomic():
            current = Decision.objects.select_for_update().get(pk=decision_id)
            if _has_documents(current) and not replace:
                return current  # another run stored its documents while this one rendered
            if _has_letter(current):  # stored by a concurrent run: kept as it is
                files = {f: v for f, v in files.items() if f not in LETTER_FIELDS}
            old = [getattr(current, field).name for field in files if getattr(current, field)]
            for field, (name, content) in files.items():
                getattr(current, field).save(name, ContentFile(content), save=False)
                written.append(getattr(current, field).name)
            current.save(update_fields=[*files, *record_pdf_signature(current, signature)])
            audit.record_transition(
                current, audit.DECISION_DOCUMENTS, data={"files": [current.docx.name, current.pdf.name]}
            )
            if old:  # replaced: the previous files go once the new ones are committed
                transaction.on_commit(lambda: _delete_files(old))
    except BaseException:
        _delete_files(written)  # nothing points at them
        raise
    return current


def _has_letter(decision: Decision) -> bool:
    return all(getattr(decision, field) for field in LETTER_FIELDS)


def _render_documents(decision: Decision, *, letter: bool = True) -> dict[str, tuple[str, bytes]]:
    """Field name -> (file name, bytes), for the decision and, with ``letter``, the Tờ trình."""
    data = decision_data(decision)
    stem = f"quyet-dinh-{decision.number or 'du-thao'}-{decision.year or ''}"
    files = {
        "docx": (f"{stem}.docx", decision_docs.render_decision_docx(data)),
        "pdf": (f"{stem}.pdf", decision_docs.render_decision_pdf(data)),
    }
    if letter:
        proposal = letter_data(decision)
        files["letter_docx"] = (f"to-trinh-{decision.pk}.docx", letter_docs.render_submission_letter_docx(proposal))
        files["letter_pdf"] = (f"to-trinh-{decision.pk}.pdf", letter_docs.render_submission_letter_pdf(proposal))
    return files


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def verification_url(certificate: Certificate) -> str:
    return settings.THIDUA_PUBLIC_BASE_URL.rstrip("/") + reverse("verify", args=[certificate.code])


def _certificate_data(certificate: Certificate, common: DecisionData) -> CertificateData:
    item, decision = certificate.item, certificate.item.decision
    person = item.nomination.candidate
    return CertificateData(
        recipient_name=person.name,
        unit=", ".join(filter(None, [person.position, item.nomination.submission.unit.name])),
        award_name=decision.award_type.name.split(" của ")[0].upper(),
        achievement=common.achievement[0].upper() + common.achievement[1:],
        decision_number=decision.reference,
        decision_date=decision.decision_date,
        place=common.place,
        authority=common.authority,
        signer=common.signer,
        verification_url=verification_url(certificate),
        honorific={"male": "Ông", "female": "Bà"}.get(person.gender, "Tập thể" if person.kind != "individual" else ""),
    )


def certificates_pending(decision: Decision):
    """Awardees of the decision whose certificate file is not made yet."""
    return decision.items.filter(struck=False).exclude(certificate__generated_at__isnull=False)


def certificates_generate(decision_id: int, *, batch: int = 20) -> int:
    """Make the missing certificates, ``batch`` at a time, each batch committed; return how many were made.

    Idempotent: a certificate already made is never made again, so a
    redelivered or restarted task just finishes the rest.
    """
    made = 0
    decision = Decision.objects.select_related("issuer", "campaign", "award_type", "signed_by", "delegation").get(
        pk=decision_id
    )
    common = decision_data(decision)
    while True:
        with transaction.atomic():
            items = list(
                certificates_pending(decision)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("nomination__candidate", "nomination__submission__unit")[:batch]
            )
            if not items:
                return made
            certificates = [Certificate.objects.get_or_create(item=item)[0] for item in items]
            for certificate in certificates:
                certificate.item.decision = decision
            files = cert_docs.render_certificate_pdfs([_certificate_data(c, common) for c in certificates])
            now = timezone.now()
            for certificate, pdf in zip(certificates, files, strict=True):
                certificate.pdf.save(f"giay-khen-{certificate.code}.pdf", ContentFile(pdf), save=False)
                certificate.generated_at = now
                certificate.save(update_fields=["pdf", "generated_at"])
            made += len(certificates)


def certificates_progress(decision: Decision) -> tuple[int, int]:
    total = decision.items.filter(struck=False).count()
    done = Certificate.objects.filter(item__decision=decision, generated_at__isnull=False).count()
    return done, total
