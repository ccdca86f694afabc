"""python-docx building blocks for the Decree 30 .docx templates.

Used only by ``build_templates``; the renderers load the built files. The
layout rules (margins, sizes, lines) are those of Decree 30/2020/NĐ-CP,
Appendix I.
"""

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"  # LibreOffice substitutes Liberation Serif (same metrics)
TEXT_WIDTH_MM = 165  # A4 210 mm minus margins 30 (left) and 15 (right)
LEFT, CENTER, RIGHT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)
# OOXML requires children in schema order (Word may call the file corrupt
# otherwise), so each added element goes before the siblings that must
# follow it.
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr", "w:sectPr")
_AFTER_MARK = ("w:sectPr", "w:pPrChange")
_AFTER_CELL_MAR = ("w:tblLook", "w:tblCaption", "w:tblDescription")
_AFTER_PG_NUM = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:docGrid")


def new_document(*, body_size: int = 14):
    """A4 portrait with Decree 30 margins and a Times New Roman body style."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(body_size)
    _fonts_everywhere(doc)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
    page_numbers_from_page_two(section)
    return doc


def _fonts_everywhere(doc):
    """Times New Roman in every script slot, Vietnamese as the language.

    The default template names theme fonts (Calibri) in its document
    defaults, and a theme font wins over a named one in Word; the
    East-Asian and complex-script slots matter for some Vietnamese letters.
    """
    styles = doc.styles.element
    for fonts in styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts") + [
        doc.styles["Normal"].element.get_or_add_rPr().get_or_add_rFonts()
    ]:
        for name in list(fonts.attrib):
            if name.endswith("Theme") or name.endswith("theme"):
                del fonts.attrib[name]
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(slot), FONT)
    for lang in styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang"):
        lang.set(qn("w:val"), "vi-VN")


def para(container, text: str = "", *, bold=False, italic=False, size=None, align=CENTER, **fmt):
    """Add a paragraph with one run; ``fmt`` sets paragraph_format attributes."""
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    for name, value in fmt.items():
        setattr(paragraph.paragraph_format, name, value)
    if text:
        run(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph


def run(paragraph, text: str, *, bold=False, italic=False, size=None):
    r = paragraph.add_run(text)
    r.bold, r.italic = bold or None, italic or None
    if size:
        r.font.size = Pt(size)
    return r


def tag(container, statement: str):
    """A paragraph holding only a docxtpl block tag such as ``{%p for … %}``."""
    return para(container, statement, align=LEFT)


def rule(container, *, width_mm: float, box_mm: float):
    """A centred horizontal line ``width_mm`` long, as under the issuer name.

    Drawn as the bottom border of a tiny empty paragraph indented from both
    sides, so no drawing objects are needed.
    """
    # The space before keeps the line clear of the descenders above it.
    paragraph = para(container, space_before=Pt(3))
    indent = Mm(max(box_mm - width_mm, 0) / 2)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = indent
    _set_mark_size(paragraph, 2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)
    return paragraph


def _set_mark_size(paragraph, points: int):
    """Size of the paragraph mark, which sets the height of an empty paragraph."""
    paragraph._p.get_or_add_pPr().insert_element_before(_run_size(points), *_AFTER_MARK)


def layout_table(container, widths_mm: list[float], *, rows: int = 1, grid: bool = False):
    """A fixed-width table; borderless for layout unless ``grid``."""
    table = container.add_table(rows=rows, cols=len(widths_mm))
    if grid:
        table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # writes <w:tblLayout w:type="fixed"/>
    # Narrow padding in data tables leaves room for the short headings
    # ("Đồng ý", "STT") Word would otherwise break mid-word.
    _cell_margins(table._tbl.tblPr, twips=68 if grid else 0)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    return table


def _cell_margins(tbl_pr, *, twips: int):
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        node = OxmlElement(f"w:{side}")
        node.set(qn("w:w"), str(twips))
        node.set(qn("w:type"), "dxa")
        margins.append(node)
    tbl_pr.insert_element_before(margins, *_AFTER_CELL_MAR)


def cell(table, row: int, col: int):
    """A table cell emptied of its default paragraph, ready for ``para``."""
    target = table.cell(row, col)
    for paragraph in list(target.paragraphs):
        paragraph._p.getparent().remove(paragraph._p)
    return target


def repeat_as_header(row):
    """Repeat this row at the top of every page the table runs onto."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def keep_row_together(row):
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def page_numbers_from_page_two(section):
    """Page number centred in the header, blank on the first page (Decree 30)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    field_run = OxmlElement("w:r")
    field_run.append(_run_size(13))
    text = OxmlElement("w:t")
    text.text = "2"
    field_run.append(text)
    field.append(field_run)
    paragraph._p.append(field)


def _run_size(points: int):
    rpr = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(points * 2))
    rpr.append(size)
    return rpr


def new_numbered_section(doc):
    """A new page whose numbering restarts, as an appendix is numbered on its own."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:start"), "1")
    section._sectPr.insert_element_before(numbering, *_AFTER_PG_NUM)
    section.different_first_page_header_footer = True
    return section
