"""The 核实期限 due source: the verification's obligation, kept in step with the item."""

from __future__ import annotations

from sqlalchemy import select

from webapp.clock import org_today, utc_now
from webapp.extensions import db
from webapp.models import NegativeInfo
from webapp.obligations import services as obligations
from workflows.calendar import WorkCalendar
from workflows.obligations import ObligationKind
from workflows.verification import Status

SUBJECT = "negative_info"
KIND = ObligationKind.VERIFICATION_DUE


def open_verification_due(info: NegativeInfo, cal: WorkCalendar | None = None) -> None:
    """Open, or move, a running verification's obligation to its current deadline."""
    if info.status != Status.VERIFYING or info.verification_due is None:
        return  # a concluded item keeps its old deadline on record, but owes nothing
    if info.id is None or info.verification_started_on is None:
        return
    obligations.open_obligation(
        kind=KIND,
        subject_type=SUBJECT,
        subject_id=info.id,
        cadre_id=info.cadre_id,
        start=info.verification_started_on,
        due=info.verification_due,
        total_workdays=info.verification_workdays or 0,
        today=org_today(),
        responsible_user_id=info.handler_id,
        # Without a handler the supervisors of the cadre's unit are told.
        step_role=None if info.handler_id else "supervisor",
        provisional=bool(info.verification_due_provisional),
        cal=cal,
    )


def close_verification_due(info: NegativeInfo) -> None:
    """Close the item's verification obligation: a conclusion meets it."""
    obligations.close_obligation(KIND, SUBJECT, info.id, utc_now())


def sync_all() -> int:
    """Declare the due of every verification running (after deploying, or to repair)."""
    stmt = select(NegativeInfo).where(NegativeInfo.status == Status.VERIFYING)
    count = 0
    for info in db.session.scalars(stmt.order_by(NegativeInfo.id)):
        open_verification_due(info)
        count += 1
    return count
