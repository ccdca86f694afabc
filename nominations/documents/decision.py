"""The commendation decision (Quyết định) with its awardee appendix."""

from .appendix import render_appendix_pdf
from .data import DecisionData
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


def render_decision_docx(data: DecisionData) -> bytes:
    """The decision as an editable Word file (Decree 30 layout)."""
    return docx_bytes("quyet_dinh.docx", decision_context(data))


def render_decision_pdf(data: DecisionData) -> bytes:
    """The decision as an A4 PDF, identical in wording to the Word file.

    The two-page body is laid out by WeasyPrint, the awardee list by
    ReportLab (``appendix``: hundreds of rows in well under a second).
    """
    context = decision_context(data)
    body = pdf_bytes("decision.html", context)
    return concatenate(body, render_appendix_pdf(context["appendix"], title=f"Quyết định {context['number']}"))


def decision_context(data: DecisionData) -> dict:
    """Everything both templates print, already worded and punctuated."""
    return {
        "issuer": data.issuer,
        "number": document_number(data.number),
        "place_date": format_place_date(data.place, data.date),
        "doc_type": "QUYẾT ĐỊNH",
        "subject": data.subject,
        "authority_heading": data.authority.upper(),
        "bases": punctuate(data.legal_bases),
        "articles": decision_articles(data),
        "signer": data.signer,
        "recipients": punctuate(data.recipients),
        "appendix": appendix(
            title=data.appendix_title or f"DANH SÁCH CÁC TẬP THỂ, CÁ NHÂN ĐƯỢC {_verb_phrase(data).upper()}",
            document="Quyết định",
            number=data.number,
            date=data.date,
            issued_by=data.authority,
            rows=data.awardees,
        ),
    }


def decision_articles(data: DecisionData) -> list[dict]:
    """Điều 1 names the awardees, Điều 2 the money (omitted when there is none), then execution."""
    total = sum(row.amount for row in data.awardees)
    bodies = [f"{_verb_phrase(data)} cho {kind_counts(data.awardees)} (có danh sách kèm theo) {data.achievement}."]
    if total:
        rates = prize_rates(data.awardees, data.award_name)
        bodies.append(f"{rates}. {total_sentence(total)}. Nguồn kinh phí: {data.funding_source}.")
    bodies.append(
        f"Quyết định này có hiệu lực kể từ ngày ký. {data.executors} chịu trách nhiệm thi hành Quyết định này./."
    )
    return [{"label": f"Điều {i}.", "text": body} for i, body in enumerate(bodies, start=1)]


def _verb_phrase(data: DecisionData) -> str:
    return f"{data.award_verb} {data.award_name}"
