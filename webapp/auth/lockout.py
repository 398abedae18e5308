"""Lockout of usernames that match no account, read from the login log.

An unknown username is locked exactly as an account would be (the same count, the same
period, the same messages), so the login page never tells which usernames exist.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import LoginLog

LOCKOUT = "lockout"  # the failure that starts a lock
UNKNOWN = "unknown_user"


def unknown_state(username: str, period: timedelta) -> tuple[datetime | None, int]:
    """Return (locked until, failures since the last lock) of a username with no account."""
    of_name = (func.lower(LoginLog.username) == username.lower(), LoginLog.user_id.is_(None))
    last_lock = db.session.execute(
        select(LoginLog.id, LoginLog.at)
        .where(*of_name, LoginLog.reason == LOCKOUT)
        .order_by(LoginLog.id.desc())
        .limit(1)
    ).first()
    failures = select(func.count()).where(*of_name, LoginLog.reason == UNKNOWN)
    if last_lock is not None:
        failures = failures.where(LoginLog.id > last_lock.id)
    count = db.session.scalar(failures.select_from(LoginLog)) or 0
    return (last_lock.at + period if last_lock else None), count
