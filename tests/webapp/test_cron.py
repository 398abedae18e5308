"""Cron weekdays mean what crontab says: 1 is Monday, 0 and 7 are Sunday."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from webapp.cron import crontab_trigger, weekday_names

SUNDAY = datetime(2026, 11, 29, tzinfo=UTC)


def next_fire(expression: str, after: datetime = SUNDAY) -> datetime:
    return crontab_trigger(expression).get_next_fire_time(None, after)


@pytest.mark.parametrize(
    ("expression", "weekday"),
    [
        ("0 1 * * 1", "Monday"),
        ("0 1 * * 0", "Sunday"),
        ("0 1 * * 7", "Sunday"),
        ("0 1 * * 5", "Friday"),
        ("0 1 * * mon", "Monday"),
        ("0 1 * * 6", "Saturday"),
    ],
)
def test_a_weekday_number_fires_on_crontabs_day(expression, weekday):
    assert next_fire(expression, SUNDAY.replace(hour=2)).strftime("%A") == weekday


def test_working_days_run_monday_to_friday():
    after, days = SUNDAY, []
    for _ in range(5):
        after = next_fire("30 0 * * 1-5", after + timedelta(seconds=1))
        days.append(after.strftime("%a"))
    assert days == ["Mon", "Tue", "Wed", "Thu", "Fri"]


@pytest.mark.parametrize(
    ("field", "names"),
    [
        ("*", "*"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("*/2", "sun,tue,thu,sat"),
        ("0,6", "sun,sat"),
        ("5-7", "sun,fri,sat"),
        ("mon-wed", "mon,tue,wed"),
        ("1/3", "mon,thu"),
    ],
)
def test_weekday_fields_become_names(field, names):
    assert weekday_names(field) == names


@pytest.mark.parametrize("expression", ["0 1 * * 8", "0 1 * * 5-1", "0 1 * *", "x 1 * * *"])
def test_a_bad_expression_is_refused(expression):
    with pytest.raises(ValueError):
        crontab_trigger(expression)
