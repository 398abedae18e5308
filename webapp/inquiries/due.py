"""The 函询回复 due source: a letter's reply obligation, kept in step with the letter."""

from __future__ import annotations

from sqlalchemy import select

from webapp.clock import org_today, utc_now
from webapp.extensions import db
from webapp.models import Inquiry
from webapp.obligations import services as obligations
from workflows.calendar import WorkCalendar
from workflows.obligations import ObligationKind

SUBJECT = "inquiry"
KIND = ObligationKind.INQUIRY_REPLY_DUE


def sync_reply_due(inquiry: Inquiry, cal: WorkCalendar | None = None) -> None:
    """Open or move the reply obligation while the letter waits; close it once answered."""
    if inquiry.id is None:
        return
    if inquiry.status != "pending":
        # A recorded reply meets it; a conclusion without one leaves nothing to wait for.
        obligations.close_obligation(KIND, SUBJECT, inquiry.id, utc_now())
        return
    obligations.open_obligation(
        kind=KIND,
        subject_type=SUBJECT,
        subject_id=inquiry.id,
        cadre_id=inquiry.cadre_id,
        start=inquiry.issued_on,
        due=inquiry.reply_due,
        total_workdays=inquiry.reply_workdays,
        today=org_today(),
        responsible_user_id=inquiry.created_by_id,
        step_role=None if inquiry.created_by_id else "supervisor",
        provisional=bool(inquiry.reply_due_provisional),
        cal=cal,
    )


def sync_all() -> int:
    """Declare the reply due of every letter still waiting (after deploying, or to repair)."""
    stmt = select(Inquiry).where(Inquiry.replied_on.is_(None), Inquiry.conclusion == "")
    count = 0
    for inquiry in db.session.scalars(stmt.order_by(Inquiry.id)):
        sync_reply_due(inquiry)
        count += 1
    return count
