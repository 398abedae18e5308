"""我的待办: the open obligations the user answers for, by urgency, and acknowledging one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.sql.elements import True_

from webapp.extensions import db
from webapp.holidays.services import work_calendar
from webapp.main.links import record_endpoint
from webapp.main.suppression import RedWarning, Suppression
from webapp.models import Cadre, User
from webapp.models.obligations import Obligation
from webapp.obligations import services as obligations
from webapp.obligations import yellow
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
    by_role = [Obligation.responsible_user_id.is_(None), Obligation.step_role == user.role.code]
    scope = scope_condition(user, *Cadre.scope_columns())
    # The cadre is looked up only for a scope short of everything, and only for a role's row:
    # ranking a province's thousands of lines then reads no cadre at all.
    if not isinstance(scope, True_):
        by_role.append(Obligation.cadre_id.in_(select(Cadre.id).where(scope)))
    return sa.or_(Obligation.responsible_user_id == user.id, sa.and_(*by_role))


def _mine_open(user: User) -> sa.Select:
    return select(Obligation).where(Obligation.closed_at.is_(None), mine(user))


def _open_for(user: User) -> sa.Select:
    return _mine_open(user).options(joinedload(Obligation.cadre))


@dataclass(frozen=True)
class Ranking:
    """The user's open obligations and each one's urgency in SQL."""

    stmt: sa.Select
    days: yellow.YellowDays
    today: date

    @cached_property
    def urgency(self) -> sa.ColumnElement[int]:
        """Rank as TodoLine.urgency does: overdue, due today, 黄灯, the rest."""
        # Overdue after the working day it was due by, due today from its due date on (a
        # holiday stretch too).
        return sa.case(
            (Obligation.due_workday < self.today, 0),
            (Obligation.due_on <= self.today, 1),
            (self.days.reached(), 2),
            else_=3,
        )

    def counts(self) -> tuple[dict[str, int], int]:
        """Count the deadlines by light (one query); also return the k the 黄灯 needs."""
        rows = db.session.execute(
            self.stmt.with_only_columns(
                self.urgency, sa.func.count(), *self.days.bounds(self.today)
            )
            .group_by(self.urgency)
            .order_by(None)
        ).all()
        counts = dict.fromkeys(LIGHT_KEYS, 0)
        starts, largest = [], []
        for rank, count, earliest, most in rows:
            counts[LIGHT_KEYS[rank]] = count
            if earliest is not None:  # a group with rows still to be decided by k
                starts.append(earliest)
                largest.append(most)
        needed = yellow.needed(
            min(starts, default=None), max(largest, default=None), self.today, work_calendar()
        )
        return counts, needed

    def first(self, limit: int, offset: int = 0) -> list[Obligation]:
        """Return the most urgent obligations, then by due date, after skipping `offset`."""
        stmt = (
            # The page's cadres in one more query: joined, every ranked row would read one. A
            # line shows the name alone: no unit, and no sealed ID number decrypted.
            self.stmt.options(
                selectinload(Obligation.cadre).load_only(Cadre.name).lazyload(Cadre.unit)
            )
            .order_by(self.urgency, Obligation.due_on, Obligation.id)
            .limit(limit)
            .offset(offset)
        )
        return list(db.session.scalars(stmt).all())


def ranked(user: User, today: date) -> tuple[Ranking, dict[str, int]]:
    """Rank the user's open obligations as 我的待办 lists them, in SQL; count them by light.

    One query counts, unless a 黄灯 is counted from further back than the list of working
    days reaches (a year's): then it counts again with a list that far.
    """
    cal, policy = work_calendar(), obligations.reminder_policy()
    ranking = Ranking(_mine_open(user), yellow.yellow_days(today, cal, policy), today)
    counts, needed = ranking.counts()
    if needed > ranking.days.horizon:
        days = yellow.yellow_days(today, cal, policy, needed)
        ranking = Ranking(ranking.stmt, days, today)
        counts, _needed = ranking.counts()
    return ranking, counts


@dataclass(frozen=True)
class Pager:
    """The pages of 显示全部, as the `pager` macro reads them."""

    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        """Return how many pages there are."""
        return max(-(-self.total // self.per_page), 1)

    @property
    def has_prev(self) -> bool:
        """Tell whether there is a page before this one."""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """Tell whether there is a page after this one."""
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        """Return the number of the page before."""
        return self.page - 1

    @property
    def next_num(self) -> int:
        """Return the number of the page after."""
        return self.page + 1


@dataclass(frozen=True)
class Todos:
    """The lines of 我的待办 shown, the lights of all of them and, under 显示全部, its pages."""

    lines: list[TodoLine] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LIGHT_KEYS, 0))
    pager: Pager | None = None

    @property
    def total(self) -> int:
        """Return how many open obligations the user answers for."""
        return sum(self.counts.values())


def lines_of(found: Sequence[Obligation], today: date) -> list[TodoLine]:
    """Return the to-do lines of some obligations, in their order.

    A line whose reminders a tier-3 warning keeps quiet names that warning (the sweep's rule).
    """
    cal, policy = work_calendar(), obligations.reminder_policy()
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
    return lines


def todos(user: User, today: date, shown: int, page_size: int, page: int | None) -> Todos:
    """Return the first `shown` lines of 我的待办, or with a page number that page of them all.

    Ranked and cut in SQL, so the work is a page's, not the thousands of obligations a
    province's supervisor answers for; each line shown is then lit by the rules themselves.
    """
    ranking, counts = ranked(user, today)
    if not any(counts.values()):
        return Todos(counts=counts)
    if page is None:
        return Todos(lines_of(ranking.first(shown), today), counts)
    pager = Pager(max(page, 1), page_size, sum(counts.values()))
    pager = Pager(min(pager.page, pager.pages), page_size, pager.total)
    found = ranking.first(page_size, (pager.page - 1) * page_size)
    return Todos(lines_of(found, today), counts, pager)


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
