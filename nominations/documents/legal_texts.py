"""The law on the organisation of local government cited first in every decision of a People's Committee's
chairman ("Căn cứ Luật Tổ chức chính quyền địa phương …"), as a dated table: the text in force on the
decision's date is cited, never a constant.

The award law and its decree come from the award's rule set in force on the same date
(``AwardRuleSet.legal_basis``), the campaign's own basis from the campaign: this table holds only what no
record of the product carries. Dates: the 2015 law (amended 2019) until 28/02/2025; Law 65/2025/QH15
from 01/03/2025; Law 72/2025/QH15 (the two-level local government) from 01/07/2025.
"""

import datetime
from typing import NamedTuple

D = datetime.date


class LegalText(NamedTuple):
    valid_from: datetime.date
    valid_to: datetime.date | None
    citation: str


LOCAL_GOVERNMENT_LAWS = (
    LegalText(
        D(2016, 1, 1),
        D(2025, 2, 28),
        "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của "
        "Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019",
    ),
    LegalText(D(2025, 3, 1), D(2025, 6, 30), "Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025"),
    LegalText(D(2025, 7, 1), None, "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025"),
)


def in_force(table, day: datetime.date) -> list[str]:
    """The citations of ``table`` in force on ``day``."""
    return [t.citation for t in table if t.valid_from <= day and (t.valid_to is None or day <= t.valid_to)]


def as_bases(text: str) -> list[str]:
    """ "Luật …; Nghị định …" → ["Căn cứ Luật …", "Căn cứ Nghị định …"]: each basis is its own line.

    A basis already worded ("Căn cứ …", "Thực hiện …") is kept as written.
    """
    lines = []
    for part in text.replace("\n", ";").split(";"):
        part = part.strip().rstrip(".")
        if not part:
            continue
        worded = part.split(" ", 1)[0] in ("Căn", "Thực", "Xét", "Theo")
        lines.append(part if worded else f"Căn cứ {part}")
    return lines
