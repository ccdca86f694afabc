"""The working-day calendar: weekends, Vietnamese public holidays (Tết 2026 and 2027), dated exceptions."""

import datetime

import pytest

from nominations.models import CalendarDay
from nominations.workdays import add_working_days, is_working_day, working_days_between

D = datetime.date
pytestmark = pytest.mark.django_db


def test_weekends_and_holidays_are_not_working_days():
    assert is_working_day(D(2026, 2, 13))  # Friday before Tết
    assert not is_working_day(D(2026, 2, 14))  # Saturday
    assert not is_working_day(D(2026, 2, 17))  # Tết Nguyên Đán 2026 (mùng một)
    assert not is_working_day(D(2026, 9, 2))  # Quốc khánh
    assert not is_working_day(D(2027, 2, 8))  # mùng ba Tết 2027
    assert is_working_day(D(2027, 2, 11))


def test_a_deadline_across_tet_2026():
    # Friday 13/02/2026 + 1 working day: the whole Tết break (14–22/02) is skipped.
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert add_working_days(D(2026, 2, 9), 20) == D(2026, 3, 16)
    assert working_days_between(D(2026, 2, 9), D(2026, 3, 16)) == 20
    assert add_working_days(D(2026, 2, 23), -1) == D(2026, 2, 13)


def test_a_deadline_across_a_weekend_and_tet_2027():
    assert add_working_days(D(2027, 1, 29), 1) == D(2027, 2, 1)  # Friday → Monday
    # 04/02–10/02/2027 are Tết: Wednesday 03/02 + 1 is Thursday 11/02.
    assert add_working_days(D(2027, 2, 3), 1) == D(2027, 2, 11)


def test_working_days_between_counts_after_start_up_to_end():
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 13)) == 0
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1
    assert working_days_between(D(2026, 2, 23), D(2026, 2, 13)) == -1


def test_the_administrators_exceptions_override_the_national_calendar():
    # An extra day off announced for Tết 2027, and a make-up Saturday for it.
    CalendarDay.objects.create(date=D(2027, 2, 11), kind=CalendarDay.Kind.DAY_OFF, note="Nghỉ thêm dịp Tết")
    CalendarDay.objects.create(date=D(2027, 2, 20), kind=CalendarDay.Kind.MAKE_UP, note="Làm bù cho 11/02")
    assert not is_working_day(D(2027, 2, 11))
    assert is_working_day(D(2027, 2, 20))
    assert add_working_days(D(2027, 2, 3), 1) == D(2027, 2, 12)
    # Friday 19/02 + 1 is the make-up Saturday.
    assert add_working_days(D(2027, 2, 19), 1) == D(2027, 2, 20)
    assert working_days_between(D(2027, 2, 1), D(2027, 2, 28)) == 14


def test_the_package_knows_announced_make_up_saturdays():
    # 22/08/2026 is worked in exchange for Monday 31/08/2026 (the holidays package's data).
    assert is_working_day(D(2026, 8, 22))
    assert not is_working_day(D(2026, 8, 31))
