"""The two output engines: docxtpl for DOCX, WeasyPrint for PDF."""

import io
from pathlib import Path

from django.template.loader import render_to_string
from docxtpl import DocxTemplate
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
