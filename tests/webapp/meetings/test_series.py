"""会议设置: a kind for a unit with its secretary and attendees, one per kind and unit, in scope."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from webapp.extensions import db as _db
from webapp.meetings.series import SeriesInput, save_series
from webapp.meetings.services import MeetingError
from webapp.models.meetings import MeetingSeries


def test_the_page_sets_a_series_and_saving_again_updates_it(client, login, world):
    _db.session.commit()
    assert login(world.reviewer.username).status_code == 302
    page = client.get("/meetings/series").get_data(as_text=True)
    assert "会议设置" in page and "双周研判" in page
    data = {
        "kind": "biweekly",
        "unit_id": world.root.id,
        "secretary_id": world.reviewer.id,
        "attendees": [world.approver.id],
        "active": "y",
    }
    assert client.post("/meetings/series", data=data).status_code == 302
    data["attendees"] = [world.approver.id, world.minister.id]
    assert client.post("/meetings/series", data=data).status_code == 302
    (series,) = _db.session.scalars(select(MeetingSeries)).all()
    assert series.secretary_id == world.reviewer.id
    assert {u.id for u in series.attendees} == {world.approver.id, world.minister.id}
    assert "测试reviewer" in client.get("/meetings/series").get_data(as_text=True)


def test_a_supervisor_may_not_set_series(client, login, world):
    assert login(world.supervisor.username).status_code == 302
    assert client.get("/meetings/series").status_code == 403


def test_a_unit_outside_the_scope_is_refused(world):
    given = SeriesInput("weekly", world.other.id, world.supervisor.id)
    with pytest.raises(MeetingError) as refused:
        save_series(world.supervisor, given)
    assert refused.value.code == "unit"
