"""The 'meetings' job creates each due review meeting once, also after a stop across its time."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine
from sqlalchemy import select

from alerts import jobs, schedule
from tests.factories import make_user
from tests.helpers import notifications
from webapp.extensions import db as _db
from webapp.models import DataScope, JobRun
from webapp.models.meetings import Meeting, MeetingSeries

CREATED = datetime(2026, 11, 10, 1, 0, tzinfo=UTC)
# 双周研判's rhythm: 02:00 UTC on the 1st and the 16th.
FIRE_16TH = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)
FIRE_1ST = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def make_series(world) -> MeetingSeries:
    secretary = make_user("reviewer", world.root, DataScope.ALL)
    attendee = make_user("approver", world.root, DataScope.ALL)
    with time_machine.travel(CREATED, tick=False):
        series = MeetingSeries(
            kind="biweekly", unit=world.root, secretary=secretary, attendees=[attendee]
        )
        _db.session.add(series)
        _db.session.commit()
    return series


def meetings_of(series) -> list[Meeting]:
    return _db.session.scalars(
        select(Meeting).where(Meeting.series_id == series.id).order_by(Meeting.id)
    ).all()


def run(app, now: datetime):
    with time_machine.travel(now, tick=False):
        return jobs.run_job(app, "meetings", jobs.meetings, now=now)


def test_the_job_is_declared_with_a_stable_id(app):
    spec = schedule.job("meetings")
    assert spec.work is jobs.meetings
    assert spec.default_cron == "*/10 * * * *"


def test_a_due_meeting_is_created_once_and_its_people_told_once(app, world):
    series = make_series(world)
    first = run(app, datetime(2026, 11, 16, 2, 10, tzinfo=UTC))
    again = run(app, datetime(2026, 11, 16, 2, 20, tzinfo=UTC))
    assert first.result == again.result == "ok"
    assert first.detail["created"] == 1 and again.detail["created"] == 0
    (meeting,) = meetings_of(series)
    assert meeting.scheduled_for == FIRE_16TH
    assert meeting.status == "pending" and meeting.held_on.isoformat() == "2026-11-16"
    sent = notifications(kind="meeting_due")
    told = {n.user_id for n in sent}
    assert told == {series.secretary_id, *(u.id for u in series.attendees)}
    assert len(sent) == len(told) == 2  # once each, not once per run
    assert all(n.link == f"/meetings/{meeting.id}" for n in sent)


def test_nothing_is_created_before_the_series_first_fire_time(app, world):
    series = make_series(world)
    assert run(app, datetime(2026, 11, 16, 1, 59, tzinfo=UTC)).detail["created"] == 0
    assert meetings_of(series) == []


def test_a_stop_across_its_due_times_makes_up_the_latest_meeting_once(app, world):
    series = make_series(world)
    # The scheduler last ran on 15 November and was stopped across the 16th and the 1st.
    _db.session.add(
        JobRun(job_id="meetings", started_at=datetime(2026, 11, 15, 23, 0, tzinfo=UTC), result="ok")
    )
    _db.session.commit()
    back = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    assert "meetings" in {s.id for s in schedule.missed(back)}
    assert run(app, back).detail["created"] == 1
    assert run(app, datetime(2026, 12, 1, 3, 10, tzinfo=UTC)).detail["created"] == 0
    (meeting,) = meetings_of(series)
    assert meeting.scheduled_for == FIRE_1ST
    # Its agenda looks back to the previous fire time, since no meeting was held then.
    assert meeting.period_start.isoformat() == "2026-11-16"
    assert "meetings" not in {
        s.id for s in schedule.missed(datetime(2026, 12, 1, 3, 5, tzinfo=UTC))
    }


def test_the_next_meeting_of_a_series_covers_the_time_since_the_last(app, world):
    series = make_series(world)
    run(app, datetime(2026, 11, 16, 2, 10, tzinfo=UTC))
    run(app, datetime(2026, 12, 1, 2, 10, tzinfo=UTC))
    older, newer = meetings_of(series)
    assert newer.period_start == older.held_on
    assert older.next_on == newer.held_on
    assert older.number != newer.number


def test_an_inactive_series_gets_no_meeting(app, world):
    series = make_series(world)
    series.active = False
    _db.session.commit()
    assert run(app, datetime(2026, 11, 16, 2, 10, tzinfo=UTC)).detail["created"] == 0
