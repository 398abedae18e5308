"""End a user's sessions whenever his password, activity, role or data scope changes.

Hooked on the ORM session, so an administrator's reset, disable or role change ends the
user's sessions in the same transaction without the admin area calling anything here.
"""

from __future__ import annotations

from sqlalchemy import event, inspect, update
from sqlalchemy.orm import Session

from webapp.auth.sessions import EndReason
from webapp.models.auth import User, UserSession
from webapp.models.base import utcnow

# The attributes that decide who the user is and what he may see.
WATCHED = (
    "password_hash",
    "active",
    "role_id",
    "role",
    "data_scope",
    "unit_id",
    "unit",
    "scope_units",
)
PENDING = "sessions_to_end"


def changed_users(session: Session) -> set[int]:
    """Return the ids of users whose watched attributes this flush changes."""
    found = set()
    for obj in session.dirty:
        if not isinstance(obj, User) or obj.id is None:
            continue
        state = inspect(obj)
        if any(state.attrs[key].history.has_changes() for key in WATCHED):
            found.add(obj.id)
    return found


def before_flush(session: Session, _context, _instances) -> None:
    """Note the users whose sessions must end once the flush is written."""
    found = changed_users(session)
    if found:
        session.info.setdefault(PENDING, set()).update(found)


def after_flush(session: Session, _context) -> None:
    """End every open session of the noted users, in the flush's transaction."""
    user_ids = session.info.pop(PENDING, None)
    if not user_ids:
        return
    table = UserSession.__table__
    session.connection().execute(
        update(table)
        .where(table.c.user_id.in_(user_ids), table.c.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=EndReason.ACCOUNT_CHANGED.value)
    )


def register(session_class: type[Session]) -> None:
    """Hook the listener onto a session class (once per process)."""
    if event.contains(session_class, "before_flush", before_flush):
        return
    event.listen(session_class, "before_flush", before_flush)
    event.listen(session_class, "after_flush", after_flush)
