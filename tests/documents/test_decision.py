"""The Quyết định opened as a person would open it: in Word and as a PDF."""

import os
import shutil
import subprocess

import pytest
from PIL import Image

from nominations.documents.decision import decision_articles, render_decision_docx, render_decision_pdf

from . import samples
from .readers import (
    compact,
    docx_document,
    docx_table,
    docx_text,
    pdf_font_families,
    pdf_page_headers,
    pdf_pages_text,
    pdf_text,
)

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


@pytest.fixture(scope="module")
def delegated():
    return samples.decision(delegated=True)


@pytest.fixture(scope="module")
def delegated_docx(delegated):
    return render_decision_docx(delegated)


@pytest.fixture(scope="module")
def delegated_pdf(delegated):
    return render_decision_pdf(delegated)


def signature_lines(docx_bytes: bytes) -> list[str]:
    """Paragraphs of the signature cell: the right cell of the closing table."""
    for table in docx_document(docx_bytes).tables:
        left = table.rows[0].cells[0].text
        if left.startswith("Nơi nhận:"):
            return [p.text for p in table.rows[0].cells[1].paragraphs if p.text]
    raise AssertionError("no closing table")


# DOCX ---------------------------------------------------------------------


def test_docx_has_header_subject_and_every_awardee(delegated, delegated_docx):
    text = docx_text(delegated_docx)
    for expected in (*MOTTO, "ỦY BAN NHÂN DÂN", "THÀNH PHỐ LẠNG SƠN", "Số: 123/QĐ-UBND"):
        assert expected in text
    assert "TP. Lạng Sơn, ngày 05 tháng 10 năm 2024" in text
    assert "QUYẾT ĐỊNH" in text and delegated.subject in text
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN" in text
    for row in delegated.awardees:
        assert row.name in text


def test_docx_bases_articles_and_recipients_are_punctuated(delegated_docx):
    paragraphs = [p.text for p in docx_document(delegated_docx).paragraphs]
    bases = [p for p in paragraphs if p.startswith(("Căn cứ", "Theo đề nghị"))]
    assert len(bases) == 4
    assert all(p.endswith(";") for p in bases[:-1]) and bases[-1].endswith(".")
    articles = [p for p in paragraphs if p.startswith("Điều ")]
    assert [a.split(".")[0] for a in articles] == ["Điều 1", "Điều 2", "Điều 3"]
    assert "8.775.000 đồng (Bằng chữ: Tám triệu bảy trăm bảy mươi lăm nghìn đồng)" in articles[1]
    assert articles[2].endswith("./.")
    text = docx_text(delegated_docx)
    assert "- Như Điều 3;" in text and "- Lưu: VT, NV." in text


def test_docx_signature_of_a_deputy_signing_for_the_chairman(delegated_docx):
    assert signature_lines(delegated_docx) == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đoàn Thu Hà"]


def test_docx_signature_of_the_chairman_himself():
    lines = signature_lines(render_decision_docx(samples.decision(delegated=False)))
    assert lines == ["CHỦ TỊCH", "Nguyễn Văn Hạnh"]


def test_docx_appendix_has_a_row_per_awardee_plus_the_total(delegated, delegated_docx):
    table = docx_table(delegated_docx, "STT")
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    headings = [r for r in rows if r[0].startswith(("I.", "II.", "III."))]
    awardees = [r for r in rows if r[0].isdigit()]
    assert len(rows) == 1 + len(headings) + len(delegated.awardees) + 1
    assert [r[1] for r in awardees] == [row.name for row in delegated.awardees]
    assert awardees[0][4] == "1.404.000"
    assert rows[-1][0] == "Tổng cộng" and rows[-1][-1] == "8.775.000"
    text = docx_text(delegated_docx)
    assert "(Kèm theo Quyết định số 123/QĐ-UBND ngày 05 tháng 10 năm 2024 của Chủ tịch" in text


def test_docx_appendix_without_groups_has_no_heading_rows():
    rows = [row.__class__(**{**row.__dict__, "group": ""}) for row in samples.awardees()]
    table = docx_table(render_decision_docx(samples.decision(rows=rows)), "STT")
    assert len(table.rows) == 1 + len(rows) + 1


