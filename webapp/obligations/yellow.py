"""黄灯 in SQL: whether an open obligation's 黄灯 day has come by today, as a condition on its row.

A list that ranks thousands of obligations by light cannot light each one in Python. The rules
(`workflows.obligations.stage_days`) put the 黄灯 day on the k-th working day after the start,
k being the working days used at the threshold plus those paused (k = ⌈total × percent⌉ +
paused; k = 0 is the start itself rolled onto a working day). That day has come by today
exactly when the start lies before the k-th latest working day up to today (for k = 0: on or
before the latest). So the condition looks that day up by k in a list built from the calendar
for the request, k = 0 up to a year of working days, or further when a row needs it. An
influence period's notice is calendar days before its end, rolled onto a working day: it has
come when both its start and its end less the notice lie on or before the latest working day.

With the stored `due_workday` this gives the light of `rules.light_of`: red after the due
working day, yellow on it or once the 黄灯 day has come, green before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from webapp.extensions import db
from webapp.models.obligations import Obligation
from workflows.calendar import WorkCalendar
from workflows.deadlines import Light
from workflows.obligations import ObligationKind, Policy

_ONE_DAY = timedelta(days=1)
_INFLUENCE = ObligationKind.INFLUENCE_ENDING
# The k the list reaches by default: a year of working days (a list of 2.6 kB).
HORIZON = 250


def used_workdays(policy: Policy) -> sa.ColumnElement[int]:
    """Return k of an obligation's row: the working days after its start that its 黄灯 comes."""
    # ⌈total × percent / 100⌉ as whole numbers (total_workdays is never negative: a due date
    # is never before its start), as `rules._yellow_threshold` counts it.
    used = (Obligation.total_workdays * policy.yellow_percent + 99) // 100
    k = used + Obligation.paused_workdays
    return sa.case((k < 0, 0), else_=k)


def latest_workdays(today: date, cal: WorkCalendar, count: int) -> list[date]:
    """Return the `count` latest working days up to today, latest first."""
    days, day = [], today
    while len(days) < count:
        if cal.is_workday(day):
            days.append(day)
        day -= _ONE_DAY
    return days


class DayList(sa.TypeDecorator):
    """Dates sent as one parameter: an array on PostgreSQL, ISO dates run together on SQLite."""

    impl = sa.String
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine:
        """Use a date array where the database has one."""
        if dialect.name == "postgresql":
            return dialect.type_descriptor(ARRAY(sa.Date()))
        return dialect.type_descriptor(sa.String())

    def process_bind_param(self, value: list[date] | None, dialect: sa.Dialect) -> object:
        """Send the list as the array, or as 10 characters a day."""
        if value is None or dialect.name == "postgresql":
            return value
        return "".join(day.isoformat() for day in value)


class day_at(FunctionElement):
    """The date at a 0-based index of a `DayList` parameter (NULL or '' past its end)."""

    type = sa.Date()
    inherit_cache = True


@compiles(day_at, "postgresql")
def _day_at_postgresql(element: day_at, compiler, **kw) -> str:
    days, index = element.clauses
    return f"({compiler.process(days, **kw)})[{compiler.process(index, **kw)} + 1]"


@compiles(day_at)
def _day_at_text(element: day_at, compiler, **kw) -> str:
    # SQLite keeps dates as ISO text, which compares as the dates do.
    days, index = element.clauses
    return f"substr({compiler.process(days, **kw)}, {compiler.process(index, **kw)} * 10 + 1, 10)"


@dataclass(frozen=True)
class YellowDays:
    """The day a start must come before for its 黄灯 to have come by today, by k.

    One parameter holds them all, so the statements are the same text every day and stay in
    SQLAlchemy's statement cache (a table of literal rows would be compiled on every request).
    """

    starts_before: list[date]  # by k = 0 … horizon
    latest_workday: date
    policy: Policy

    @property
    def horizon(self) -> int:
        """Return the largest k the list reaches."""
        return len(self.starts_before) - 1

    def bounds(self, today: date) -> tuple[sa.ColumnElement, sa.ColumnElement]:
        """Return the aggregates `needed` reads: the earliest start and the largest k.

        Over the rows whose 黄灯 is still to be decided by k: not an influence period, and
        before their due working day.
        """
        undecided = sa.and_(Obligation.kind != _INFLUENCE, Obligation.due_workday > today)
        return (
            sa.func.min(sa.case((undecided, Obligation.start_on))),
            sa.func.max(sa.case((undecided, used_workdays(self.policy)))),
        )

    def reached(self) -> sa.ColumnElement[bool]:
        """Return the condition that an open obligation's 黄灯 day has come by today."""
        notice = timedelta(days=self.policy.influence_notice_days)
        before = day_at(
            sa.bindparam("yellow_starts_before", self.starts_before, type_=DayList()),
            used_workdays(self.policy),
        )
        return sa.case(
            (
                Obligation.kind == _INFLUENCE,
                sa.and_(
                    Obligation.start_on <= self.latest_workday,
                    Obligation.due_on <= self.latest_workday + notice,
                ),
            ),
            # A k past the list finds no day (NULL, or '' on SQLite): not come, which holds
            # when the list reaches the k `needed` says.
            else_=sa.func.coalesce(Obligation.start_on < before, sa.false()),
        )

    def light(self, today: date) -> sa.ColumnElement[str]:
        """Return the light of an open obligation as its value (`Light`), as the rules give it."""
        return sa.case(
            (Obligation.due_workday < today, Light.RED.value),
            (sa.or_(Obligation.due_workday <= today, self.reached()), Light.YELLOW.value),
            else_=Light.GREEN.value,
        )


def yellow_days(
    today: date, cal: WorkCalendar, policy: Policy, horizon: int = HORIZON
) -> YellowDays:
    """Return the days for k = 0 … horizon."""
    latest = latest_workdays(today, cal, max(horizon, 1))
    # k = 0: on or before the latest working day; k ≥ 1: before the k-th latest.
    return YellowDays([latest[0] + _ONE_DAY, *latest[:horizon]], latest[0], policy)


def needed(earliest: date | None, most: int | None, today: date, cal: WorkCalendar) -> int:
    """Return the largest k whose 黄灯 may have come, from the `bounds` of some rows.

    The largest k among them, but no more than the working days since the earliest start:
    a k beyond those has come for none.
    """
    if earliest is None or most is None:
        return 0
    return max(min(most, cal.workdays_between(earliest, today)), 0)


def horizon(stmt: sa.Select, today: date, cal: WorkCalendar, policy: Policy) -> int:
    """Return the largest k whose 黄灯 may have come among a select's open obligations."""
    days = yellow_days(today, cal, policy, 0)
    bounds = stmt.with_only_columns(*days.bounds(today)).order_by(None)
    return needed(*db.session.execute(bounds).one(), today, cal)
