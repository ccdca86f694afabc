"""The standing body's Tờ trình asking the chairman to sign the decision."""

from .appendix import render_appendix_pdf
from .data import SubmissionLetterData
from .dates import format_place_date
from .render import concatenate, docx_bytes, pdf_bytes
from .wording import (
    appendix,
    document_number,
    kind_counts,
    prize_rates,
    punctuate,
    total_sentence,
)


def render_submission_letter_docx(data: SubmissionLetterData) -> bytes:
    """The Tờ trình as an editable Word file (Decree 30 layout)."""
    return docx_bytes("to_trinh.docx", submission_letter_context(data))


def render_submission_letter_pdf(data: SubmissionLetterData) -> bytes:
    """The Tờ trình as an A4 PDF, identical in wording to the Word file (list drawn as in the decision)."""
    context = submission_letter_context(data)
    body = pdf_bytes("submission_letter.html", context)
    return concatenate(body, render_appendix_pdf(context["appendix"], title=f"Tờ trình {context['number']}"))


def submission_letter_context(data: SubmissionLetterData) -> dict:
    verb_phrase = f"{data.award_verb} {data.award_name}"
    return {
        "issuer": data.issuer,
        "number": document_number(data.number),
        "place_date": format_place_date(data.place, data.date),
        "doc_type": "TỜ TRÌNH",
        "subject": data.subject,
        "addressee": data.addressee,
        "bases": punctuate(data.legal_bases),
        "paragraphs": [*data.council_summary, *_proposal(data, verb_phrase)],
        "signer": data.signer,
        "recipients": punctuate(data.recipients),
        "appendix": appendix(
            title=data.appendix_title or f"DANH SÁCH CÁC TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ {verb_phrase.upper()}",
            document="Tờ trình",
            number=data.number,
            date=data.date,
            issued_by=data.proposer,
            rows=data.awardees,
        ),
    }


def _proposal(data: SubmissionLetterData, verb_phrase: str) -> list[str]:
    total = sum(row.amount for row in data.awardees)
    paragraphs = [
        f"Căn cứ kết quả họp xét nêu trên, {data.proposer} đề nghị {data.addressee} "
        f"{verb_phrase[0].lower()}{verb_phrase[1:]} cho {kind_counts(data.awardees)} (có danh sách kèm theo) "
        f"{data.achievement}."
    ]
    if total:
        paragraphs.append(f"{prize_rates(data.awardees, data.award_name)}. {total_sentence(total)}.")
    paragraphs.append(f"{data.proposer} kính trình {data.addressee} xem xét, quyết định./.")
    return paragraphs
