"""Dates as Decree 30/2020/NĐ-CP writes them.

Days 1–9 and months 1–2 take a leading zero ("ngày 05 tháng 02"), so that a
number cannot be extended by hand afterwards; March to December do not
("tháng 3"). A document not yet signed leaves the date blank to be filled in.
"""

import datetime

# Non-breaking spaces keep the blanks of an undated draft from collapsing.
_BLANK = "\u00a0" * 6


def format_day(day: int) -> str:
    return f"{day:02d}"


def format_month(month: int) -> str:
    return f"{month:02d}" if month <= 2 else str(month)


def format_date(date: datetime.date | None) -> str:
    """ "ngày 05 tháng 10 năm 2024"; blanks for a draft without a date."""
    if date is None:
        return f"ngày{_BLANK}tháng{_BLANK}năm{_BLANK}"
    return f"ngày {format_day(date.day)} tháng {format_month(date.month)} năm {date.year}"


def format_place_date(place: str, date: datetime.date | None) -> str:
    """ "TP. Lạng Sơn, ngày 05 tháng 10 năm 2024"."""
    return f"{place}, {format_date(date)}"


def format_short_date(date: datetime.date | None) -> str:
    """ "05/10/2024" or "15/02/2024" (same zero rule), for references in a sentence."""
    if date is None:
        return f"{_BLANK}/{_BLANK}/{_BLANK}"
    return f"{format_day(date.day)}/{format_month(date.month)}/{date.year}"


def format_time(moment: datetime.datetime | datetime.time) -> str:
    """ "14 giờ 00 phút", the way minutes record when a meeting opened."""
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút"
