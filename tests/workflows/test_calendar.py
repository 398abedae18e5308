from datetime import date, timedelta

import chinese_calendar
import pytest

from workflows.calendar import (
    PROVISIONAL_LABEL,
    DayOverride,
    Deadline,
    WorkCalendar,
    add_months,
    needs_next_year_schedule,
)

NEW_YEAR_2027 = DayOverride(date(2027, 1, 1), False, "元旦")


@pytest.fixture
def cal():
    return WorkCalendar()


def test_package_has_the_years_these_tests_rely_on():
    # Expected dates below were read from chinesecalendar 1.11.0; fail loudly if it changes.
    assert chinese_calendar.is_workday(date(2025, 9, 28))
    assert chinese_calendar.is_workday(date(2025, 10, 11))
    assert all(chinese_calendar.is_holiday(date(2026, 2, d)) for d in range(15, 24))
    assert chinese_calendar.is_workday(date(2026, 2, 14))
    assert chinese_calendar.is_workday(date(2026, 2, 28))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 4))


def test_national_day_2025(cal):
    # Sep 28 (Sun) and Oct 11 (Sat) are worked; Oct 1–8 are off.
    assert cal.add_workdays(date(2025, 9, 26), 10) == Deadline(date(2025, 10, 16), False)
    assert not any(cal.is_workday(date(2025, 10, d)) for d in range(1, 9))
    assert cal.next_workday(date(2025, 9, 30)) == date(2025, 10, 9)


def test_adjusted_saturday_workday_is_counted(cal):
    assert cal.is_workday(date(2025, 10, 11))
    # Fri Oct 10 + 1 is the adjusted Saturday, not Monday.
    assert cal.add_workdays(date(2025, 10, 10), 1).due == date(2025, 10, 11)
    assert cal.workdays_between(date(2025, 10, 10), date(2025, 10, 13)) == 2


def test_spring_festival_2026(cal):
    # Feb 14 (Sat) is worked, Feb 15–23 are off.
    assert cal.add_workdays(date(2026, 2, 12), 5) == Deadline(date(2026, 2, 26), False)
    assert cal.next_workday(date(2026, 2, 14)) == date(2026, 2, 24)
    assert cal.workdays_between(date(2026, 2, 13), date(2026, 2, 28)) == 6


def test_year_without_data_uses_weekends_and_is_provisional(cal):
    assert not cal.is_known_year(2027)
    assert cal.is_workday(date(2027, 1, 1))  # a Friday; New Year unknown yet
    assert not cal.is_workday(date(2027, 1, 2))
    deadline = cal.add_workdays(date(2027, 3, 5), 5)
    assert deadline == Deadline(date(2027, 3, 12), True)
    assert deadline.note == PROVISIONAL_LABEL


def test_entered_overrides_make_the_year_known_and_move_the_deadline():
    cal = WorkCalendar([NEW_YEAR_2027])
    assert cal.is_known_year(2027)
    assert cal.override_years == {2027}
    assert cal.add_workdays(date(2026, 12, 31), 1) == Deadline(date(2027, 1, 4), False)
    assert cal.add_workdays(date(2027, 3, 5), 5) == Deadline(date(2027, 3, 12), False)
    assert WorkCalendar().add_workdays(date(2026, 12, 31), 1) == Deadline(date(2027, 1, 1), True)


def test_deadline_across_year_boundary_is_provisional(cal):
    assert cal.add_workdays(date(2026, 12, 25), 10) == Deadline(date(2027, 1, 8), True)
    entered = WorkCalendar([NEW_YEAR_2027])
    assert entered.add_workdays(date(2026, 12, 25), 10) == Deadline(date(2027, 1, 11), False)


def test_deadline_ending_before_unknown_year_is_not_provisional(cal):
    assert cal.add_workdays(date(2026, 12, 24), 4) == Deadline(date(2026, 12, 30), False)


