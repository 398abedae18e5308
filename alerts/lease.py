"""Exactly one active scheduler: a lease row that the holder renews before it expires.

Taking and renewing is one conditional UPDATE (the row is free, expired, or already ours), so
two processes can never both succeed: PostgreSQL re-checks the condition after waiting on the
row lock, SQLite serialises writers. A standby retries; it takes over once the lease expires.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, or_, select, update

from webapp.database import insert_ignoring
from webapp.extensions import db
from webapp.models.base import utcnow
from webapp.models.scheduler import SchedulerLease

LEASE_NAME = "scheduler"


def acquire(holder: str, period: timedelta, now: datetime | None = None) -> bool:
    """Take or renew the lease for one period; return whether this holder has it. Commits."""
    now = now or utcnow()
    insert_ignoring(
        SchedulerLease, ["name"], name=LEASE_NAME, holder="", acquired_at=None, expires_at=now
    )
    result = db.session.execute(
        update(SchedulerLease)
        .where(
            SchedulerLease.name == LEASE_NAME,
            or_(SchedulerLease.holder == holder, SchedulerLease.expires_at <= now),
        )
        .values(
            holder=holder,
            expires_at=now + period,
            acquired_at=case(
                (SchedulerLease.holder == holder, SchedulerLease.acquired_at), else_=now
            ),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def release(holder: str, now: datetime | None = None) -> bool:
    """Give the lease up at once if this holder has it (a clean stop); return whether it did."""
    result = db.session.execute(
        update(SchedulerLease)
        .where(SchedulerLease.name == LEASE_NAME, SchedulerLease.holder == holder)
        .values(expires_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def current() -> SchedulerLease | None:
    """Return the lease row (who holds it until when), if any scheduler ever ran."""
    return db.session.scalars(
        select(SchedulerLease).where(SchedulerLease.name == LEASE_NAME)
    ).one_or_none()
