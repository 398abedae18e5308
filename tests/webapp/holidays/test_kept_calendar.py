"""The working-day calendar: page views keep it a few seconds, writers read it afresh."""

from __future__ import annotations

from datetime import date

import pytest
from flask import g

from webapp import lookups
from webapp.extensions import db
from webapp.holidays import services
from webapp.holidays.services import work_calendar
from webapp.lookups import forget_cached, forget_request_copies
from webapp.models import HolidayDay

FAR_DAY = date(2099, 3, 2)  # a Monday of a year no package knows


@pytest.fixture
def kept(app, db, monkeypatch):
    """Turn the worker's cache on (the suite runs with it off) and start it empty."""
    monkeypatch.setitem(app.config, "LOOKUP_CACHE_SECONDS", 5)
    monkeypatch.setattr(lookups.time, "monotonic", lambda: 1000.0)
    forget_cached()
    yield
    forget_cached()


def calendar_in(app, method: str):
    """Return the calendar a new request sees (the suite's app context outlives requests)."""
    with app.test_request_context("/", method=method):
        forget_request_copies()
        g.pop("_work_calendar", None)
        return work_calendar()


def holiday_entered_elsewhere() -> None:
    """Enter a holiday as another worker would: behind this process's back."""
    db.session.add(HolidayDay(day=FAR_DAY, is_workday=False, name="某节"))
    db.session.flush()


def test_page_views_share_a_kept_calendar(app, kept):
    first = calendar_in(app, "GET")
    assert calendar_in(app, "GET") is first
    holiday_entered_elsewhere()
    assert calendar_in(app, "GET").is_workday(FAR_DAY)  # kept: not seen yet


def test_a_writing_request_counts_with_the_schedule_as_it_stands(app, kept):
    calendar_in(app, "GET")
    holiday_entered_elsewhere()
    assert not calendar_in(app, "POST").is_workday(FAR_DAY)


def test_a_schedule_changed_in_this_worker_shows_at_once(app, kept):
    calendar_in(app, "GET")
    with app.test_request_context("/", method="POST"):
        holiday_entered_elsewhere()
        services.apply_changes()
    assert not calendar_in(app, "GET").is_workday(FAR_DAY)


def test_a_recount_reads_the_schedule_as_it_now_stands_even_in_a_page_view(app, kept):
    calendar_in(app, "GET")
    with app.test_request_context("/"):
        holiday_entered_elsewhere()
        services.recompute_provisional()
        assert not work_calendar().is_workday(FAR_DAY)