def test_docx_page_layout_is_a4_with_decree_30_margins(delegated_docx):
    main, appendix = docx_document(delegated_docx).sections
    assert (round(main.page_width.mm), round(main.page_height.mm)) == (210, 297)
    assert (round(main.left_margin.mm), round(main.right_margin.mm)) == (30, 15)
    assert (round(main.top_margin.mm), round(main.bottom_margin.mm)) == (20, 20)
    assert main.different_first_page_header_footer and appendix.different_first_page_header_footer
    assert 'w:start="1"' in appendix._sectPr.xml  # the appendix is numbered on its own


def test_docx_escapes_markup_characters():
    rows = [samples.awardees()[0].__class__(1, "Tổ <A> & B", "Khối 5", "Giấy khen", 702_000)]
    text = docx_text(render_decision_docx(samples.decision(rows=rows)))
    assert "Tổ <A> & B" in text


def test_undated_draft_leaves_number_and_date_blank():
    draft = samples.decision(number="/QĐ-UBND", date=None)
    text = docx_text(render_decision_docx(draft))
    assert "Số: \u00a0" in text and "/QĐ-UBND" in text
    assert "TP. Lạng Sơn, ngày\u00a0" in text


def test_no_prize_money_means_no_money_article():
    rows = [row.__class__(**{**row.__dict__, "amount": 0}) for row in samples.awardees()]
    articles = decision_articles(samples.decision(rows=rows))
    assert len(articles) == 2
    assert "đồng" not in articles[0]["text"] and articles[1]["label"] == "Điều 2."


# PDF ----------------------------------------------------------------------


def test_pdf_has_header_subject_signature_and_every_awardee(delegated, delegated_pdf):
    text = compact(pdf_text(delegated_pdf))
    for expected in (*MOTTO, "Số: 123/QĐ-UBND", "TP. Lạng Sơn, ngày 05 tháng 10 năm 2024", delegated.subject):
        assert compact(expected) in text
    assert compact("KT. CHỦ TỊCH PHÓ CHỦ TỊCH Đoàn Thu Hà") in text
    assert compact("Bằng chữ: Tám triệu bảy trăm bảy mươi lăm nghìn đồng") in text
    for row in delegated.awardees:
        assert compact(row.name) in text
    assert compact("Tổng cộng 8.775.000") in text


def test_pdf_signature_of_the_chairman_himself():
    text = compact(pdf_text(render_decision_pdf(samples.decision(delegated=False))))
    assert compact("CHỦ TỊCH Nguyễn Văn Hạnh") in text
    assert "KT." not in text and "PHÓCHỦTỊCH" not in text


def test_pdf_page_numbers_from_page_two_and_appendix_numbered_apart(delegated_pdf):
    pages = [text.splitlines() for text in pdf_pages_text(delegated_pdf)]
    assert len(pages) == 3  # decision on two pages, appendix on one
    assert pdf_page_headers(delegated_pdf) == ["", "2", ""]  # no "3", no "1": the appendix counts apart
    assert pages[2][0].startswith("DANH SÁCH")


def test_pdf_sets_vietnamese_in_one_serif_family(delegated_pdf):
    families = pdf_font_families(delegated_pdf)
    assert any("Serif" in family for family in families), families
    # Liberation Serif 1.x (Debian fonts-liberation) has no glyphs for most
    # Vietnamese letters, so they fall back to DejaVu Serif mid-word. The
    # 2.x fonts (fonts-liberation2) cover Vietnamese.
    assert len(families) == 1, f"mixed fonts {families}: install fonts-liberation2"


def test_pdf_first_page_as_png(delegated_pdf, tmp_path):
    """Page 1 as an image for a person to look at (CI keeps it as an artifact)."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    source = tmp_path / "quyet-dinh.pdf"
    source.write_bytes(delegated_pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", source, tmp_path / "quyet-dinh-trang-1"],
        check=True,
    )
    png = tmp_path / "quyet-dinh-trang-1.png"
    with Image.open(png) as image:
        width, height = image.size
    assert abs(width - 827) <= 1 and abs(height - 1169) <= 1  # A4 portrait at 100 dpi
    if artifacts := os.environ.get("THIDUA_ARTIFACTS_DIR"):
        os.makedirs(artifacts, exist_ok=True)
        shutil.copy(png, artifacts)
