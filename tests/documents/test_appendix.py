"""The awardee list over several pages (drawn by ReportLab), read back from the PDF."""

import itertools

import pytest

from nominations.documents.appendix import render_appendix_pdf
from nominations.documents.data import COLLECTIVE, INDIVIDUAL, AwardeeRow
from nominations.documents.decision import render_decision_pdf
from nominations.documents.submission import render_submission_letter_pdf
from nominations.documents.wording import appendix

from . import samples
from .readers import compact, pdf_font_families, pdf_page_headers, pdf_pages_text, pdf_reader

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ")
GIVEN = ("Hùng", "Dũng", "Thắng", "Tuyết", "Hằng", "Nhung", "Phượng", "Đức", "Quỳnh", "Thủy")
HEADER = compact("STT Họ và tên / Tên tập thể Chức vụ, đơn vị")


def _rows(n: int) -> list[AwardeeRow]:
    """``n`` distinct names, none inside another, each with a long unit that wraps."""
    names = [f"{s} {m} {g}" for s, m, g in itertools.product(SURNAMES, ("Thị", "Văn"), GIVEN)][:n]
    rows = [
        AwardeeRow(
            1,
            "Trường Mầm non Hoa Sữa & Hội Cựu chiến binh",
            "Phường Đông Kinh",
            "Giấy khen",
            1_404_000,
            COLLECTIVE,
            "I. TẬP THỂ",
        )
    ]
    rows += [
        AwardeeRow(
            i,
            name,
            f"Chuyên viên Phòng Tài chính - Kế hoạch, UBND xã Mai Pha {i}",
            "Giấy khen",
            702_000,
            INDIVIDUAL,
            "II. CÁ NHÂN",
        )
        for i, name in enumerate(names, start=1)
    ]
    return rows


@pytest.fixture(scope="module")
def rows():
    rows = _rows(59)
    names = [compact(row.name) for row in rows]
    assert not [a for a, b in itertools.permutations(names, 2) if a in b]  # the counts below are exact
    return rows


@pytest.fixture(scope="module")
def decision_pdf(rows):
    return render_decision_pdf(samples.decision(rows=rows))


def list_pages(pdf: bytes) -> tuple[int, list[str]]:
    """How many pages the body has, and the text of the list's pages."""
    pages = pdf_pages_text(pdf)
    first = next(i for i, page in enumerate(pages) if page.startswith("DANH SÁCH"))
    return first, pages[first:]


def numbers(pages: int) -> list[str]:
    """Page numbers as printed: none on the first page."""
    return [""] + [str(n) for n in range(2, pages + 1)]


def test_every_awardee_once_with_diacritics_and_in_order(rows, decision_pdf):
    text = compact("\n".join(list_pages(decision_pdf)[1]))
    positions = []
    for row in rows:
        assert text.count(compact(row.name)) == 1, row.name
        positions.append(text.index(compact(row.name)))
    assert positions == sorted(positions)
    assert text.count(compact("Trường Mầm non Hoa Sữa & Hội Cựu chiến binh")) == 1  # escaped markup, drawn as is
    assert text.count("702.000") == 59 and text.count("1.404.000") == 1
    assert compact("Tổng cộng 42.822.000") in text
    assert compact("I. TẬP THỂ") in text and compact("II. CÁ NHÂN") in text


def test_header_row_on_every_list_page_and_numbers_run_on(decision_pdf):
    body, appendix_pages = list_pages(decision_pdf)
    assert len(appendix_pages) >= 3
    assert all(compact(page).count(HEADER) == 1 for page in appendix_pages)
    assert compact(appendix_pages[0]).startswith(compact("DANH SÁCH CÁC TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG GIẤY KHEN"))
    # Decree 30: the body is numbered from its page 2; the appendix on its own, also from its page 2.
    assert pdf_page_headers(decision_pdf) == numbers(body) + numbers(len(appendix_pages))


def test_list_pages_are_a4_in_one_serif(decision_pdf):
    for page in pdf_reader(decision_pdf).pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    assert pdf_font_families(decision_pdf) == {"LiberationSerif"}


def test_submission_letter_draws_the_same_list(rows):
    pdf = render_submission_letter_pdf(samples.submission_letter(awardees=rows))
    body, appendix_pages = list_pages(pdf)
    text = compact("\n".join(appendix_pages))
    assert all(text.count(compact(row.name)) == 1 for row in rows)
    assert all(compact(page).count(HEADER) == 1 for page in appendix_pages)
    assert compact("(Kèm theo Tờ trình số 45/TTr-NV ngày 01 tháng 10 năm 2024 của Phòng Nội vụ)") in text
    assert pdf_page_headers(pdf) == numbers(body) + numbers(len(appendix_pages))


def test_decomposed_input_is_drawn_composed():
    """Names typed with combining marks (NFD) are drawn as the precomposed letters the font has."""
    data = appendix(
        title="DANH SÁCH",
        document="Quyết định",
        number="1/QĐ-UBND",
        date=samples.DECISION_DATE,
        issued_by="Chủ tịch",
        rows=[AwardeeRow(1, "Nguye\u0302\u0303n Thi\u0323 Hăng", "Xã Mai Pha", "Giấy khen", 702_000)],
    )
    text = pdf_reader(render_appendix_pdf(data)).pages[0].extract_text()  # not normalised by the reader
    assert "Nguy\u1ec5n Th\u1ecb H\u0103ng" in text
