"""The one data-scope filter every query for case records goes through (数据权限)."""

from __future__ import annotations

from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.exceptions import NotFound

from webapp.extensions import db
from webapp.lookups import forget_request_copy, request_copy
from webapp.models import DataScope, OrgUnit, User, user_scope_unit

SUBTREES = "_subtrees"  # request copy: {unit path: [unit ids]}


class OutOfScope(NotFound):
    """A 404 for a record that exists outside the user's data scope (logged as denied)."""

    def __init__(self, object_type: str, object_id: int | str) -> None:
        super().__init__()
        self.object_type = object_type
        self.object_id = str(object_id)


class Scoped(Protocol):
    """A model that tells which unit and which creator a row belongs to.

    The unit is a column of the row itself: a record about a cadre keeps its cadre's current
    unit (`CountedUnderCadre.scope_unit_id`), so the scope is one indexed set test, never a
    lookup of the cadre per row.
    """

    @classmethod
    def scope_columns(cls) -> tuple[Any, Any]: ...


def subtree_ids(unit: OrgUnit) -> list[int]:
    """Return the ids of a unit and every unit below it, read once a request.

    A list, not a subquery: the database then sees which units it filters on, so its estimate
    is per unit and the register's ordered index is read alone (PostgreSQL otherwise joined
    every row it walked to the unit table to test the path: 1,400 probes for one page).
    """
    subtrees = request_copy(SUBTREES, dict)
    if unit.path not in subtrees:
        subtrees[unit.path] = list(
            db.session.scalars(
                sa.select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path, autoescape=True))
            )
        )
    return subtrees[unit.path]


def forget_subtrees(session: Session, _context: Any) -> None:
    """Drop the subtrees read so far when a flush writes a unit (it may have moved)."""
    if any(isinstance(o, OrgUnit) for o in (*session.new, *session.dirty, *session.deleted)):
        forget_request_copy(SUBTREES)


def register(session_class: type[Session]) -> None:
    """Hook the forgetting of subtrees onto a session class (once per process)."""
    if not event.contains(session_class, "after_flush", forget_subtrees):
        event.listen(session_class, "after_flush", forget_subtrees)


def scope_condition(user: User, unit_column: Any, creator_column: Any) -> sa.ColumnElement:
    """Return the WHERE clause that limits rows to the user's data scope."""
    match user.data_scope:
        case DataScope.ALL:
            return sa.true()
        case DataScope.UNIT_AND_BELOW:
            return unit_column.in_(subtree_ids(user.unit))
        case DataScope.UNIT:
            return unit_column.in_([user.unit_id])
        case DataScope.CUSTOM:
            chosen = sa.select(user_scope_unit.c.unit_id).where(
                user_scope_unit.c.user_id == user.id
            )
            return unit_column.in_(chosen)
        case DataScope.SELF:
            return creator_column == user.id
    return sa.false()


def in_subtree(model: type[Scoped], unit: OrgUnit) -> sa.ColumnElement:
    """Return the WHERE clause for a model's rows in a unit or below (the 单位（含下级） filter)."""
    unit_column, _creator = model.scope_columns()
    return unit_column.in_(subtree_ids(unit))


def pickable_units(user: User) -> sa.ColumnElement:
    """Return the WHERE clause over OrgUnit for the units a user may pick (仅本人: any)."""
    match user.data_scope:
        case DataScope.ALL | DataScope.SELF:
            return sa.true()
        case DataScope.UNIT_AND_BELOW:
            return OrgUnit.path.startswith(user.unit.path, autoescape=True)
        case DataScope.UNIT:
            return OrgUnit.id == user.unit_id
        case DataScope.CUSTOM:
            return OrgUnit.id.in_(
                sa.select(user_scope_unit.c.unit_id).where(user_scope_unit.c.user_id == user.id)
            )
    return sa.false()


def scoped(stmt: sa.Select, model: type[Scoped], user: User) -> sa.Select:
    """Limit a select over a scoped model to what the user may see."""
    return stmt.where(scope_condition(user, *model.scope_columns()))


def get_in_scope_or_404(model: type[Scoped], ident: int, user: User):
    """Load one row the user may see, or answer 404 (never reveal that it exists)."""
    stmt = scoped(sa.select(model).where(model.id == ident), model, user)  # type: ignore[attr-defined]
    obj = db.session.scalars(stmt).first()
    if obj is not None:
        return obj
    # Only on the refusal path: a record that exists is a denied attempt, a missing one a typo.
    if db.session.scalar(sa.select(model.id).where(model.id == ident)) is None:  # type: ignore[attr-defined]
        raise NotFound()
    raise OutOfScope(model.__name__, ident)
