"""Build the working-day calendar from the package plus the sysadmin's entries."""

from __future__ import annotations

from collections.abc import Callable

from flask import g, has_app_context
from sqlalchemy import select

from webapp.extensions import db
from webapp.models.calendar import HolidayDay, HolidayYear
from workflows.calendar import DayOverride, WorkCalendar

# Areas that store deadlines register a function here that recomputes their provisional
# deadlines (those counted over a year with no holiday data) once that year's data arrives.
PROVISIONAL_RECOMPUTERS: list[Callable[[WorkCalendar], int]] = []


def load_calendar() -> WorkCalendar:
    """Read the sysadmin's holiday entries into a fresh calendar."""
    overrides = [
        DayOverride(d.day, d.is_workday, d.name) for d in db.session.scalars(select(HolidayDay))
    ]
    years = set(db.session.scalars(select(HolidayYear.year)))
    return WorkCalendar(overrides, override_years=years or None)


def work_calendar() -> WorkCalendar:
    """Return the calendar for this request (built once per request)."""
    if not has_app_context():
        return load_calendar()
    if "_work_calendar" not in g:
        g._work_calendar = load_calendar()
    return g._work_calendar


def recompute_provisional() -> int:
    """Recompute every provisional deadline with the current data; return how many changed."""
    g.pop("_work_calendar", None)
    calendar = work_calendar()
    return sum(recompute(calendar) for recompute in PROVISIONAL_RECOMPUTERS)
