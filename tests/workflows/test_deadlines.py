from datetime import date, timedelta

import pytest

from workflows.calendar import DayOverride, Deadline, WorkCalendar
from workflows.deadlines import (
    Light,
    Reminder,
    due_after_months,
    due_after_workdays,
    light,
    reminder_points,
    shift_for_pause,
)

# 10 working days from Fri 2025-09-26, across National Day: due Thu 2025-10-16.
START = date(2025, 9, 26)
DUE = date(2025, 10, 16)


@pytest.fixture
def cal():
    return WorkCalendar()


def test_due_after_workdays(cal):
    assert due_after_workdays(START, 10, cal) == Deadline(DUE, False)


def test_due_after_months_keeps_adjusted_saturday(cal):
    # Aug 31 + 6 months clamps to Sat Feb 28 2026, a worked day (调休).
    assert due_after_months(date(2025, 8, 31), 6, cal) == Deadline(date(2026, 2, 28), False)


def test_due_after_months_rolls_off_a_holiday(cal):
    assert due_after_months(date(2025, 8, 17), 6, cal).due == date(2026, 2, 24)


def test_due_after_months_into_unknown_year_is_provisional(cal):
    assert due_after_months(date(2026, 8, 31), 6, cal) == Deadline(date(2027, 3, 1), True)
    entered = WorkCalendar([DayOverride(date(2027, 1, 1), False, "元旦")])
    assert due_after_months(date(2026, 8, 31), 6, entered) == Deadline(date(2027, 3, 1), False)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 9, 20), Light.GREEN),  # before the start
        (START, Light.GREEN),
        (date(2025, 10, 8), Light.GREEN),  # 3 of 10 used: the holiday did not count
        (date(2025, 10, 9), Light.GREEN),  # 4 of 10
        (date(2025, 10, 10), Light.YELLOW),  # 5 of 10 = 50%
        (date(2025, 10, 12), Light.YELLOW),
        (DUE, Light.YELLOW),  # due day
        (date(2025, 10, 17), Light.RED),  # overdue
    ],
)
def test_light_over_national_day(cal, today, expected):
    assert light(START, DUE, today, cal) is expected


def test_light_at_49_and_50_percent(cal):
    start = date(2026, 3, 2)
    due = cal.add_workdays(start, 100).due
    assert light(start, due, cal.add_workdays(start, 49).due, cal) is Light.GREEN
    assert light(start, due, cal.add_workdays(start, 50).due, cal) is Light.YELLOW
    assert light(start, due, due, cal) is Light.YELLOW
    assert light(start, due, due + timedelta(days=1), cal) is Light.RED


def test_light_rounds_odd_limit_up(cal):
    # 5-day limit: 2 of 5 is 40%, 3 of 5 is 60%.
    start = date(2025, 3, 3)
    due = cal.add_workdays(start, 5).due
    assert light(start, due, date(2025, 3, 5), cal) is Light.GREEN
    assert light(start, due, date(2025, 3, 6), cal) is Light.YELLOW


def test_light_yellow_percent_is_a_parameter(cal):
    start = date(2025, 3, 3)
    due = cal.add_workdays(start, 10).due
    assert light(start, due, date(2025, 3, 10), cal, yellow_percent=80) is Light.GREEN
    assert light(start, due, date(2025, 3, 13), cal, yellow_percent=80) is Light.YELLOW


def test_light_labels():
    assert [x.label for x in Light] == ["正常", "黄灯", "红灯"]
    assert Light.RED == "red"


def test_reminder_points(cal):
    assert reminder_points(START, DUE, cal) == {
        Reminder.YELLOW: date(2025, 10, 10),
        Reminder.DUE: DUE,
        Reminder.OVERDUE: date(2025, 10, 17),
    }


def test_overdue_reminder_is_the_day_after_even_on_a_weekend(cal):
    friday = date(2025, 3, 7)
    assert reminder_points(date(2025, 2, 28), friday, cal)[Reminder.OVERDUE] == date(2025, 3, 8)


def test_yellow_reminder_left_out_when_it_falls_on_due_day(cal):
    monday = date(2025, 3, 3)
    points = reminder_points(monday, cal.add_workdays(monday, 1).due, cal)
    assert Reminder.YELLOW not in points
    assert points[Reminder.DUE] == date(2025, 3, 4)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 10, 15, 20])
@pytest.mark.parametrize("paused", [0, 3])
def test_reminder_points_agree_with_light(cal, n, paused):
    start = date(2025, 9, 24)
    due = cal.add_workdays(start, n + paused).due
    points = reminder_points(start, due, cal, paused)
    first_yellow = points.get(Reminder.YELLOW, due)
    day = start
    while day <= due + timedelta(days=3):
        expected = (
            Light.RED
            if day >= points[Reminder.OVERDUE]
            else Light.YELLOW
            if day >= first_yellow
            else Light.GREEN
        )
        assert light(start, due, day, cal, paused) is expected, day
        day += timedelta(days=1)


def test_reminder_labels():
    assert Reminder.OVERDUE.label == "逾期提醒"


def test_shift_for_pause_moves_by_paused_workdays(cal):
    # Paused Mon Mar 3, resumed Wed Mar 5: two workdays given back.
    shifted = shift_for_pause(date(2025, 3, 14), date(2025, 3, 3), date(2025, 3, 5), cal)
    assert shifted == Deadline(date(2025, 3, 18), False)


def test_shift_for_pause_over_a_holiday(cal):
    # Paused Sep 30, resumed Oct 9: only Oct 9 was a workday.
    shifted = shift_for_pause(DUE, date(2025, 9, 30), date(2025, 10, 9), cal)
    assert shifted == Deadline(date(2025, 10, 17), False)


def test_shift_for_pause_same_day_changes_nothing(cal):
    assert shift_for_pause(DUE, DUE, DUE, cal) == Deadline(DUE, False)


def test_shift_for_pause_into_unknown_year_is_provisional(cal):
    shifted = shift_for_pause(date(2026, 12, 30), date(2026, 12, 1), date(2026, 12, 3), cal)
    assert shifted == Deadline(date(2027, 1, 1), True)


def test_shift_for_pause_refuses_resume_before_pause(cal):
    with pytest.raises(ValueError):
        shift_for_pause(DUE, date(2025, 3, 5), date(2025, 3, 3), cal)


def test_light_after_pause_counts_only_running_time(cal):
    start = date(2025, 3, 3)  # Monday; 10 workdays → Mar 17
    due = shift_for_pause(date(2025, 3, 17), date(2025, 3, 4), date(2025, 3, 7), cal).due
    assert due == date(2025, 3, 20)
    paused = cal.workdays_between(date(2025, 3, 4), date(2025, 3, 7))
    # Mar 12: 7 workdays elapsed, 3 of them paused → 4 of 10 used.
    assert light(start, due, date(2025, 3, 12), cal, paused) is Light.GREEN
    assert light(start, due, date(2025, 3, 13), cal, paused) is Light.YELLOW
    # Without the pause, 13 workdays would be the limit: yellow only from the 7th.
    assert light(start, due, date(2025, 3, 11), cal) is Light.GREEN
    assert light(start, due, date(2025, 3, 12), cal) is Light.YELLOW
