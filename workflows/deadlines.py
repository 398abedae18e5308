"""Deadline policy: due dates, traffic lights (黄灯/红灯), reminder days and clock pauses.

Time limits are counted in working days of a ``WorkCalendar``. ``start`` is the day the clock
starts (e.g. the approval day); ``due`` is the current deadline, already moved by any pause.
``paused_workdays`` is the total number of working days the clock has been paused so far
(``cal.workdays_between(paused_on, resumed_on)`` summed over finished pauses). While a pause
is running, evaluate at the pause day: the clock is frozen there.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from workflows.calendar import Deadline, WorkCalendar, add_months
from workflows.text import N_

DEFAULT_YELLOW_PERCENT = 50


class Light(StrEnum):
    """Traffic light of an item with a time limit."""

    # Three lights, as in DESIGN §6. The due day is yellow (100% used) rather than a light of
    # its own: the due-day reminder already marks it, and a fourth colour would have to be
    # handled by every list, badge and export.
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    @property
    def label(self) -> str:
        """Return the Chinese label."""
        return _LIGHT_LABELS[self]


_LIGHT_LABELS = {Light.GREEN: N_("正常"), Light.YELLOW: N_("黄灯"), Light.RED: N_("红灯")}


class Reminder(StrEnum):
    """Kind of deadline reminder; each fires once per item."""

    YELLOW = "yellow"
    DUE = "due"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        """Return the Chinese label."""
        return _REMINDER_LABELS[self]


_REMINDER_LABELS = {
    Reminder.YELLOW: N_("黄灯提醒"),
    Reminder.DUE: N_("到期提醒"),
    Reminder.OVERDUE: N_("逾期提醒"),
}


def due_after_workdays(start: date, n: int, cal: WorkCalendar) -> Deadline:
    """Return the deadline N working days after start (start not counted)."""
    return cal.add_workdays(start, n)


def due_after_months(start: date, months: int, cal: WorkCalendar) -> Deadline:
    """Return the deadline N calendar months after start, rolled forward to a workday."""
    # A report due "after 6 months" cannot be handed in on a Sunday or during the Spring
    # Festival, so a non-workday moves to the next workday, as for any official deadline.
    # Influence periods (影响期) are plain calendar spans: use ``add_months`` for those.
    return cal.add_workdays(add_months(start, months), 0)


def _limit_and_used(
    start: date, due: date, today: date, cal: WorkCalendar, paused_workdays: int
) -> tuple[int, int]:
    limit = cal.workdays_between(start, due) - paused_workdays
    used = cal.workdays_between(start, today) - paused_workdays
    return limit, used


def _yellow_threshold(limit: int, yellow_percent: int) -> int:
    # Integer ceiling of limit × percent: "used ≥ 50%" without float rounding.
    return -(-limit * yellow_percent // 100)


def light(
    start: date,
    due: date,
    today: date,
    cal: WorkCalendar,
    paused_workdays: int = 0,
    *,
    yellow_percent: int = DEFAULT_YELLOW_PERCENT,
) -> Light:
    """Return the light: red once today is past due, yellow once the threshold is used."""
    if today > due:
        return Light.RED
    limit, used = _limit_and_used(start, due, today, cal, paused_workdays)
    if used >= _yellow_threshold(limit, yellow_percent):
        return Light.YELLOW
    return Light.GREEN


def reminder_points(
    start: date,
    due: date,
    cal: WorkCalendar,
    paused_workdays: int = 0,
    *,
    yellow_percent: int = DEFAULT_YELLOW_PERCENT,
) -> dict[Reminder, date]:
    """Return the day each reminder fires: first yellow day, due day, first overdue day.

    The yellow day is the first day on which ``light`` turns yellow; it is left out when it
    falls on the due day, where the due reminder already speaks. The overdue day is the
    calendar day after due, the first day ``light`` is red, even on a weekend.
    """
    points: dict[Reminder, date] = {}
    limit = cal.workdays_between(start, due) - paused_workdays
    workdays_to_yellow = _yellow_threshold(limit, yellow_percent) + paused_workdays
    if workdays_to_yellow <= 0:
        yellow_day = start
    else:
        yellow_day = cal.add_workdays(start, workdays_to_yellow).due
    if yellow_day < due:
        points[Reminder.YELLOW] = yellow_day
    points[Reminder.DUE] = due
    points[Reminder.OVERDUE] = due + timedelta(days=1)
    return points


def shift_for_pause(due: date, paused_on: date, resumed_on: date, cal: WorkCalendar) -> Deadline:
    """Return the deadline moved by the working days the clock was paused.

    The paused time is the workdays in (paused_on, resumed_on]: paused on Monday and resumed
    on Wednesday gives back two days. The result is provisional when the pause or the move
    touches a year without holiday data; the caller keeps it provisional if ``due`` was.
    """
    if resumed_on < paused_on:
        raise ValueError("resumed_on is before paused_on")
    paused = cal.workdays_between(paused_on, resumed_on)
    moved = cal.add_workdays(due, paused) if paused else Deadline(due)
    paused_provisional = cal.is_provisional_span(paused_on + timedelta(days=1), resumed_on)
    return Deadline(moved.due, moved.provisional or paused_provisional)
