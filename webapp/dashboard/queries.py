"""The 晴雨表's SQL: each figure is one GROUP BY over the user's scope, limited to a unit's subtree.

Every function takes the user and the unit in focus (None: the whole scope) and returns plain
rows; none reads `current_user`, builds a URL or commits. The number of statements a page
sends does not grow with the data: no loop here runs a query per unit or per month.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from flask import g
from sqlalchemy.orm import joinedload

from webapp.extensions import db
from webapp.models import (
    Cadre,
    Clarification,
    DataScope,
    NegativeInfo,
    Obligation,
    OrgUnit,
    User,
    Warning,
)
from webapp.obligations import services as obligations
from webapp.security.scope import in_subtree, scope_condition, scoped, subtree_ids
from webapp.warnings.register import overdue_condition
from workflows.states import ACTIVE_STATES, State

ACTIVE = sorted(ACTIVE_STATES)


def whole_tree(focus: OrgUnit | None) -> bool:
    """Tell whether the focus holds every unit (the one root): its subtree then limits nothing."""
    if focus is None:
        return True
    memo = g.setdefault("dashboard_whole_tree", {})
    if focus.id not in memo:
        outside = sa.select(OrgUnit.id).where(
            sa.not_(OrgUnit.path.startswith(focus.path, autoescape=True))
        )
        memo[focus.id] = db.session.scalar(outside.limit(1)) is None
    return memo[focus.id]


def _in_focus(unit_column, focus: OrgUnit | None) -> sa.ColumnElement:
    return sa.true() if whole_tree(focus) else unit_column.in_(subtree_ids(focus))


def _reports_in_focus(focus: OrgUnit | None) -> sa.ColumnElement:
    # As the register's 单位（含下级） filter reads it: the linked cadre's unit, else the item's.
    return sa.true() if whole_tree(focus) else in_subtree(NegativeInfo, focus)


def _cadre_scope(user: User) -> sa.ColumnElement:
    return scope_condition(user, *Cadre.scope_columns())


def _pairs(stmt: sa.Select) -> dict:
    return {key: int(n) for key, n in db.session.execute(stmt).all()}


# ---------------------------------------------------------------- headline counts


def cadres_by_colour(user: User, focus: OrgUnit | None) -> dict[str, int]:
    """Count the cadres in scope by status colour."""
    stmt = scoped(
        sa.select(Cadre.status_colour, sa.func.count()).group_by(Cadre.status_colour),
        Cadre,
        user,
    ).where(_in_focus(Cadre.unit_id, focus))
    return _pairs(stmt)


def _warnings(user: User, focus: OrgUnit | None, *columns) -> sa.Select:
    # The focus as a set of cadres (as the scope is): no join of every warning to its cadre.
    stmt = scoped(sa.select(*columns).select_from(Warning), Warning, user)
    if whole_tree(focus):
        return stmt
    return stmt.where(
        Warning.cadre_id.in_(sa.select(Cadre.id).where(_in_focus(Cadre.unit_id, focus)))
    )


def warnings_by_state(user: User, focus: OrgUnit | None) -> dict[str, int]:
    """Count the warnings in scope by state."""
    stmt = _warnings(user, focus, Warning.state, sa.func.count()).group_by(Warning.state)
    return {State(state): n for state, n in _pairs(stmt).items()}


def active_by_tier(user: User, focus: OrgUnit | None) -> dict[int, int]:
    """Count the warnings in force (已下达, 整改中, 待复核) by tier."""
    stmt = (
        _warnings(user, focus, Warning.tier, sa.func.count())
        .where(Warning.state.in_(ACTIVE))
        .group_by(Warning.tier)
    )
    return {int(tier): n for tier, n in _pairs(stmt).items()}


def overdue_warnings(user: User, focus: OrgUnit | None, today: date) -> int:
    """Count the warnings whose running deadline has passed, as the register's 仅看超期 does."""
    stmt = _warnings(user, focus, sa.func.count()).where(overdue_condition(today))
    return int(db.session.scalar(stmt) or 0)


# ---------------------------------------------------------------- units


def child_units(focus: OrgUnit | None) -> list[OrgUnit]:
    """Return the active units right below the focus (the roots without one), in order."""
    parent = OrgUnit.parent_id.is_(None) if focus is None else OrgUnit.parent_id == focus.id
    stmt = sa.select(OrgUnit).where(parent, OrgUnit.active.is_(True))
    return list(db.session.scalars(stmt.order_by(OrgUnit.sort_order, OrgUnit.id)))


