"""The user's own login sessions: list the living ones, end any but the current one."""

from __future__ import annotations

from collections.abc import Sequence

from webapp.auth import sessions as user_sessions
from webapp.auth.sessions import EndReason
from webapp.clock import utc_now
from webapp.extensions import db
from webapp.models import User
from webapp.models.auth import UserSession


def my_sessions(user: User) -> Sequence[UserSession]:
    """Return a user's living sessions, newest first."""
    return user_sessions.live_sessions(user.id, utc_now(), user_sessions.policy())


def end_mine(user: User, session_id: int, current_id: int | None) -> bool:
    """End one of the user's other sessions; False if it is not his or is the current one."""
    record = db.session.get(UserSession, session_id)
    if record is None or record.user_id != user.id or record.id == current_id:
        return False
    user_sessions.end(record, EndReason.BY_USER, utc_now())
    db.session.commit()
    return True


def end_others(user: User, current_id: int | None) -> None:
    """End every session of the user but the current one."""
    user_sessions.end_all(user.id, EndReason.BY_USER, utc_now(), keep_id=current_id)
    db.session.commit()
