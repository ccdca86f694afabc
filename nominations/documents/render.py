"""The output engines: docxtpl for DOCX, WeasyPrint for PDF (ReportLab for long lists, see ``appendix``)."""

import io
from pathlib import Path

from django.template.loader import render_to_string
from docxtpl import DocxTemplate
from pypdf import PdfWriter
from weasyprint import HTML
from weasyprint.document import Document

DOCX_DIR = Path(__file__).resolve().parent / "docx"


def docx_bytes(template_name: str, context: dict) -> bytes:
    """Fill a .docx template from ``docx/``; values are XML-escaped."""
    template = DocxTemplate(DOCX_DIR / template_name)
    template.render(context, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def pdf_bytes(template_name: str, context: dict) -> bytes:
    """Render a Django HTML template under ``documents/`` to a PDF."""
    return laid_out(template_name, context).write_pdf()


def laid_out(template_name: str, context: dict) -> Document:
    """The paginated document, for callers that write pages separately."""
    html = render_to_string(f"documents/{template_name}", context)
    # No external resources: images are data URIs, fonts come from
    # fontconfig, so no base_url and no network access is needed.
    return HTML(string=html).render()


def concatenate(first: bytes, *rest: bytes) -> bytes:
    """One PDF of the given ones, in order; the document information (title) is the first's."""
    writer = PdfWriter(clone_from=io.BytesIO(first))
    for part in rest:
        writer.append(io.BytesIO(part))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
