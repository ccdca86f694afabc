"""The Tờ trình of the standing body (Phòng Nội vụ) to the chairman."""

import pytest

from nominations.documents.submission import render_submission_letter_docx, render_submission_letter_pdf

from . import samples
from .readers import compact, docx_table, docx_text, pdf_font_families, pdf_text


@pytest.fixture(scope="module")
def letter():
    return samples.submission_letter()


def test_docx_reads_as_a_submission_to_the_chairman(letter):
    data = render_submission_letter_docx(letter)
    text = docx_text(data)
    for expected in (
        "UBND THÀNH PHỐ LẠNG SƠN",
        "PHÒNG NỘI VỤ",
        "Số: 45/TTr-NV",
        "TP. Lạng Sơn, ngày 01 tháng 10 năm 2024",
        "TỜ TRÌNH",
        letter.subject,
        "Kính gửi: Chủ tịch Ủy ban nhân dân thành phố Lạng Sơn.",
        "Phòng Nội vụ kính trình Chủ tịch Ủy ban nhân dân thành phố Lạng Sơn xem xét, quyết định./.",
        "TRƯỞNG PHÒNG",
        "Lăng Văn Quang",
        "(Kèm theo Tờ trình số 45/TTr-NV ngày 01 tháng 10 năm 2024 của Phòng Nội vụ)",
    ):
        assert expected in text
    for paragraph in letter.council_summary:
        assert paragraph in text
    table = docx_table(data, "STT")
    names = [row.cells[1].text for row in table.rows if row.cells[0].text.isdigit()]
    assert names == [row.name for row in letter.awardees]
    assert table.rows[-1].cells[-1].text == "8.775.000"


def test_superior_body_is_printed_in_regular_weight(letter):
    header = docx_table(render_submission_letter_docx(letter), "UBND THÀNH PHỐ LẠNG SƠN\nPHÒNG NỘI VỤ\n")
    superior, name = header.rows[0].cells[0].paragraphs[:2]
    assert not any(run.bold for run in superior.runs)
    assert all(run.bold for run in name.runs)


def test_pdf_has_the_same_content(letter):
    data = render_submission_letter_pdf(letter)
    text = compact(pdf_text(data))
    for expected in (
        "TỜ TRÌNH",
        "Kính gửi: Chủ tịch Ủy ban nhân dân thành phố Lạng Sơn.",
        "TRƯỞNG PHÒNG Lăng Văn Quang",
    ):
        assert compact(expected) in text
    for row in letter.awardees:
        assert compact(row.name) in text
    assert len(pdf_font_families(data)) == 1