def test_override_wins_over_package_for_a_known_year():
    extra_day_off = DayOverride(date(2025, 10, 9), False, "临时调整")
    extra_workday = DayOverride(date(2025, 10, 8), True, "调休上班")
    cal = WorkCalendar([extra_day_off, extra_workday])
    assert not cal.is_workday(date(2025, 10, 9))
    assert cal.is_workday(date(2025, 10, 8))
    # The rest of 2025 still comes from the package.
    assert not cal.is_workday(date(2025, 10, 7))
    assert cal.is_workday(date(2025, 9, 28))
    assert cal.override_years == frozenset()


def test_explicit_override_years_replace_the_package():
    cal = WorkCalendar([], override_years={2025})
    assert cal.is_workday(date(2025, 10, 1))
    assert not cal.is_workday(date(2025, 9, 28))


def test_override_in_year_not_declared_covered_stays_provisional():
    cal = WorkCalendar([NEW_YEAR_2027], override_years=set())
    assert not cal.is_workday(date(2027, 1, 1))
    assert cal.add_workdays(date(2026, 12, 31), 1) == Deadline(date(2027, 1, 4), True)


def test_adjusted_workday_override_in_new_year():
    worked_saturday = DayOverride(date(2027, 1, 2), True, "调休上班")
    cal = WorkCalendar([NEW_YEAR_2027, worked_saturday])
    assert cal.add_workdays(date(2026, 12, 31), 1).due == date(2027, 1, 2)


def test_conflicting_overrides_are_refused():
    with pytest.raises(ValueError, match="2027-01-01"):
        WorkCalendar([NEW_YEAR_2027, DayOverride(date(2027, 1, 1), True, "上班")])


def test_zero_workdays_returns_start_or_rolls_forward(cal):
    assert cal.add_workdays(date(2025, 9, 30), 0).due == date(2025, 9, 30)
    assert cal.add_workdays(date(2025, 10, 1), 0).due == date(2025, 10, 9)
    assert cal.add_workdays(date(2027, 1, 1), 0) == Deadline(date(2027, 1, 1), True)


def test_negative_workdays_are_refused(cal):
    with pytest.raises(ValueError):
        cal.add_workdays(date(2025, 1, 1), -1)


def test_workdays_between_counts_half_open_interval(cal):
    monday, friday = date(2025, 3, 3), date(2025, 3, 7)
    assert cal.workdays_between(monday, friday) == 4
    assert cal.workdays_between(friday, monday) == -4
    assert cal.workdays_between(monday, monday) == 0
    assert cal.workdays_between(date(2025, 12, 31), date(2026, 1, 5)) == 2  # Jan 4 Sun, 5 Mon


def test_add_workdays_and_workdays_between_agree(cal):
    start = date(2025, 9, 1)
    for n in (1, 7, 30, 250, 400):
        assert cal.workdays_between(start, cal.add_workdays(start, n).due) == n


def test_next_workday_is_strictly_after(cal):
    assert cal.next_workday(date(2025, 3, 3)) == date(2025, 3, 4)
    assert cal.next_workday(date(2025, 3, 7)) == date(2025, 3, 10)


def test_add_workdays_matches_day_by_day_walk(cal):
    start = date(2025, 1, 1)
    walked, day = [], start
    while day < date(2026, 3, 1):
        day += timedelta(days=1)
        if chinese_calendar.is_workday(day):
            walked.append(day)
    assert [cal.add_workdays(start, n).due for n in range(1, len(walked) + 1)] == walked


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 5, 31), 0, date(2026, 5, 31)),
        (date(2026, 7, 31), 11, date(2027, 6, 30)),
    ],
)
def test_add_months_clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 10, 31), False),
        (date(2026, 11, 1), True),
        (date(2026, 12, 31), True),
        (date(2025, 11, 1), False),
    ],
)
def test_needs_next_year_schedule(cal, today, expected):
    assert needs_next_year_schedule(today, cal) is expected


def test_needs_next_year_schedule_stops_once_entered():
    assert not needs_next_year_schedule(date(2026, 11, 1), WorkCalendar([NEW_YEAR_2027]))
