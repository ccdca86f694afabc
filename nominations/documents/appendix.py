"""The awardee list (danh sách kèm theo) as PDF pages, drawn with ReportLab.

WeasyPrint lays out a table cell by cell through the CSS box model, about
9 ms a row: 4-5 s for a 500-awardee list (bench/README.md). ReportLab's
platypus table places the same rows in a fraction of that, so the list is
drawn here and appended to the WeasyPrint body (``render.concatenate``).

The layout copies ``_portrait.css``: A4 portrait, margins 20/15/20/30 mm
(Decree 30/2020, Appendix I), Liberation Serif (metric-compatible with
Times New Roman) 14 pt for the title, 13 pt in the table, 0.75 pt rules.
Decree 30 numbers an appendix on its own: its pages count from 1, the
number is centred at the top and not printed on its first page.
"""

import functools
import io
import subprocess
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, LongTable, PageTemplate, Paragraph, Spacer, TableStyle

from .wording import ListLine

FAMILY = "Liberation Serif"
_STYLES = {"": "Regular", "-Bold": "Bold", "-Italic": "Italic", "-BoldItalic": "BoldItalic"}
# Debian's fonts-liberation (1.x) has no glyphs for most Vietnamese letters;
# asking fontconfig for Vietnamese coverage picks the fonts-liberation2 files.
_FC_PATTERN = f":family={FAMILY}:lang=vi"

MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT = 20 * mm, 15 * mm, 20 * mm, 30 * mm
RULE = 0.75
PADDING = 4  # left and right in a cell, as ``padding: 2pt 4pt``
TITLE_SIZE, TABLE_SIZE, NUMBER_SIZE = 14, 13, 13
COLUMNS = (0.08, 0.30, 0.32, 0.14, 0.16)  # STT, name, position and unit, award, amount
HEADER = ("STT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị", "Hình thức khen thưởng", "Số tiền (đồng)")


@functools.cache
def font_name() -> str:
    """Register the four Liberation Serif faces once per process; return the family name for ReportLab."""
    files = _font_files()
    name = FAMILY.replace(" ", "")
    for suffix, style in _STYLES.items():
        pdfmetrics.registerFont(TTFont(f"{name}{suffix}", files[style]))
    pdfmetrics.registerFontFamily(
        name, normal=name, bold=f"{name}-Bold", italic=f"{name}-Italic", boldItalic=f"{name}-BoldItalic"
    )
    return name


def _font_files() -> dict[str, str]:
    try:
        listed = subprocess.run(["fc-list", _FC_PATTERN, "file"], capture_output=True, text=True, check=False)
        paths = [Path(line.split(":", 1)[0].strip()) for line in listed.stdout.splitlines()]
    except FileNotFoundError:  # no fontconfig tools: where Debian's fonts-liberation2 puts them
        paths = list(Path("/usr/share/fonts").glob("**/liberation2/LiberationSerif-*.ttf"))
    files = {}
    for path in paths:
        stem = path.stem.removeprefix("LiberationSerif-")
        if path.suffix.lower() == ".ttf" and stem in _STYLES.values():
            files[stem] = str(path)
    missing = set(_STYLES.values()) - set(files)
    if missing:
        raise RuntimeError(f"{FAMILY} with Vietnamese glyphs not found ({sorted(missing)}): install fonts-liberation2")
    return files


def render_appendix_pdf(appendix: dict, *, title: str = "") -> bytes:
    """The list built by ``wording.appendix`` (title, reference, lines, total) as PDF pages."""
    font = font_name()
    out = io.BytesIO()
    width, height = A4
    frame = Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        width - MARGIN_LEFT - MARGIN_RIGHT,
        height - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc = BaseDocTemplate(
        out,
        pagesize=A4,
        title=title,
        creator="thidua",
        initialFontName=font,  # else every page also lists Helvetica
        pageTemplates=[PageTemplate("appendix", frames=[frame], onPage=functools.partial(_page_number, font))],
    )
    doc.build(_story(appendix, font, frame.width))
    return out.getvalue()


