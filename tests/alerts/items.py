"""An inquiry's reply due as the reminder tests use it, and a reader of the outbox."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Notification
from webapp.obligations import services
from workflows.obligations import ObligationKind

# 函询 issued Fri 2026-02-06, 15 working days over 春节: 黄灯 Feb 25, due Mar 5, overdue Mar 6.
ISSUED, DUE, YELLOW, OVERDUE = (
    date(2026, 2, 6),
    date(2026, 3, 5),
    date(2026, 2, 25),
    date(2026, 3, 6),
)
AT_YELLOW = datetime(2026, 2, 25, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


def open_inquiry(cadre, subject_id=1, **changes):
    """Open the reply due of an inquiry about the cadre (flushed), with changes."""
    fields = {
        "kind": ObligationKind.INQUIRY_REPLY_DUE,
        "subject_type": "inquiry",
        "subject_id": subject_id,
        "cadre_id": cadre.id,
        "start": ISSUED,
        "due": DUE,
        "total_workdays": 15,
        "today": ISSUED,
    } | changes
    obligation = services.open_obligation(**fields)
    db.session.flush()
    return obligation


def notifications(**where) -> list[Notification]:
    """Return the outbox rows matching the filters, oldest first."""
    stmt = select(Notification).filter_by(**where).order_by(Notification.id)
    return db.session.scalars(stmt).all()
