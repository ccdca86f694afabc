"""Spreadsheet exports."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

_SHEETS = [
    ("Theo đơn vị", "by_unit", "submission__unit__name", "Đơn vị"),
    ("Theo hình thức", "by_award", "award_type__name", "Hình thức khen thưởng"),
    ("Theo giới tính", "by_gender", "candidate__gender", "Giới tính"),
    ("Theo dân tộc", "by_ethnicity", "candidate__ethnicity", "Dân tộc"),
    ("Trực tiếp lao động", "by_direct_worker", "candidate__direct_worker", "Trực tiếp lao động, sản xuất"),
    ("Theo đối tượng", "by_kind", "candidate__kind", "Đối tượng"),
]
_LABELS = {
    "male": "Nam",
    "female": "Nữ",
    "": "(không ghi)",
    True: "Có",
    False: "Không",
    "individual": "Cá nhân",
    "collective": "Tập thể",
    "household": "Hộ gia đình",
    "enterprise": "Doanh nghiệp",
    None: "(không ghi)",
}


def campaign_summary_xlsx(campaign, summary: dict, *, prizes: dict | None = None, targets=()) -> bytes:
    """The campaign summary (tổng kết) as an Excel workbook, one sheet per breakdown, then the prize money of
    the awards in force and the units' progress on each target."""
    book = Workbook()
    first = book.active
    first.title = "Tổng hợp"
    first.append([campaign.title])
    first["A1"].font = Font(bold=True)
    first.append(["Số đề nghị", summary["totals"]["proposed"]])
    first.append(["Số được khen thưởng", summary["totals"]["awarded"]])
    for title, key, field, header in _SHEETS:
        sheet = book.create_sheet(title)
        sheet.append([header, "Số đề nghị", "Số được khen thưởng"])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in summary[key]:
            sheet.append([_LABELS.get(row[field], row[field]), row["proposed"], row["awarded"]])
        sheet.column_dimensions["A"].width = 48
    if prizes is not None:
        _prize_sheet(book.create_sheet("Tiền thưởng"), prizes)
    if targets:
        _target_sheet(book.create_sheet("Chỉ tiêu"), targets)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _bold_header(sheet, headers) -> None:
    sheet.append(headers)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 48


def _prize_sheet(sheet, prizes: dict) -> None:
    _bold_header(sheet, ["Hình thức khen thưởng", "Đối tượng", "Số khen thưởng còn hiệu lực", "Tiền thưởng (đồng)"])
    for row in prizes["rows"]:
        kind = _LABELS.get(row["candidate__kind"], row["candidate__kind"])
        sheet.append([row["award_type__name"], kind, row["count"], row["amount"]])
    sheet.append(["Tổng cộng", "", prizes["count"], prizes["amount"]])
    sheet[sheet.max_row][0].font = Font(bold=True)


def _target_sheet(sheet, targets) -> None:
    _bold_header(sheet, ["Chỉ tiêu", "Đơn vị tính", "Số đơn vị đăng ký", "Đã đạt", "Đúng tiến độ", "Chậm tiến độ"])
    for line in targets:
        sheet.append(
            [line["target"], line["unit_of_measure"], line["units"], line["done"], line["on_track"], line["behind"]]
        )
