"""A dry run of the reminders: what the sweep would send to whom on each of the next days.

Reads the open obligations and replays the pure rules day by day in memory; writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from webapp.extensions import db
from webapp.holidays.services import work_calendar
from webapp.models.obligations import Obligation
from webapp.obligations.services import reminder_policy
from workflows import obligations as rules


@dataclass(frozen=True)
class Planned:
    """One reminder the sweep would send."""

    day: date
    obligation_id: int
    label: str
    stage: rules.Stage
    recipient: str  # a username, or the step's role when no one is responsible


def simulate(start: date, days: int) -> list[Planned]:
    """Return the reminders the daily sweeps from start would send over the days, in order."""
    last = start + timedelta(days=days - 1)
    cal, policy = work_calendar(), reminder_policy()
    rows = db.session.scalars(
        select(Obligation)
        .where(Obligation.closed_at.is_(None), Obligation.next_fire_on <= last)
        .order_by(Obligation.next_fire_on, Obligation.id)
    ).all()
    planned = []
    for obligation in rows:
        terms, fired = obligation.terms(), set(obligation.fired)
        if obligation.responsible_user is not None:
            recipient = obligation.responsible_user.username
        else:
            recipient = f"[{obligation.step_role or '-'}]"
        for offset in range(days):
            day = start + timedelta(days=offset)
            for stage in rules.stages_to_fire(terms, fired, day, cal, policy):
                fired.add(stage)
                planned.append(Planned(day, obligation.id, obligation.kind.label, stage, recipient))
    planned.sort(key=lambda p: (p.day, p.obligation_id))
    return planned
