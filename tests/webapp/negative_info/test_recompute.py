"""Holiday data arriving recounts a running verification with the working days it was set with."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from tests.factories import make_report
from webapp.holidays.services import recompute_provisional, work_calendar
from webapp.lookups import forget_cached
from webapp.models import DictItem, DictType, HolidayDay, HolidayYear, Parameter

SHANGHAI = ZoneInfo("Asia/Shanghai")


def set_param(db, key: str, value: int) -> None:
    parameter = db.session.scalars(select(Parameter).where(Parameter.key == key)).first()
    if parameter is None:
        parameter = Parameter(key=key, value=str(value))
        db.session.add(parameter)
    parameter.value = str(value)
    db.session.flush()
    forget_cached()


def test_recompute_keeps_the_working_days_the_deadline_was_set_with(
    app, client, db, world, as_supervisor
):
    if work_calendar().is_known_year(2027):
        pytest.skip("the calendar package already knows 2027")
    # A channel without its own limit counts the parameter.
    other = db.session.scalars(
        select(DictItem)
        .join(DictType)
        .where(DictType.code == "source_channel", DictItem.value == "other")
    ).one()
    other.extra = {}
    set_param(db, "report.verification_workdays", 30)
    info = make_report(world.cadre, source_channel="other")
    with time_machine.travel(datetime(2026, 12, 21, 9, 0, tzinfo=SHANGHAI), tick=True):
        response = client.post(
            f"/negative-info/{info.id}/start",
            data={"handler_id": as_supervisor.id, "version": info.version},
        )
        assert response.status_code == 302
        db.session.refresh(info)
        assert (info.verification_workdays, info.verification_due_provisional) == (30, True)
        weekends_only = info.verification_due

        set_param(db, "report.verification_workdays", 10)
        db.session.add(HolidayYear(year=2027))
        for day in [date(2027, 1, 1), *(date(2027, 1, d) for d in range(4, 9))]:
            db.session.add(HolidayDay(day=day, is_workday=False, name="测试假日"))
        db.session.flush()
        with app.test_request_context():
            assert recompute_provisional() >= 1
            expected = work_calendar().add_workdays(date(2026, 12, 21), 30).due
        db.session.refresh(info)
        assert info.verification_due == expected
        assert info.verification_due > weekends_only
        assert not info.verification_due_provisional
        recomputed = [e for e in info.history if e.event == "deadline_recomputed"]
        assert len(recomputed) == 1
        assert expected.isoformat() in recomputed[0].note
        page = client.get(f"/negative-info/{info.id}").get_data(as_text=True)
        assert "核实期限按节假日数据重新计算" in page
