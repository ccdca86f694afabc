import datetime

import pytest

from nominations.documents.dates import format_date, format_place_date, format_short_date, format_time


@pytest.mark.parametrize(
    ("date", "text"),
    [
        (datetime.date(2024, 10, 5), "ngày 05 tháng 10 năm 2024"),
        (datetime.date(2024, 2, 15), "ngày 15 tháng 02 năm 2024"),  # months 1-2 take a zero
        (datetime.date(2024, 1, 9), "ngày 09 tháng 01 năm 2024"),
        (datetime.date(2024, 3, 1), "ngày 01 tháng 3 năm 2024"),  # March does not
        (datetime.date(2024, 12, 31), "ngày 31 tháng 12 năm 2024"),
    ],
)
def test_decree_30_leading_zeros(date, text):
    assert format_date(date) == text


def test_place_and_date():
    assert format_place_date("TP. Lạng Sơn", datetime.date(2024, 10, 5)) == "TP. Lạng Sơn, ngày 05 tháng 10 năm 2024"


def test_undated_draft_leaves_blanks_to_fill_in():
    text = format_place_date("TP. Lạng Sơn", None)
    assert text.startswith("TP. Lạng Sơn, ngày")
    assert "tháng" in text and "năm" in text
    assert not any(ch.isdigit() for ch in text)


def test_short_date_follows_the_same_zero_rule():
    assert format_short_date(datetime.date(2014, 4, 7)) == "07/4/2014"
    assert format_short_date(datetime.date(2024, 2, 15)) == "15/02/2024"


def test_time_of_day():
    assert format_time(datetime.time(14, 0)) == "14 giờ 00 phút"
    assert format_time(datetime.datetime(2024, 9, 27, 8, 5)) == "08 giờ 05 phút"
