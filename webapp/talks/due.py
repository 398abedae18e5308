"""The talks' due sources: the 回访 after a talk, and the 必谈 a talk of its occasion meets.

Talks keep no "follow-up done" field: the next talk with the same cadre is the 回访, so
recording a talk on a later day closes the follow-up obligations of the cadre's earlier talks.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from webapp.cadres.due import SUBJECT as EVENT_SUBJECT
from webapp.cadres.due import talk_occasion
from webapp.clock import org_today, org_zone, utc_now
from webapp.extensions import db
from webapp.holidays.services import work_calendar
from webapp.models import CadreEvent, Obligation, Talk
from webapp.obligations import services as obligations
from workflows.obligations import ObligationKind

SUBJECT = "talk"
FOLLOW_UP = ObligationKind.FOLLOW_UP_DUE


def keep_in_step(talk: Talk) -> None:
    """Bring every obligation a recorded or edited talk touches up to date (no commit)."""
    day = talk.started_at.astimezone(org_zone()).date()
    _sync_follow_up(talk, day)
    _close_earlier_follow_ups(talk, day)
    _close_mandatory_talks(talk, day)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=org_zone())


def _later_talk_exists(talk: Talk, day: date) -> bool:
    stmt = select(Talk.id).where(
        Talk.cadre_id == talk.cadre_id,
        Talk.id != talk.id,
        Talk.started_at >= _day_start(day + timedelta(days=1)),
    )
    return db.session.scalar(stmt.limit(1)) is not None


def _sync_follow_up(talk: Talk, day: date) -> None:
    due = talk.follow_up_on
    if due is None or due < day or _later_talk_exists(talk, day):
        obligations.close_obligation(FOLLOW_UP, SUBJECT, talk.id, utc_now())
        return
    cal = work_calendar()
    obligations.open_obligation(
        kind=FOLLOW_UP,
        subject_type=SUBJECT,
        subject_id=talk.id,
        cadre_id=talk.cadre_id,
        start=day,
        due=due,
        # A date picked on the form (months after the talk): the working days it spans.
        total_workdays=cal.workdays_between(day, due),
        today=org_today(),
        responsible_user_id=talk.created_by_id,
        step_role=None if talk.created_by_id else "supervisor",
        provisional=cal.is_provisional_span(day, due),
        cal=cal,
    )


def _open_of_cadre(kind: ObligationKind, subject_type: str, cadre_id: int):
    return select(Obligation).where(
        Obligation.kind == kind,
        Obligation.subject_type == subject_type,
        Obligation.cadre_id == cadre_id,
        Obligation.closed_at.is_(None),
    )


def _close_earlier_follow_ups(talk: Talk, day: date) -> None:
    earlier = select(Talk.id).where(
        Talk.cadre_id == talk.cadre_id, Talk.id != talk.id, Talk.started_at < _day_start(day)
    )
    stmt = _open_of_cadre(FOLLOW_UP, SUBJECT, talk.cadre_id).where(
        Obligation.subject_id.in_(earlier)
    )
    for obligation in db.session.scalars(stmt).all():
        obligations.close_obligation(FOLLOW_UP, SUBJECT, obligation.subject_id, utc_now())


def _close_mandatory_talks(talk: Talk, day: date) -> None:
    if not talk.occasion:
        return
    kind = ObligationKind.MANDATORY_TALK
    stmt = (
        _open_of_cadre(kind, EVENT_SUBJECT, talk.cadre_id)
        .add_columns(CadreEvent.kind)
        .join(CadreEvent, CadreEvent.id == Obligation.subject_id)
        # A talk held before the event was recorded is not the talk the event calls for.
        .where(Obligation.start_on <= day)
    )
    for obligation, event_kind in db.session.execute(stmt).all():
        if talk_occasion(event_kind) in ("", talk.occasion):
            obligations.close_obligation(kind, EVENT_SUBJECT, obligation.subject_id, utc_now())


def sync_all() -> int:
    """Declare every talk's follow-up and close the 必谈 talks met (run after the cadres')."""
    count = 0
    for talk in db.session.scalars(select(Talk).order_by(Talk.started_at, Talk.id)):
        keep_in_step(talk)
        count += 1
    return count