def _page_number(font: str, canvas, doc) -> None:
    """Centred at the top, 4 mm above the text, from the second page on."""
    if doc.page == 1:
        return
    width, height = doc.pagesize
    canvas.setFont(font, NUMBER_SIZE)
    canvas.drawCentredString(
        MARGIN_LEFT + (width - MARGIN_LEFT - MARGIN_RIGHT) / 2, height - MARGIN_TOP + 4 * mm + 3, str(doc.page)
    )


def _story(appendix: dict, font: str, width: float) -> list[Flowable]:
    title = ParagraphStyle(
        "title", fontName=f"{font}-Bold", fontSize=TITLE_SIZE, leading=TITLE_SIZE * 1.25, alignment=TA_CENTER
    )
    reference = ParagraphStyle("reference", parent=title, fontName=f"{font}-Italic")
    return [
        Paragraph(_markup(appendix["title"]), title),
        Paragraph(_markup(appendix["reference"]), reference),
        Spacer(0, 4),
        _Rule(45 * mm),
        Spacer(0, 10),
        _table(appendix["lines"], appendix["total"], font, width),
    ]


def _table(lines: list[ListLine], total: str, font: str, width: float) -> LongTable:
    """Cells are plain strings, wrapped here once: ReportLab draws those far faster than Paragraph cells."""
    leading, bold = TABLE_SIZE * 1.2, f"{font}-Bold"
    widths = [width * share for share in COLUMNS]
    rows = [[_wrapped(text, bold, w) for text, w in zip(HEADER, widths, strict=True)]]
    style = [
        ("FONT", (0, 0), (-1, -1), font, TABLE_SIZE, leading),
        ("FONT", (0, 0), (-1, 0), bold, TABLE_SIZE, leading),
        ("GRID", (0, 0), (-1, -1), RULE, (0, 0, 0)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("ALIGN", (3, 1), (3, -1), "CENTER"),
        ("ALIGN", (4, 1), (4, -1), "RIGHT"),
    ]
    for line in lines:
        i = len(rows)
        if line.heading:
            rows.append([_wrapped(line.heading, bold, width), "", "", "", ""])
            # A group heading spans the row, in bold, and never ends a page.
            style += [("SPAN", (0, i), (-1, i)), ("FONT", (0, i), (0, i), bold, TABLE_SIZE, leading)]
            style += [("ALIGN", (0, i), (0, i), "LEFT"), ("NOSPLIT", (0, i), (-1, i + 1))]
        else:
            texts = (line.name, line.position_unit, line.award_name)
            cells = [_wrapped(text, font, w) for text, w in zip(texts, widths[1:4], strict=True)]
            rows.append([line.number, *cells, line.amount])
    i = len(rows)
    rows.append(["Tổng cộng", "", "", "", total])
    style += [("SPAN", (0, i), (3, i)), ("FONT", (0, i), (-1, i), bold, TABLE_SIZE, leading)]
    return LongTable(rows, colWidths=widths, repeatRows=1, style=TableStyle(style))


@functools.lru_cache(maxsize=4096)  # award names and units repeat down a list
def _wrapped(text: str, font: str, width: float) -> str:
    """The text broken into lines at spaces to fit a cell ``width`` wide, NFC (ReportLab draws no combining marks)."""
    lines = simpleSplit(unicodedata.normalize("NFC", text), font, TABLE_SIZE, width - 2 * PADDING)
    return "\n".join(lines)


def _markup(text: str) -> str:
    """Paragraph text: NFC, with XML characters escaped."""
    return escape(unicodedata.normalize("NFC", text))


class _Rule(Flowable):
    """The short centred rule under the reference line (``.rule-subject``)."""

    def __init__(self, length: float):
        super().__init__()
        self.length = length

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, RULE

    def draw(self):
        self.canv.setLineWidth(RULE)
        x = (self.width - self.length) / 2
        self.canv.line(x, 0, x + self.length, 0)
