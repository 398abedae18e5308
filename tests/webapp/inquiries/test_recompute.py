"""Holiday data arriving recounts a reply deadline with its own working days, in its history."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import make_inquiry
from webapp.extensions import db as _db
from webapp.holidays.services import recompute_provisional, work_calendar
from webapp.inquiries import services
from webapp.lookups import forget_cached
from webapp.models import HolidayDay, HolidayYear, Parameter


def set_param(db, key: str, value: int) -> None:
    parameter = db.session.scalars(select(Parameter).where(Parameter.key == key)).first()
    if parameter is None:
        parameter = Parameter(key=key, value=str(value))
        db.session.add(parameter)
    parameter.value = str(value)
    db.session.flush()
    forget_cached()


def test_recompute_counts_the_stored_reply_workdays_and_records_the_move(
    app, client, login, db, world
):
    if work_calendar().is_known_year(2027):
        pytest.skip("the calendar package already knows 2027")
    set_param(db, "inquiry.reply_workdays", 30)
    inquiry = make_inquiry(world.cadre, issued_on=date(2026, 12, 28), reply_due=date(2026, 12, 28))
    services.set_issue(inquiry, date(2026, 12, 29))
    _db.session.flush()
    assert (inquiry.reply_workdays, inquiry.reply_due_provisional) == (30, True)
    old_due = inquiry.reply_due

    set_param(db, "inquiry.reply_workdays", 10)
    db.session.add(HolidayYear(year=2027))
    for day in [date(2027, 1, 1), *(date(2027, 1, d) for d in range(4, 9))]:
        db.session.add(HolidayDay(day=day, is_workday=False, name="测试假日"))
    db.session.flush()
    with app.test_request_context():
        assert recompute_provisional() >= 1
        expected = work_calendar().add_workdays(date(2026, 12, 29), 30).due
    db.session.refresh(inquiry)
    assert inquiry.reply_due == expected
    assert not inquiry.reply_due_provisional

    login(world.supervisor.username)
    page = client.get(f"/inquiries/{inquiry.id}").get_data(as_text=True)
    assert "回复期限按节假日数据重新计算" in page
    assert f"{old_due.isoformat()} → {expected.isoformat()}" in page
