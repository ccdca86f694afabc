"""Vietnamese sentences shared by the DOCX and PDF versions of a document.

Both formats render the same context, so the wording is decided once here
and the two files cannot drift apart.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .data import COLLECTIVE, ENTERPRISE, HOUSEHOLD, INDIVIDUAL, AwardeeRow
from .dates import format_date
from .money import format_number, format_vnd, vnd_in_words

_KIND_NOUNS = {COLLECTIVE: "tập thể", ENTERPRISE: "doanh nghiệp", HOUSEHOLD: "hộ gia đình", INDIVIDUAL: "cá nhân"}
_KIND_ORDER = (COLLECTIVE, ENTERPRISE, HOUSEHOLD, INDIVIDUAL)


def punctuate(lines: Iterable[str], *, sep: str = ";", end: str = ".") -> list[str]:
    """Legal bases and recipient lists end in ";" except the last, which ends in "."."""
    cleaned = [line.strip().rstrip(".;,") for line in lines if line.strip()]
    return [f"{line}{end if i == len(cleaned) - 1 else sep}" for i, line in enumerate(cleaned)]


def count(n: int) -> str:
    """Counts below ten take a leading zero in administrative text: "02 tập thể"."""
    return f"{n:02d}"


def kind_counts(rows: Sequence[AwardeeRow]) -> str:
    """ "02 tập thể và 15 cá nhân": who the document is about, collectives first."""
    parts = []
    for kind in _KIND_ORDER:
        n = sum(1 for row in rows if row.kind == kind)
        if n:
            parts.append(f"{count(n)} {_KIND_NOUNS[kind]}")
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} và {parts[-1]}"


def prize_rates(rows: Sequence[AwardeeRow], award_name: str) -> str:
    """ "Mỗi tập thể … 1.404.000 đồng; mỗi cá nhân … 702.000 đồng", or a pointer to the list."""
    amounts = {}
    for row in rows:
        amounts.setdefault(row.kind, set()).add(row.amount)
    if any(len(values) > 1 for values in amounts.values()):
        return f"Tiền thưởng kèm theo {award_name} theo mức ghi tại danh sách kèm theo"
    rates = [
        f"mỗi {_KIND_NOUNS[kind]} được thưởng {format_vnd(next(iter(amounts[kind])))}"
        for kind in _KIND_ORDER
        if kind in amounts
    ]
    text = "; ".join(rates)
    return f"Kèm theo {award_name}, {text}"


def total_sentence(total: int) -> str:
    return f"Tổng số tiền thưởng: {format_vnd(total)} (Bằng chữ: {vnd_in_words(total)})"


@dataclass(frozen=True)
class ListLine:
    """A row of the rendered awardee table: a group heading or an awardee."""

    heading: str = ""
    number: str = ""
    name: str = ""
    position_unit: str = ""
    award_name: str = ""
    amount: str = ""


def awardee_lines(rows: Sequence[AwardeeRow]) -> list[ListLine]:
    """Table lines with a heading row whenever the group changes."""
    lines, group = [], ""
    for row in rows:
        if row.group and row.group != group:
            lines.append(ListLine(heading=row.group))
        group = row.group
        lines.append(
            ListLine(
                number=str(row.number),
                name=row.name,
                position_unit=row.position_unit,
                award_name=row.award_name,
                amount=format_number(row.amount),
            )
        )
    return lines


def appendix(*, title: str, document: str, number: str, date, issued_by: str, rows: Sequence[AwardeeRow]) -> dict:
    """The awardee list attached to a document, with its "(Kèm theo …)" line."""
    return {
        "title": title,
        "reference": f"(Kèm theo {document} số {document_number(number)} {format_date(date)} của {issued_by})",
        "lines": awardee_lines(rows),
        "total": format_number(sum(row.amount for row in rows)),
    }


def percent(part: int, whole: int) -> str:
    """ "77,78%": two decimals with a decimal comma, as Vietnamese writes them."""
    if not whole:
        return "0%"
    value = f"{part * 100 / whole:.2f}".replace(".", ",")
    return f"{value.rstrip('0').rstrip(',')}%"


def document_number(number: str) -> str:
    """ "123/QĐ-UBND"; an unnumbered draft ("/QĐ-UBND") keeps room for the number."""
    return f"{NUMBER_BLANK}{number}" if number.startswith("/") else number


# Numbers are reserved only at signing, so drafts print a blank to write in.
NUMBER_BLANK = "\u00a0" * 8
