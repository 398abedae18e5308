"""Dates that cannot be: each is checked against the talk's own timeline, beside its field."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.webapp.talks.test_talks import errors_of, talk_form
from webapp.models import Talk

# The clock stands at Sunday 2026-11-22 10:00 Beijing time; the form's talk is Friday 09:00–10:30.
IMPOSSIBLE = [
    ({"ended_at": "2026-11-21T10:00"}, "ended_at", "谈话时长不能超过 24 小时"),
    (
        {"started_at": "2026-11-10T09:00", "ended_at": "2026-11-20T10:00"},
        "ended_at",
        "谈话时长不能超过 24 小时",
    ),
    (
        {"started_at": "2026-11-22T09:30", "ended_at": "2026-11-22T10:30"},
        "ended_at",
        "结束时间不能晚于当前时间",
    ),
    ({"ended_at": "2026-11-20T08:59"}, "ended_at", "结束时间应晚于开始时间"),
    ({"follow_up_on": "2026-11-20"}, "follow_up_on", "回访日期应晚于谈话日期"),
    ({"acknowledged_on": "2026-11-19"}, "acknowledged_on", "签收日期不能早于谈话日期"),
    ({"acknowledged_on": "2026-11-23"}, "acknowledged_on", "日期不能晚于今天"),
    ({"follow_up_on": "2026-02-30"}, "follow_up_on", "日期格式应为 年-月-日"),
]


@pytest.mark.parametrize(("overrides", "field_id", "message"), IMPOSSIBLE)
def test_impossible_date_is_refused_beside_its_field_and_everything_is_kept(
    client, login, db, world, overrides, field_id, message
):
    login(world.supervisor.username)
    data = talk_form(world.cadre, **overrides)
    response = client.post("/talks/new", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in errors_of(page, field_id)
    for name in ("started_at", "ended_at", "follow_up_on", "acknowledged_on", "place"):
        assert f'value="{data[name]}"' in page, name
    assert "诚恳接受组织提醒" in page  # long text typed is kept too
    assert db.session.scalar(select(func.count()).select_from(Talk)) == 0


@pytest.mark.parametrize(
    "overrides",
    [
        {
            "started_at": "2026-11-21T23:00",
            "ended_at": "2026-11-22T01:00",  # past midnight
            "acknowledged_on": "2026-11-22",
        },
        {"acknowledged_on": "2026-11-22", "follow_up_on": "2026-11-21"},  # signed today
        {
            "started_at": "2026-11-22T09:00",
            "ended_at": "2026-11-22T09:59",  # this morning
            "acknowledged_on": "2026-11-22",
        },
    ],
)
def test_possible_dates_are_accepted(client, login, db, world, overrides):
    login(world.supervisor.username)
    assert client.post("/talks/new", data=talk_form(world.cadre, **overrides)).status_code == 302
