"""Official working-day calendar (工作日): holidays, adjusted workdays (调休) and overrides.

A day is a workday by, in order:

a. a sysadmin override (节假日维护) for that very date;
b. if its year is covered by overrides (the State Council schedule has been entered for that
   year): Monday–Friday, changed only by those overrides;
c. if ``chinese_calendar`` knows the year: the package;
d. otherwise Monday–Friday, and the answer is *provisional*: a deadline counted over such a
   day is shown as 待节假日数据确认 and recomputed once the year's schedule is entered.

Everything takes dates as arguments; nothing reads the clock.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from dateutil.relativedelta import relativedelta

from workflows.text import N_

PROVISIONAL_LABEL = N_("待节假日数据确认")

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class DayOverride:
    """One day of the State Council schedule as entered by a sysadmin."""

    date: date
    is_workday: bool
    name: str = ""


@dataclass(frozen=True, slots=True)
class Deadline:
    """A due date, provisional when it was counted over a year with no holiday data."""

    due: date
    provisional: bool = False

    @property
    def note(self) -> str:
        """Return the UI hint for a provisional deadline, or an empty string."""
        return PROVISIONAL_LABEL if self.provisional else ""


@dataclass(frozen=True, slots=True)
class _Year:
    known: bool
    # Sorted ordinals: counting N workdays is a bisect, not a day-by-day walk, which matters
    # when a 50,000-row import computes a deadline per row.
    workdays: tuple[int, ...]
    workday_set: frozenset[int]


@functools.cache
def package_knows_year(year: int) -> bool:
    """Return whether chinese_calendar has holiday data for the year."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@functools.cache
def _package_workdays(year: int) -> frozenset[int]:
    # The package's data is fixed for the process, so one cache serves every WorkCalendar.
    return frozenset(d.toordinal() for d in _days_of(year) if chinese_calendar.is_workday(d))


def _days_of(year: int) -> Iterable[date]:
    day, end = date(year, 1, 1), date(year, 12, 31)
    while day <= end:
        yield day
        day += _ONE_DAY


@functools.cache
def _weekday_workdays(year: int) -> frozenset[int]:
    return frozenset(d.toordinal() for d in _days_of(year) if d.weekday() < 5)


class WorkCalendar:
    """Working days from chinese_calendar plus sysadmin overrides, cached per year.

    ``override_years`` are the years whose schedule a sysadmin has entered in full; for them
    the package is ignored. When not given it is derived from the overrides, but only from
    years the package does not know: an override in a known year corrects the package for
    that one date and leaves the rest of the package's year in force.

    Build one calendar per request or per import and reuse it; it is immutable and its
    per-year cache makes repeated calls cheap.
    """

    def __init__(
        self,
        overrides: Iterable[DayOverride] = (),
        override_years: set[int] | None = None,
    ) -> None:
        by_date: dict[date, DayOverride] = {}
        for override in overrides:
            previous = by_date.get(override.date)
            if previous is not None and previous.is_workday != override.is_workday:
                raise ValueError(f"conflicting overrides for {override.date.isoformat()}")
            by_date[override.date] = override
        self._overrides = by_date
        if override_years is None:
            override_years = {d.year for d in by_date if not package_knows_year(d.year)}
        self._override_years = frozenset(override_years)
        self._years: dict[int, _Year] = {}

    @property
    def override_years(self) -> frozenset[int]:
        """Return the years whose schedule comes from overrides alone."""
        return self._override_years

    def is_known_year(self, year: int) -> bool:
        """Return whether the year has holiday data (package or entered overrides)."""
        return year in self._override_years or package_knows_year(year)

    def is_workday(self, day: date) -> bool:
        """Return whether the day is an official working day."""
        return day.toordinal() in self._year(day.year).workday_set

    def next_workday(self, day: date) -> date:
        """Return the first workday strictly after the day."""
        return self._nth_workday_after(day, 1)

    def add_workdays(self, start: date, n: int) -> Deadline:
        """Return the Nth working day after start (start itself not counted).

        ``n == 0`` returns start when it is a workday, else the next workday: "due on the
        day" rolled forward off a weekend or holiday. The deadline is provisional when any
        day looked at (start..due for n == 0, after start..due otherwise) lies in a year
        without holiday data.
        """
        if n < 0:
            raise ValueError("n must be zero or positive")
        if n == 0:
            due = start if self.is_workday(start) else self.next_workday(start)
            return Deadline(due, self._any_unknown(start, due))
        due = self._nth_workday_after(start, n)
        return Deadline(due, self._any_unknown(start + _ONE_DAY, due))

    def workdays_between(self, a: date, b: date) -> int:
        """Return the number of workdays in (a, b]; negative when b is before a."""
        if b < a:
            return -self.workdays_between(b, a)
        lo, hi = a.toordinal(), b.toordinal()
        count = 0
        for year in range(a.year, b.year + 1):
            workdays = self._year(year).workdays
            count += bisect_right(workdays, hi) - bisect_right(workdays, lo)
        return count

    def is_provisional_span(self, first: date, last: date) -> bool:
        """Return whether any day in [first, last] lies in a year without holiday data."""
        return self._any_unknown(first, last)

    def _any_unknown(self, first: date, last: date) -> bool:
        if first > last:
            return False
        return any(not self.is_known_year(y) for y in range(first.year, last.year + 1))

    def _nth_workday_after(self, day: date, n: int) -> date:
        year = day.year
        workdays = self._year(year).workdays
        index = bisect_right(workdays, day.toordinal())
        while n > len(workdays) - index:
            n -= len(workdays) - index
            year += 1
            workdays = self._year(year).workdays
            index = 0
        return date.fromordinal(workdays[index + n - 1])

    def _year(self, year: int) -> _Year:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        if year in self._override_years:
            known, base = True, _weekday_workdays(year)
        elif package_knows_year(year):
            known, base = True, _package_workdays(year)
        else:
            known, base = False, _weekday_workdays(year)
        workday_set = set(base)
        for day, override in self._overrides.items():
            if day.year == year:
                if override.is_workday:
                    workday_set.add(day.toordinal())
                else:
                    workday_set.discard(day.toordinal())
        built = _Year(known, tuple(sorted(workday_set)), frozenset(workday_set))
        self._years[year] = built
        return built


def add_months(day: date, months: int) -> date:
    """Return the same day N calendar months later (earlier if negative), clamped to the month's end.

    The one place the project does month arithmetic (影响期, 整改期, 回访, rule windows).
    """
    return day + relativedelta(months=months)


def needs_next_year_schedule(today: date, cal: WorkCalendar) -> bool:
    """Return whether the sysadmin should now enter next year's holiday schedule."""
    # The State Council publishes the next year's schedule in late autumn or winter;
    # from November on the reminder repeats until the year is entered.
    return today.month >= 11 and not cal.is_known_year(today.year + 1)
