"""Read the current user's in-app notifications and mark them read (commits its own changes)."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select, update

from webapp.extensions import db
from webapp.models import User
from webapp.models.base import utcnow
from webapp.models.notifications import ChannelCode, Notification


def _mine(user: User):
    return (Notification.user_id == user.id, Notification.channel == ChannelCode.INAPP)


def unread_count(user: User) -> int:
    """Count the user's unread in-app messages (one COUNT query)."""
    stmt = (
        select(func.count())
        .select_from(Notification)
        .where(*_mine(user), Notification.read_at.is_(None))
    )
    return db.session.scalar(stmt) or 0


def messages(user: User, page: int) -> Pagination:
    """Return one page of the user's in-app messages, unread first, newest first."""
    stmt = (
        select(Notification)
        .where(*_mine(user))
        # False sorts before True on both databases: unread (read_at NULL) rows come first.
        .order_by(
            Notification.read_at.is_not(None),
            Notification.created_at.desc(),
            Notification.id.desc(),
        )
    )
    return db.paginate(stmt, page=page, per_page=current_app.config["PAGE_SIZE"], error_out=False)


def open_message(user: User, message_id: int, now: datetime | None = None) -> Notification | None:
    """Load one of the user's messages and mark it read; None if it is not theirs."""
    message = db.session.scalars(
        select(Notification).where(Notification.id == message_id, *_mine(user))
    ).one_or_none()
    if message is not None and message.read_at is None:
        message.read_at = now or utcnow()
        db.session.commit()
    return message


def mark_all_read(user: User, now: datetime | None = None) -> int:
    """Mark every unread message of the user read; return how many."""
    result = db.session.execute(
        update(Notification)
        .where(*_mine(user), Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount or 0


def safe_link(link: str) -> str | None:
    """Return the message's link if it is a path inside this site, else None."""
    # Only a local path: a stored link must never send the user to another host.
    if link.startswith("/") and not link.startswith("//") and "\\" not in link:
        return link
    return None
