"""Create the meetings that have fallen due, each once, with agenda and notices (the job's work).

For every active series the latest fire time of its kind's rhythm at or before now is the
meeting owed; it is created unless the series already has a meeting for that time (a unique
constraint backs the check). A scheduler stopped across several fire times makes up only the
latest one when it returns, as the other jobs do.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from webapp.clock import org_zone
from webapp.cron import crontab_trigger
from webapp.extensions import db
from webapp.main.links import path_for
from webapp.meetings.agenda import freeze
from webapp.meetings.kinds import kind_cron, kind_label
from webapp.models import User
from webapp.models.meetings import Meeting, MeetingAttendee, MeetingSeries
from webapp.models.notifications import ChannelCode
from webapp.negative_info.numbering import next_number
from webapp.outbox import enqueue

NUMBER_PREFIX = "HY"
# The longest rhythm seeded is yearly: look back a little over a year for the previous time.
LOOKBACK = timedelta(days=370)
NOTICE_KIND = "meeting_due"


def fires(expression: str, after: datetime, until: datetime) -> Iterator[datetime]:
    """Yield the fire times of a UTC crontab strictly after `after` and up to `until`."""
    trigger = crontab_trigger(expression, UTC)
    current = after
    while True:
        nxt = trigger.get_next_fire_time(None, current + timedelta(microseconds=1))
        if nxt is None or nxt > until:
            return
        yield nxt
        current = nxt


def last_fire(expression: str, now: datetime, since: datetime | None = None) -> datetime | None:
    """Return the latest fire time at or before now (not before `since`), or None."""
    start = max(since - timedelta(microseconds=1), now - LOOKBACK) if since else now - LOOKBACK
    last = None
    for last in fires(expression, start, now):  # noqa: B007
        pass
    return last


def next_fire(expression: str, after: datetime) -> datetime:
    """Return the first fire time strictly after an instant."""
    trigger = crontab_trigger(expression, UTC)
    return trigger.get_next_fire_time(None, after + timedelta(microseconds=1))


def org_date(at: datetime):
    """Return the organisation's date at an instant."""
    return at.astimezone(org_zone()).date()


def open_meeting(series: MeetingSeries, scheduled_for: datetime, now: datetime) -> Meeting:
    """Create the series' meeting for a fire time with its frozen agenda and notices (no commit)."""
    cron = kind_cron(series.kind)
    held_on = org_date(scheduled_for)
    previous = db.session.scalars(
        sa.select(Meeting)
        .where(Meeting.series_id == series.id, Meeting.scheduled_for < scheduled_for)
        .order_by(Meeting.scheduled_for.desc())
        .limit(1)
    ).first()
    if previous is not None:
        period_start = previous.held_on
    else:
        before = last_fire(cron, scheduled_for - timedelta(microseconds=1))
        period_start = org_date(before) if before else held_on - timedelta(days=7)
    meeting = Meeting(
        number=next_number(NUMBER_PREFIX, held_on.year),
        series=series,
        kind=series.kind,
        unit_id=series.unit_id,
        unit=series.unit,
        scheduled_for=scheduled_for,
        held_on=held_on,
        period_start=period_start,
        next_on=org_date(next_fire(cron, scheduled_for)),
        secretary_id=series.secretary_id,
    )
    meeting.attendees = [MeetingAttendee(user_id=u.id, name=u.full_name) for u in series.attendees]
    db.session.add(meeting)
    db.session.flush()
    count = freeze(meeting, org_date(now), now)
    notify(meeting, count, now)
    return meeting


def notify(meeting: Meeting, agenda_size: int, now: datetime) -> int:
    """Tell the secretary and attendees the meeting is due (站内消息, once each); return how many."""
    people = {a.user_id for a in meeting.attendees if a.user_id}
    if meeting.secretary_id:
        people.add(meeting.secretary_id)
    active = db.session.scalars(
        sa.select(User.id).where(User.id.in_(people), User.active.is_(True))
    ).all()
    label = kind_label(meeting.kind)
    detail = (
        f"{label}（{meeting.number}，{meeting.held_on.isoformat()}）待召开，议程 {agenda_size} 项"
    )
    link = path_for("meetings.detail", meeting_id=meeting.id)
    sent = 0
    for user_id in sorted(active):
        sent += enqueue(
            kind=NOTICE_KIND,
            subject=f"meeting:{meeting.id}",
            stage="created",
            due_date=meeting.held_on,
            user_id=user_id,
            channel=ChannelCode.INAPP,
            label=label,
            detail=detail,
            link=link,
            now=now,
        )
    return sent


def create_due_meetings(now: datetime) -> dict:
    """Create each active series' owed meeting that does not exist yet; return the counts."""
    created = []
    series_list = db.session.scalars(
        sa.select(MeetingSeries).where(MeetingSeries.active.is_(True)).order_by(MeetingSeries.id)
    ).all()
    for series in series_list:
        due = last_fire(kind_cron(series.kind), now, since=series.created_at)
        if due is None:
            continue
        exists = db.session.scalar(
            sa.select(Meeting.id).where(
                Meeting.series_id == series.id, Meeting.scheduled_for == due
            )
        )
        if exists is None:
            created.append(open_meeting(series, due, now).number)
    return {"created": len(created), "meetings": created}
