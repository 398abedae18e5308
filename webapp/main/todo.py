"""我的待办: the open obligations the user answers for, by urgency, and acknowledging one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from webapp.extensions import db
from webapp.holidays.services import work_calendar
from webapp.main.links import record_endpoint
from webapp.main.suppression import RedWarning, Suppression
from webapp.models import Cadre, User
from webapp.models.obligations import Obligation
from webapp.obligations import services as obligations
from webapp.security.scope import scope_condition
from workflows.deadlines import Light

# The latest planned date accepted: a plan further out is not a plan (已知悉 is for this year).
MAX_PLAN_DAYS = 366
# The lights of 我的待办's summary, by a line's urgency.
LIGHT_KEYS = ("overdue", "due_today", "yellow", "green")


class PlanRefused(ValueError):
    """A planned date the to-do list does not accept (the message is shown by the field)."""


@dataclass(frozen=True)
class TodoLine:
    """One line of 我的待办."""

    obligation: Obligation
    light: Light | None
    overdue: bool
    due_today: bool
    # The active tier-3 warning about the cadre that keeps this line's reminders quiet.
    suppressed_by: RedWarning | None = None

    @property
    def urgency(self) -> int:
        """Rank the line: overdue, due today, 黄灯, the rest."""
        if self.overdue:
            return 0
        if self.due_today:
            return 1
        return 2 if self.light is Light.YELLOW else 3

    @property
    def link(self) -> str:
        """Return the URL of the record the obligation is about."""
        endpoint, values = record_endpoint(self.obligation)
        return url_for(endpoint, **values)


def mine(user: User) -> sa.ColumnElement:
    """Return the condition for obligations the user answers for.

    As the sweep addresses them: the responsible person, or, with nobody responsible, the
    holders of the step's role whose data scope covers the cadre.
    """
    by_role = sa.and_(
        Obligation.responsible_user_id.is_(None),
        Obligation.step_role == user.role.code,
        scope_condition(user, *Cadre.scope_columns()),
    )
    return sa.or_(Obligation.responsible_user_id == user.id, by_role)


def _open_for(user: User) -> sa.Select:
    return (
        select(Obligation)
        .join(Cadre, Cadre.id == Obligation.cadre_id)
        .where(Obligation.closed_at.is_(None), mine(user))
        .options(joinedload(Obligation.cadre))
    )


def todo_lines(user: User, today: date) -> list[TodoLine]:
    """Return the user's open obligations, most urgent first, then by due date.

    A line whose reminders a tier-3 warning keeps quiet names that warning (the sweep's rule).
    """
    cal, policy = work_calendar(), obligations.reminder_policy()
    found = db.session.scalars(_open_for(user)).unique().all()
    suppression = Suppression()
    suppression.prime(found)
    lines = []
    for o in found:
        light = obligations.light(o, today, cal, policy)
        # Overdue as the rules say (a due date on a holiday is met by the next working day);
        # "due today" then covers that holiday stretch too.
        overdue = light is Light.RED
        due_today = not overdue and o.due_on <= today
        lines.append(TodoLine(o, light, overdue, due_today, suppression.by(o)))
    return sorted(
        lines, key=lambda line: (line.urgency, line.obligation.due_on, line.obligation.id)
    )


def light_counts(lines: list[TodoLine]) -> dict[str, int]:
    """Count the user's deadlines by light: overdue, due today, 黄灯 and the rest."""
    counts = dict.fromkeys(LIGHT_KEYS, 0)
    for line in lines:
        counts[LIGHT_KEYS[line.urgency]] += 1
    return counts


def find_todo(user: User, obligation_id: int) -> Obligation | None:
    """Return one of the user's open obligations, or None."""
    return db.session.scalars(_open_for(user).where(Obligation.id == obligation_id)).first()


def check_plan(planned_on: date, today: date) -> None:
    """Refuse a planned date before today or more than a year ahead."""
    if planned_on < today:
        raise PlanRefused(_l("计划完成日期不能早于今天。"))
    if planned_on > today + timedelta(days=MAX_PLAN_DAYS):
        raise PlanRefused(_l("计划完成日期不能晚于一年之后。"))


def acknowledge_todo(obligation: Obligation, planned_on: date, today: date) -> None:
    """Record 已知悉，计划于…完成 on one of the user's obligations and commit."""
    check_plan(planned_on, today)
    obligations.acknowledge(obligation, planned_on, today)
    db.session.commit()
