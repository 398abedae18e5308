"""Whether a talk's 回访 date is provisional: it lies in a year whose holidays are not entered."""

from __future__ import annotations

from datetime import date

from webapp.holidays.services import work_calendar


def follow_up_provisional(day: date | None) -> bool:
    """Tell whether a 回访 date lies in a year without holiday data (moved once it is entered)."""
    return day is not None and not work_calendar().is_known_year(day.year)
