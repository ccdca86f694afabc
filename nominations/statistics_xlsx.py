"""The TT 02/2023/TT-BNV forms as one Excel workbook, a sheet per form, headed as the circular's forms are
("Biểu số 0601.N/BNV-TĐKT", reporting and receiving unit, period). The heading is the circular's pattern;
the cell layout follows ``nominations.statistics`` (inferred, see there)."""

import hashlib
import io

from django.core.cache import cache
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from .models import Campaign
from .statistics import DURATIONS, OFFICE_NOTE, Report, columns_of

TITLES = {
    "0601": gettext_lazy("Số phong trào thi đua"),
    "0602": gettext_lazy("Khen thưởng cấp Nhà nước"),
    "0603": gettext_lazy("Khen thưởng cấp bộ, ban, ngành, tỉnh"),
    "local": gettext_lazy("Khen thưởng cấp huyện, xã, cơ sở (bổ sung, không thuộc biểu mẫu)"),
    "0604": gettext_lazy("Tổ chức làm công tác thi đua, khen thưởng"),
    "0605": gettext_lazy("Công chức, viên chức làm công tác thi đua, khen thưởng"),
}


BOLD = Font(bold=True)
HEADER = Alignment(wrap_text=True, vertical="top")


def _styled(sheet, value, alignment=None):
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = BOLD
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _sheet(book, title: str):
    """A sheet in write-only mode (rows streamed to the file: a small workbook costs about half the time);
    its first column's width is set before any row, as that mode requires."""
    sheet = book.create_sheet(title)
    sheet.column_dimensions["A"].width = 44
    return sheet


def _head(sheet, report: Report, form: str) -> None:
    number = _("Biểu số %(f)s.N/BNV-TĐKT") % {"f": form} if form != "local" else _("Bảng bổ sung")
    sheet.append([_styled(sheet, number), "", _styled(sheet, str(TITLES[form]))])
    sheet.append([_("Đơn vị báo cáo: %(u)s") % {"u": report.issuer.name}])
    sheet.append([_("Đơn vị nhận báo cáo: Bộ Nội vụ")])
    sheet.append([_("Năm %(y)s (số liệu từ 01/01 đến 31/12)") % {"y": report.year}])
    sheet.append([])


def _table(sheet, headers, rows) -> None:
    sheet.append([_styled(sheet, header, HEADER) for header in headers])
    for row in rows:
        sheet.append(row)


def _awards(sheet, report: Report, form: str) -> None:
    columns = columns_of(form)
    headers = [_("Hình thức khen thưởng"), *(label for _key, label in columns)]
    tables = report.awards[form]
    _table(sheet, headers, [[r.label, *(r.cells[k] for k, _l in columns)] for r in tables["by_form"]])
    sheet.append([])
    headers[0] = _("Loại hình khen thưởng")
    _table(sheet, headers, [[r.label, *(r.cells[k] for k, _l in columns)] for r in tables["by_method"]])


CACHE_SECONDS = 300


def fingerprint(report: Report) -> str:
    """A digest of everything the workbook shows: the issuer and year, every figure with its row's label, and
    the language of the headings. The figures are read afresh for each request (a decision revoked by a raw
    write leaves them at once); only the writing of the file is saved when they are what they were."""
    shown = (report.issuer.pk, report.issuer.name, report.year, get_language(), report.movements, report.awards)
    shown += (report.offices, report.staff)
    return hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()


def tt02_xlsx_cached(report: Report) -> bytes:
    """``tt02_xlsx``, kept a few minutes under its figures' ``fingerprint``: the same figures give the same
    file without openpyxl writing it again (most of the export's time), other figures another key."""
    key = f"tt02-xlsx:{fingerprint(report)}"
    content = cache.get(key)
    if content is None:
        content = tt02_xlsx(report)
        cache.set(key, content, CACHE_SECONDS)
    return content


def tt02_xlsx(report: Report) -> bytes:
    book = Workbook(write_only=True)
    sheet = _sheet(book, "0601")
    _head(sheet, report, "0601")
    labels = [*DURATIONS.values(), *Campaign.Method.labels]
    headers = [_("Phạm vi"), _("Tổng số"), *(str(label) for label in labels)]
    keys = ["total", *DURATIONS, *Campaign.Method.values]
    _table(sheet, headers, [[r.label, *(r.cells[k] for k in keys)] for r in report.movements])
    for form in ("0602", "0603", "local"):
        sheet = _sheet(book, form if form != "local" else _("Cấp cơ sở"))
        _head(sheet, report, form)
        _awards(sheet, report, form)
    for form, rows, heading in (
        ("0604", report.offices, _("Số đơn vị có bộ phận làm công tác thi đua, khen thưởng")),
        ("0605", report.staff, _("Số người làm công tác thi đua, khen thưởng")),
    ):
        sheet = _sheet(book, form)
        _head(sheet, report, form)
        _table(sheet, [_("Cấp"), heading], [[r.label, r.cells["total"]] for r in rows])
        if form == "0605":
            sheet.append([])
            sheet.append([str(OFFICE_NOTE)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
