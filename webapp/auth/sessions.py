"""Server-side session records (UserSession): the cookie holds a token, the row says if it lives.

Every worker and machine reads the same rows, so a session ended anywhere (logout, a password
change, an administrator's edit) is refused everywhere on the next request.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import request
from sqlalchemy import select, update
from sqlalchemy.sql.elements import ColumnElement

from webapp.extensions import db
from webapp.lookups import param_int
from webapp.models.auth import User, UserSession

TOKEN_KEY = "sid"  # the key of the token in Flask's signed session cookie
# last_seen is written at most this often: idle timeouts are minutes, writes are per request.
TOUCH_EVERY = timedelta(seconds=60)


class EndReason(enum.StrEnum):
    """Why a session ended (UserSession.end_reason)."""

    LOGOUT = "logout"
    IDLE = "idle"
    EXPIRED = "expired"
    ENDED = "ended"  # the record is gone, ended already, or not this user's
    BY_USER = "ended_by_user"
    OVER_LIMIT = "over_limit"
    ACCOUNT_CHANGED = "account_changed"


@dataclass(frozen=True)
class SessionPolicy:
    """How long a session may idle and live, and how many one user may hold."""

    idle: timedelta
    lifetime: timedelta
    max_sessions: int


def policy() -> SessionPolicy:
    """Read the session policy from the parameters."""
    return SessionPolicy(
        idle=timedelta(minutes=param_int("auth.idle_timeout_minutes")),
        lifetime=timedelta(hours=param_int("auth.session_lifetime_hours")),
        max_sessions=param_int("auth.max_sessions_per_user"),
    )


def token_hash(token: str) -> str:
    """Return the stored form of a cookie token."""
    return hashlib.sha256(token.encode()).hexdigest()


def refusal(
    record: UserSession | None, user_id: int, now: datetime, rules: SessionPolicy
) -> EndReason | None:
    """Return why a session may not go on, or None if it lives."""
    if record is None or record.user_id != user_id or record.ended_at is not None:
        return EndReason.ENDED
    if now - record.last_seen_at > rules.idle:
        return EndReason.IDLE
    if now - record.created_at > rules.lifetime:
        return EndReason.EXPIRED
    return None


def live(now: datetime, rules: SessionPolicy) -> ColumnElement[bool]:
    """Return the condition a session row meets while it lives."""
    return (
        UserSession.ended_at.is_(None)
        & (UserSession.last_seen_at >= now - rules.idle)
        & (UserSession.created_at >= now - rules.lifetime)
    )


def find(token: str | None) -> UserSession | None:
    """Return the record of a cookie token, or None."""
    return find_with_user(token)[0]


def find_with_user(token: str | None) -> tuple[UserSession | None, User | None]:
    """Return the record of a cookie token and its user (role and unit loaded), in one query.

    While the caller holds the user, Flask-Login's `load_user` gets him from the ORM session's
    identity map without a query of its own.
    """
    if not token:
        return None, None
    row = db.session.execute(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == token_hash(token))
    ).first()
    return (row[0], row[1]) if row is not None else (None, None)


def live_sessions(user_id: int, now: datetime, rules: SessionPolicy) -> Sequence[UserSession]:
    """Return a user's living sessions, newest first."""
    return db.session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user_id, live(now, rules))
        .order_by(UserSession.created_at.desc(), UserSession.id.desc())
    ).all()


def start(user: User, now: datetime) -> str:
    """Record a new session for a user, end the oldest beyond the limit; return the token."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            token_hash=token_hash(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            ip=(request.remote_addr or "")[:64],
            user_agent=(request.user_agent.string or "")[:255],
        )
    )
    db.session.flush()
    rules = policy()
    for old in live_sessions(user.id, now, rules)[rules.max_sessions :]:
        end(old, EndReason.OVER_LIMIT, now)
    return token


def end(record: UserSession, reason: EndReason, now: datetime) -> None:
    """End one session (no commit)."""
    if record.ended_at is None:
        record.ended_at = now
        record.end_reason = reason


def end_all(user_id: int, reason: EndReason, now: datetime, keep_id: int | None = None) -> None:
    """End every open session of a user, but one if named (no commit)."""
    stmt = update(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
    if keep_id is not None:
        stmt = stmt.where(UserSession.id != keep_id)
    db.session.execute(stmt.values(ended_at=now, end_reason=reason))


def touch(record: UserSession, now: datetime) -> None:
    """Note activity on a session, writing at most once per TOUCH_EVERY."""
    if now - record.last_seen_at >= TOUCH_EVERY:
        record.last_seen_at = now
        db.session.commit()
