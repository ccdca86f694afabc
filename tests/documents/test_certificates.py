"""Giấy khen certificates: one landscape page each, with a QR code."""

import base64
import os
import re
import shutil
import subprocess

import pytest

from nominations.documents.certificates import (
    qr_data_uri,
    render_certificate_pdf,
    render_certificate_pdfs,
    render_certificates_pdf,
)

from . import samples
from .readers import compact, pdf_font_families, pdf_pages_text, pdf_reader


@pytest.fixture(scope="module")
def batch():
    return [samples.certificate(i) for i in range(5)]


@pytest.fixture(scope="module")
def batch_pdf(batch):
    return render_certificates_pdf(batch)


def test_one_landscape_page_per_certificate(batch_pdf, batch):
    pages = pdf_reader(batch_pdf).pages
    assert len(pages) == len(batch)
    for page in pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width > height  # landscape
        assert round(width * 25.4 / 72) == 297 and round(height * 25.4 / 72) == 210


def test_each_page_names_its_awardee_and_the_decision(batch_pdf, batch):
    for text, item in zip(pdf_pages_text(batch_pdf), batch, strict=True):
        text = compact(text)
        for expected in (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN",
            "GIẤY KHEN",
            item.recipient_name,
            item.unit,
            "Quyết định số 123/QĐ-UBND ngày 05/10/2024",
            "TP. Lạng Sơn, ngày 05 tháng 10 năm 2024",
            "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Đoàn Thu Hà",
            item.verification_url,
        ):
            assert compact(expected) in text


def test_each_page_draws_its_own_qr_image(batch_pdf):
    # WeasyPrint shares one resource dictionary between pages, so count the
    # images each page's content stream actually draws.
    drawn = [re.findall(rb"/(\S+) Do", page.get_contents().get_data()) for page in pdf_reader(batch_pdf).pages]
    assert all(len(names) == 1 for names in drawn)
    assert len({names[0] for names in drawn}) == len(drawn)  # one code per awardee


def test_qr_code_is_a_png_data_uri():
    uri = qr_data_uri("https://thidua.langson.gov.vn/xac-minh/123-2024-0001")
    prefix = "data:image/png;base64,"
    assert uri.startswith(prefix)
    assert base64.b64decode(uri[len(prefix) :]).startswith(b"\x89PNG\r\n\x1a\n")


def test_fonts_are_one_serif_family(batch_pdf):
    families = pdf_font_families(batch_pdf)
    assert len(families) == 1 and "Serif" in families.pop()


def test_single_certificate():
    assert len(pdf_reader(render_certificate_pdf(samples.certificate(0))).pages) == 1


def test_one_file_per_awardee_from_one_layout(batch):
    files = render_certificate_pdfs(batch)
    assert len(files) == len(batch)
    for data, item in zip(files, batch, strict=True):
        (text,) = pdf_pages_text(data)
        assert compact(item.recipient_name) in compact(text)
    assert render_certificate_pdfs([]) == []


def test_empty_batch_is_refused():
    with pytest.raises(ValueError):
        render_certificates_pdf([])


def test_certificate_as_png(batch_pdf, tmp_path):
    """First certificate as an image for a person to look at."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    source = tmp_path / "giay-khen.pdf"
    source.write_bytes(batch_pdf)
    target = tmp_path / "giay-khen-1"
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", source, target], check=True)
    if artifacts := os.environ.get("THIDUA_ARTIFACTS_DIR"):
        os.makedirs(artifacts, exist_ok=True)
        shutil.copy(target.with_suffix(".png"), artifacts)
