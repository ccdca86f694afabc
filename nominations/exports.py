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


def campaign_summary_xlsx(campaign, summary: dict) -> bytes:
    """The campaign summary (tổng kết) as an Excel workbook, one sheet per breakdown."""
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
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
