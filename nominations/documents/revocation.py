"""The decision revoking an award decision (Quyết định hủy bỏ), Law on emulation and commendation, Ch. VII."""

from .data import RevocationData
from .dates import format_place_date
from .render import docx_bytes, pdf_bytes
from .wording import document_number, kind_counts, punctuate, total_sentence


def render_revocation_docx(data: RevocationData) -> bytes:
    """The revocation as an editable Word file (Decree 30 layout)."""
    return docx_bytes("quyet_dinh_huy_bo.docx", revocation_context(data))


def render_revocation_pdf(data: RevocationData) -> bytes:
    """The revocation as an A4 PDF, identical in wording to the Word file."""
    return pdf_bytes("decision.html", revocation_context(data))  # the decision's page, without a list


def revocation_context(data: RevocationData) -> dict:
    return {
        "issuer": data.issuer,
        "number": document_number(data.number),
        "place_date": format_place_date(data.place, data.date),
        "doc_type": "QUYẾT ĐỊNH",
        "subject": data.subject,
        "authority_heading": data.authority.upper(),
        "bases": punctuate(data.legal_bases),
        "articles": revocation_articles(data),
        "signer": data.signer,
        "recipients": punctuate(data.recipients),
    }


def revocation_articles(data: RevocationData) -> list[dict]:
    """Điều 1 revokes the decision for the awardees named one per line, with the reason; Điều 2 recovers the
    award (and the money, when there was any); Điều 3 executes. A line without a label continues Điều 1."""
    total = sum(row.amount for row in data.awardees)
    names = [
        {"label": "", "text": f"{row.number}. {row.name}{', ' + row.position_unit if row.position_unit else ''};"}
        for row in data.awardees
    ]
    if names:
        names[-1]["text"] = names[-1]["text"][:-1] + "."
    recovered = f"Thu hồi {data.award_name} đã cấp"
    if total:
        recovered += f" và số tiền thưởng đã chi theo {_short(data.revoked)}. {total_sentence(total)}"
    return [
        {"label": "Điều 1.", "text": f"Hủy bỏ {data.revoked} đối với {kind_counts(data.awardees)} có tên sau:"},
        *names,
        {"label": "", "text": f"Lý do: {data.reason.strip().rstrip('.')}."},
        {"label": "Điều 2.", "text": f"{recovered}."},
        {
            "label": "Điều 3.",
            "text": f"Quyết định này có hiệu lực kể từ ngày ký. {data.executors} chịu trách nhiệm thi hành "
            "Quyết định này./.",
        },
    ]


def _short(revoked: str) -> str:
    """ "Quyết định số 01/QĐ-UBND ngày …" without its "về việc …" tail."""
    return revoked.split(" của ", 1)[0]
