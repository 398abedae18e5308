"""发送记录: outbox rows with their attempts, filtered and paginated; retry of dead rows.

The sysadmin sees kinds, stages, recipients, channels and statuses, never a title or body
(they may carry case content in the in-app channel).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from webapp.audit.services import record_operation
from webapp.clock import org_zone
from webapp.extensions import db
from webapp.models import User
from webapp.models.base import utcnow
from webapp.models.notifications import (
    ChannelCode,
    DeliveryAttempt,
    Notification,
    NotificationStatus,
)
from workflows.obligations import ObligationKind, Stage

PER_PAGE = 50


@dataclass(frozen=True)
class RecordFilters:
    """What the sysadmin filters the records by (all optional)."""

    channel: ChannelCode | None = None
    status: NotificationStatus | None = None
    recipient: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=org_zone())


def kind_label(kind: str) -> str:
    """Return a reminder kind's label (the code itself for kinds outside the due rules)."""
    try:
        return ObligationKind(kind).label
    except ValueError:
        return kind


def stage_label(stage: str) -> str:
    """Return a stage's label (the code itself when it is no deadline stage)."""
    try:
        return Stage(stage).label
    except ValueError:
        return stage


def record_query(filters: RecordFilters):
    """Return the notification query the filters describe, newest first."""
    stmt = select(Notification).join(User, User.id == Notification.user_id)
    if filters.channel is not None:
        stmt = stmt.where(Notification.channel == filters.channel)
    if filters.status is not None:
        stmt = stmt.where(Notification.status == filters.status)
    if filters.recipient:
        stmt = stmt.where(User.username.ilike(f"%{filters.recipient}%"))
    if filters.date_from:
        stmt = stmt.where(Notification.created_at >= _day_start(filters.date_from))
    if filters.date_to:
        stmt = stmt.where(Notification.created_at < _day_start(filters.date_to + timedelta(days=1)))
    return stmt.order_by(Notification.id.desc())


def list_records(filters: RecordFilters, page: int):
    """Return one page of records."""
    return db.paginate(record_query(filters), page=page, per_page=PER_PAGE, error_out=False)


def usernames(rows: list[Notification]) -> dict[int, str]:
    """Return the login names of the records' recipients (one query)."""
    ids = {row.user_id for row in rows}
    return dict(db.session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())


def attempts_of(notification: Notification) -> list[DeliveryAttempt]:
    """Return a record's delivery attempts, oldest first."""
    return list(
        db.session.scalars(
            select(DeliveryAttempt)
            .where(DeliveryAttempt.notification_id == notification.id)
            .order_by(DeliveryAttempt.id)
        )
    )


def retry(notification_ids: list[int], now: datetime | None = None) -> int:
    """Give dead records a fresh set of tries from now, audit each, commit; return how many."""
    now = now or utcnow()
    rows = db.session.scalars(
        select(Notification).where(
            Notification.id.in_(notification_ids), Notification.status == NotificationStatus.DEAD
        )
    ).all()
    for row in rows:
        row.status, row.attempts, row.next_attempt_at = NotificationStatus.PENDING, 0, now
        record_operation(
            "retry", "Notification", row.id, f"{row.channel.value}:{row.kind} 重新发送"
        )
    db.session.commit()
    return len(rows)
