"""Working days (ngày làm việc): what every time limit of the procedure counts.

A day is a working day when it is Monday to Friday and not a public holiday
of the ``holidays`` package's Vietnam calendar (Tết by the lunar calendar,
substituted days off), or a Saturday the package knows as a make-up day; the
administrator's dated exceptions (CalendarDay) override both, because the
government announces extra days off and make-up Saturdays year by year.
"""

import datetime
import functools

import holidays

from .models import CalendarDay

# A horizon wide enough for Tết plus a long weekend, re-read when exceeded.
_WINDOW = datetime.timedelta(days=60)


@functools.lru_cache(maxsize=32)
def _national(year: int) -> holidays.HolidayBase:
    return holidays.Vietnam(years=year, language="vi")


def national_working_day(day: datetime.date) -> bool:
    """Working day by the national calendar alone (weekends, holidays, known make-up days)."""
    return _national(day.year).is_working_day(day)


class _Exceptions:
    """The administrator's exceptions between two dates, read in one query and extended on demand."""

    def __init__(self, start: datetime.date, forward: bool = True, end: datetime.date | None = None):
        self.forward = forward
        self.days: dict[datetime.date, bool] = {}
        self.low = self.high = start
        self._load(start - _WINDOW if not forward else start, (end or start) + _WINDOW if forward else start)

    def _load(self, low, high):
        rows = CalendarDay.objects.filter(date__gte=low, date__lte=high).values_list("date", "kind")
        self.days.update((day, kind == CalendarDay.Kind.MAKE_UP) for day, kind in rows)
        self.low, self.high = min(self.low, low), max(self.high, high)

    def is_working_day(self, day: datetime.date) -> bool:
        if day > self.high:
            self._load(self.high + datetime.timedelta(days=1), day + _WINDOW)
        elif day < self.low:
            self._load(day - _WINDOW, self.low - datetime.timedelta(days=1))
        if day in self.days:
            return self.days[day]
        return national_working_day(day)


def is_working_day(day: datetime.date) -> bool:
    """True when offices work on ``day``."""
    return _Exceptions(day).is_working_day(day)


def calendar(*days: datetime.date) -> _Exceptions:
    """A calendar to share between many computations (a list of tasks), its exceptions read in one query from the
    earliest of ``days`` to a window past the latest (and once more per window beyond)."""
    return _Exceptions(min(days), end=max(days))


def add_working_days(day: datetime.date, n: int, calendar: _Exceptions | None = None) -> datetime.date:
    """The date ``n`` working days after ``day`` (before it when n < 0); n = 0 gives ``day`` itself.

    A time limit of N working days counted from ``day`` ends on this date.
    """
    step = datetime.timedelta(days=1 if n >= 0 else -1)
    calendar = calendar or _Exceptions(day, forward=n >= 0)
    left = abs(n)
    while left:
        day += step
        if calendar.is_working_day(day):
            left -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date, calendar: _Exceptions | None = None) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` is before ``start``.

    The inverse of ``add_working_days``: add_working_days(a, working_days_between(a, b)) == b
    whenever b is a working day.
    """
    if end < start:
        return -working_days_between(end, start, calendar)
    calendar = calendar or _Exceptions(start)
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += calendar.is_working_day(day)
    return count
