"""The 晴雨表's counts kept in the database per (data scope, unit in focus, day, part).

A commit that changes a counted table moves the generation on (in its own transaction, so the
move and the change land together); a kept part is served only while its generation is the
current one, so a page never shows counts older than the last change. Counts are read after
the generation they are stored with: a change committed while they are read moves it again.
A data scope of chosen units is not kept (the choice is not a counted table).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from webapp.extensions import db
from webapp.models import (
    Cadre,
    Clarification,
    DashboardFigures,
    DashboardGeneration,
    DataScope,
    NegativeInfo,
    Obligation,
    OrgUnit,
    User,
    Warning,
    utcnow,
)

COUNTED = (Cadre, Warning, NegativeInfo, Clarification, Obligation, OrgUnit)
COUNTED_TABLES = frozenset(model.__table__ for model in COUNTED)
CHANGED = "dashboard_counts_changed"
# Columns no count reads: the 5-minute sweep's reminders change only these.
UNCOUNTED_COLUMNS = {
    Obligation: frozenset({"fired_stages", "next_fire_on", "acknowledged_plan_on", "updated_at"})
}
BUMP = sa.text(
    "INSERT INTO dashboard_generation (id, n) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET n = dashboard_generation.n + 1"
)


def scope_key(user: User) -> str | None:
    """Return what the user's data scope is keyed by (None: not kept)."""
    match user.data_scope:
        case DataScope.ALL:
            return "all"
        case DataScope.UNIT_AND_BELOW:
            return f"below-{user.unit_id}"
        case DataScope.UNIT:
            return f"unit-{user.unit_id}"
        case DataScope.SELF:
            return f"self-{user.id}"
    return None


def kept(
    user: User, unit: OrgUnit | None, today: date, part: str, compute: Callable[[], dict]
) -> tuple[dict, datetime]:
    """Return a part's counts and when they were computed: kept ones if current, else fresh."""
    scope = scope_key(user)
    if scope is None or not current_app.config.get("DASHBOARD_CACHE", True):
        return compute(), utcnow()
    key = f"{part}|{scope}|{unit.id if unit is not None else '-'}|{today.isoformat()}"
    found = db.session.execute(
        sa.select(DashboardFigures.figures, DashboardFigures.computed_at)
        .join(DashboardGeneration, DashboardGeneration.n == DashboardFigures.generation)
        .where(DashboardFigures.key == key, DashboardGeneration.id == 1)
    ).first()
    if found is not None:
        return found.figures, found.computed_at
    generation = db.session.scalar(
        sa.select(DashboardGeneration.n).where(DashboardGeneration.id == 1)
    )
    figures, at = compute(), utcnow()
    _store(key, today, generation, figures, at)
    return figures, at


def _store(key: str, today: date, generation: int | None, figures: dict, at: datetime) -> None:
    """Keep a part's counts (replacing the key's older ones and other days') and commit.

    The request's own transaction carries it (on SQLite it may hold the write lock already:
    a session's last-seen time); what the request loaded stays loaded (no expiry on commit).
    """
    table = DashboardFigures.__table__
    session = db.session()
    if generation is None:  # the first count ever: the row the writers move on
        session.execute(
            sa.text(
                "INSERT INTO dashboard_generation (id, n) VALUES (1, 0) ON CONFLICT (id) DO NOTHING"
            )
        )
    session.execute(sa.delete(table).where(table.c.day != today))
    upsert = _insert(session)(table).values(
        key=key, day=today, generation=generation or 0, computed_at=at, figures=figures
    )
    session.execute(
        upsert.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "day": today,
                "generation": generation or 0,
                "computed_at": at,
                "figures": figures,
            },
        )
    )
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def _insert(session: Session):
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


# ---------------------------------------------------------------- the generation moves on


def _counts_change(obj: object) -> bool:
    """Tell whether an updated row may change a count (a reminder firing changes none)."""
    state = sa.inspect(obj)
    ignored = UNCOUNTED_COLUMNS.get(type(obj), frozenset())
    return any(attr.history.has_changes() for attr in state.attrs if attr.key not in ignored)


def _note_flush(session: Session, _context) -> None:
    if session.info.get(CHANGED):
        return
    if any(isinstance(obj, COUNTED) for obj in (*session.new, *session.deleted)) or any(
        isinstance(obj, COUNTED) and _counts_change(obj) for obj in session.dirty
    ):
        session.info[CHANGED] = True


def _note_statement(state) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and getattr(
        state.statement, "table", None
    ) in COUNTED_TABLES:
        state.session.info[CHANGED] = True


def _bump_before_commit(session: Session) -> None:
    session.flush()
    if session.info.pop(CHANGED, False):
        session.connection().execute(BUMP)


def _forget(session: Session, *_args) -> None:
    session.info.pop(CHANGED, None)


def register(session_class: type[Session] = Session) -> None:
    """Hook the generation onto a session class (once per process)."""
    if event.contains(session_class, "before_commit", _bump_before_commit):
        return
    event.listen(session_class, "after_flush", _note_flush)
    event.listen(session_class, "do_orm_execute", _note_statement)
    event.listen(session_class, "before_commit", _bump_before_commit)
    event.listen(session_class, "after_rollback", _forget)


register()
