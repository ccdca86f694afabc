"""Read generated documents back the way a person's tools would."""

import io
import re
import unicodedata

import docx
import pypdf


def compact(text: str) -> str:
    """NFC text without whitespace: PDF extraction drops or adds spaces at line wraps."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def docx_document(data: bytes):
    return docx.Document(io.BytesIO(data))


def docx_text(data: bytes) -> str:
    """Body paragraphs and every table cell, in document order."""
    document = docx_document(data)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def docx_table(data: bytes, first_header: str):
    """The table whose first header cell reads ``first_header``."""
    for table in docx_document(data).tables:
        if table.rows and table.rows[0].cells[0].text == first_header:
            return table
    raise AssertionError(f"no table starting with {first_header!r}")


def pdf_reader(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


def pdf_pages_text(data: bytes) -> list[str]:
    return [unicodedata.normalize("NFC", page.extract_text()) for page in pdf_reader(data).pages]


def pdf_page_headers(data: bytes, *, margin_mm: float = 20) -> list[str]:
    """What each page prints in its top margin (the page number, or ""), found by where the text is drawn."""
    headers = []
    for page in pdf_reader(data).pages:
        top = float(page.mediabox.top) - margin_mm * 72 / 25.4
        found = []

        def visit(text, cm, tm, font, size, found=found, top=top):
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if text.strip() and y > top:
                found.append(text.strip())

        page.extract_text(visitor_text=visit)
        headers.append(" ".join(found))
    return headers


def pdf_text(data: bytes) -> str:
    return "\n".join(pdf_pages_text(data))


def pdf_font_families(data: bytes) -> set[str]:
    """Embedded font families, e.g. {"LiberationSerif"}, without subset tags, styles or hyphens.

    WeasyPrint names a face "Liberation-Serif-Bold", ReportLab by its PostScript name "LiberationSerif-Bold".
    """
    families = set()
    for page in pdf_reader(data).pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            name = str(ref.get_object()["/BaseFont"]).lstrip("/").split("+")[-1]
            family = re.sub(r"-(Bold|Italic|Oblique|BoldItalic|Bold-Italic)$", "", name)
            families.add(family.replace("-", ""))
    return families
