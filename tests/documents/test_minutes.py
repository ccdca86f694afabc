"""Biên bản of the emulation and commendation council's meeting."""

import pytest

from nominations.documents.minutes import render_minutes_docx, render_minutes_pdf

from . import samples
from .readers import compact, docx_document, docx_table, docx_text, pdf_text


@pytest.fixture(scope="module")
def minutes():
    return samples.minutes()


def test_docx_records_time_place_attendance_and_quorum(minutes):
    text = docx_text(render_minutes_docx(minutes))
    for expected in (
        "BIÊN BẢN",
        "Số: 05/BB-HĐTĐKT",
        "Thời gian bắt đầu: 14 giờ 00 phút, ngày 27 tháng 9 năm 2024.",
        "Chủ trì: Nguyễn Văn Hạnh - Chủ tịch UBND thành phố, Chủ tịch Hội đồng.",
        "Thư ký: Lê Thị Thu Trang - Chuyên viên Phòng Nội vụ.",
        "Thành phần tham dự: 09/11 thành viên Hội đồng có mặt, gồm:",
        "Vắng mặt: 02 thành viên, gồm:",
        "Nông Thị Xuân - Chủ tịch Ủy ban MTTQ Việt Nam thành phố, Ủy viên (lý do: đi công tác).",
        "Số thành viên dự họp: 09/11 (81,82%).",
        "cuộc họp đủ điều kiện tiến hành.",
        "hình thức biểu quyết: bỏ phiếu kín",
        "Hội đồng thống nhất đề nghị khen thưởng 05/07 hồ sơ đạt yêu cầu",
        "02 hồ sơ không đạt.",
        "Cuộc họp kết thúc vào hồi 16 giờ 30 phút, ngày 27 tháng 9 năm 2024.",
    ):
        assert expected in text
    for member in minutes.present:
        assert member.full_name in text


def test_docx_vote_table_has_counts_percentages_and_results(minutes):
    table = docx_table(render_minutes_docx(minutes), "STT")
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert len(rows) == len(minutes.items)
    first, failed = rows[0], rows[3]
    assert first[1] == "Hoàng Thị Hồng Nhung\nChuyên viên Phòng Nội vụ"
    assert first[3:] == ["9", "0", "0", "81,82% (9/11)", "Đạt"]
    assert failed[3:] == ["7", "2", "0", "63,64% (7/11)", "Không đạt"]


def test_docx_signatures_of_secretary_and_chair(minutes):
    closing = docx_document(render_minutes_docx(minutes)).tables[-1].rows[0].cells
    assert [p.text for p in closing[0].paragraphs] == ["THƯ KÝ", "Lê Thị Thu Trang"]
    assert [p.text for p in closing[1].paragraphs] == ["CHỦ TỊCH HỘI ĐỒNG", "Nguyễn Văn Hạnh"]


def test_without_quorum_the_minutes_say_so():
    data = samples.minutes(present=samples.MEMBERS[:6], quorum_met=False, items=[])
    text = docx_text(render_minutes_docx(data))
    assert "06/11 (54,55%)" in text
    assert "cuộc họp không đủ điều kiện tiến hành." in text
    assert "Hội đồng không xét hồ sơ." in text


def test_pdf_has_the_same_content(minutes):
    text = compact(pdf_text(render_minutes_pdf(minutes)))
    for expected in ("BIÊN BẢN", "09/11 (81,82%)", "63,64% (7/11) Không đạt", "THƯ KÝ", "CHỦ TỊCH HỘI ĐỒNG"):
        assert compact(expected) in text
    for item in minutes.items:
        assert compact(item.name) in text