def ancestors(unit: OrgUnit) -> list[OrgUnit]:
    """Return the unit's ancestors from the root down (one query, read from its path)."""
    ids = [int(part) for part in unit.path.strip("/").split("/")[:-1] if part]
    if not ids:
        return []
    found = {u.id: u for u in db.session.scalars(sa.select(OrgUnit).where(OrgUnit.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def with_children(units: Sequence[OrgUnit]) -> set[int]:
    """Return the ids of the listed units that have an active unit below them."""
    stmt = sa.select(OrgUnit.parent_id).where(
        OrgUnit.parent_id.in_([u.id for u in units]), OrgUnit.active.is_(True)
    )
    return set(db.session.scalars(stmt.distinct())) if units else set()


def root_units() -> list[OrgUnit]:
    """Return the active units without a parent."""
    return child_units(None)


def _cells_of(cells: Sequence[OrgUnit], focus: OrgUnit | None) -> dict[int, list[int]]:
    """Map each unit of the focus's subtree to the listed units (cells) whose subtree holds it."""
    wanted = {u.id for u in cells}
    stmt = sa.select(OrgUnit.id, OrgUnit.path)
    if not whole_tree(focus):
        stmt = stmt.where(OrgUnit.path.startswith(focus.path, autoescape=True))
    placed = {}
    for unit_id, path in db.session.execute(stmt):
        held = [int(part) for part in path.strip("/").split("/") if part and int(part) in wanted]
        if held:
            placed[unit_id] = held
    return placed


def cell_colours(
    user: User, cells: Sequence[OrgUnit], focus: OrgUnit | None = None
) -> dict[tuple[int, str], int]:
    """Count the cadres in scope in each cell's subtree by status colour.

    One GROUP BY unit over the focus's subtree (an index-only scan of the unit and colour),
    summed up into the cells here: no join of every cadre to every cell's path.
    """
    if not cells:
        return {}
    stmt = (
        sa.select(Cadre.unit_id, Cadre.status_colour, sa.func.count())
        .where(_cadre_scope(user), _in_focus(Cadre.unit_id, focus))
        .group_by(Cadre.unit_id, Cadre.status_colour)
    )
    placed = _cells_of(cells, focus)
    found: dict[tuple[int, str], int] = {}
    for unit_id, colour, n in db.session.execute(stmt):
        for cell_id in placed.get(unit_id, ()):
            found[cell_id, colour] = found.get((cell_id, colour), 0) + int(n)
    return found


def cell_warnings(
    user: User, cells: Sequence[OrgUnit], today: date, focus: OrgUnit | None = None
) -> dict[int, tuple[int, int]]:
    """Count, per cell, the warnings in force and the overdue warnings in scope."""
    if not cells:
        return {}
    active = sa.func.sum(sa.case((Warning.state.in_(ACTIVE), 1), else_=0))
    overdue = sa.func.sum(sa.case((overdue_condition(today), 1), else_=0))
    stmt = (
        _warnings(user, focus, Cadre.unit_id, active, overdue)
        .join(Cadre, Cadre.id == Warning.cadre_id)
        .group_by(Cadre.unit_id)
    )
    placed = _cells_of(cells, focus)
    found: dict[int, tuple[int, int]] = {}
    for unit_id, a, o in db.session.execute(stmt):
        for cell_id in placed.get(unit_id, ()):
            was = found.get(cell_id, (0, 0))
            found[cell_id] = (was[0] + int(a or 0), was[1] + int(o or 0))
    return found


# ---------------------------------------------------------------- trends and sources


def _month_parts(column) -> tuple[sa.ColumnElement, sa.ColumnElement]:
    return sa.extract("year", column), sa.extract("month", column)


def _by_month(stmt: sa.Select, column, first: date, last: date, key=None) -> dict:
    """Count rows by (year, month, key) of a date column in the window ("" without a key)."""
    year, month = _month_parts(column)
    keys = [year, month] if key is None else [year, month, key]
    stmt = stmt.add_columns(*keys, sa.func.count()).where(column.between(first, last))
    rows = db.session.execute(stmt.group_by(*keys))
    if key is None:
        return {(int(y), int(m), ""): int(n) for y, m, n in rows}
    return {(int(y), int(m), k): int(n) for y, m, k, n in rows}


def reports_by_month(user: User, focus: OrgUnit | None, first: date, last: date) -> dict:
    """Count new negative information by (year, month, source channel) received in the window."""
    stmt = scoped(sa.select().select_from(NegativeInfo), NegativeInfo, user).where(
        _reports_in_focus(focus)
    )
    return _by_month(stmt, NegativeInfo.received_on, first, last, NegativeInfo.source_channel)


def issued_by_month(user: User, focus: OrgUnit | None, first: date, last: date) -> dict:
    """Count warnings by (year, month, tier) of their issue date in the window."""
    return _by_month(_warnings(user, focus), Warning.issued_on, first, last, Warning.tier)


def lifted_by_month(user: User, focus: OrgUnit | None, first: date, last: date) -> dict:
    """Count lifted warnings by (year, month, "") of their closing date in the window."""
    stmt = _warnings(user, focus).where(Warning.state == State.LIFTED)
    return _by_month(stmt, Warning.closed_on, first, last)


def clarified_by_month(user: User, focus: OrgUnit | None, first: date, last: date) -> dict:
    """Count warnings with a clarification made, by (year, month, "") of its date."""
    year, month = _month_parts(Clarification.clarified_on)
    stmt = (
        _warnings(user, focus, year, month, sa.func.count(sa.distinct(Warning.id)))
        .join(Clarification, Clarification.warning_id == Warning.id)
        .where(Clarification.clarified_on.between(first, last))
        .group_by(year, month)
    )
    return {(int(y), int(m), ""): int(n) for y, m, n in db.session.execute(stmt)}


def reports_by_source(user: User, focus: OrgUnit | None) -> dict[str, int]:
    """Count the negative information in scope by source channel."""
    stmt = scoped(
        sa.select(NegativeInfo.source_channel, sa.func.count()).group_by(
            NegativeInfo.source_channel
        ),
        NegativeInfo,
        user,
    ).where(_reports_in_focus(focus))
    return _pairs(stmt)


# ---------------------------------------------------------------- what is due


def _open_obligations(user: User, focus: OrgUnit | None, condition) -> sa.Select:
    stmt = sa.select(Obligation).where(condition)
    if user.data_scope is DataScope.ALL and whole_tree(focus):
        return stmt
    return stmt.join(Cadre, Cadre.id == Obligation.cadre_id).where(
        _cadre_scope(user), _in_focus(Cadre.unit_id, focus)
    )


def _count(stmt: sa.Select) -> int:
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0)


def _first_ids(stmt: sa.Select, limit: int) -> list[int]:
    ordered = stmt.with_only_columns(Obligation.id).order_by(Obligation.due_workday, Obligation.id)
    return list(db.session.scalars(ordered.limit(limit))) if limit else []


def overdue_obligations(
    user: User, focus: OrgUnit | None, today: date, limit: int
) -> tuple[int, list[int]]:
    """Return how many open obligations in scope are overdue, and the oldest `limit` ids."""
    stmt = _open_obligations(user, focus, obligations.overdue(today))
    return _count(stmt), _first_ids(stmt, limit)


def due_between(
    user: User, focus: OrgUnit | None, first: date, last: date, limit: int
) -> tuple[int, list[int]]:
    """Return how many open obligations in scope fall due between two days, and the first ids."""
    condition = sa.and_(Obligation.closed_at.is_(None), Obligation.due_workday.between(first, last))
    stmt = _open_obligations(user, focus, condition)
    return _count(stmt), _first_ids(stmt, limit)


def obligations_by_id(ids: Sequence[int]) -> list[Obligation]:
    """Return the obligations with these ids, with their cadres' names, in the order given."""
    if not ids:
        return []
    # The lists name each cadre and show nothing else of it: its unit and its sealed columns
    # (decrypted as they are read) stay unread.
    cadre = joinedload(Obligation.cadre).load_only(Cadre.name).lazyload(Cadre.unit)
    stmt = sa.select(Obligation).where(Obligation.id.in_(ids)).options(cadre)
    found = {o.id: o for o in db.session.scalars(stmt).unique()}
    return [found[i] for i in ids if i in found]
