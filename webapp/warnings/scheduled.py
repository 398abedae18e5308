"""Scheduled work on warnings: overdue escalation proposals and provisional deadlines."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from webapp import clock, signals
from webapp.database import insert_ignoring
from webapp.extensions import db
from webapp.holidays.services import work_calendar
from webapp.lookups import all_params
from webapp.models import Obligation, Warning, WarningProposal
from webapp.warnings.due import SUBJECT, sync_obligations
from webapp.warnings.facts import current_due, warning_fact
from webapp.warnings.writer import write_history
from workflows.calendar import Deadline, WorkCalendar
from workflows.deadlines import due_after_months
from workflows.obligations import ObligationKind
from workflows.states import ACTIVE_STATES
from workflows.suggestion import overdue_escalations
from workflows.text import to_data
from workflows.tiers import Tier


def file_overdue_proposals(today: date | None = None) -> list[WarningProposal]:
    """File a proposal for every warning overdue beyond the grace period (rule 4).

    Never escalates: a supervisor confirms by escalating. Each (warning, tier) is proposed
    once, however often the sweep runs, even from two processes at once.
    """
    today = today or clock.org_today()
    cal = work_calendar()
    params = all_params()
    warnings = list(
        db.session.scalars(
            sa.select(Warning).where(Warning.state.in_(ACTIVE_STATES), Warning.tier < int(Tier.RED))
        )
    )
    by_id = {w.id: w for w in warnings}
    facts = [warning_fact(w, today, cal) for w in warnings]
    filed = []
    for proposal in overdue_escalations(facts, params):
        new_id = insert_ignoring(
            WarningProposal,
            ["warning_id", "to_tier"],
            warning_id=proposal.warning_id,
            from_tier=int(proposal.from_tier),
            to_tier=int(proposal.to_tier),
            overdue_workdays=proposal.overdue_workdays,
            reason_data=to_data(proposal.reason),
            proposed_on=today,
            status="open",
            at=clock.utc_now(),
        )
        if new_id is not None:
            filed.append(db.session.get(WarningProposal, new_id))
            db.session.expire(by_id[proposal.warning_id], ["proposals"])
    for proposal in filed:
        signals.escalation_proposed.send(proposal)
    return filed


def _recounted(w: Warning, kind: str, cal: WorkCalendar) -> Deadline | None:
    """Count the running deadline again with the span it was set with, or None if fixed."""
    start, paused = w.clock_started_on, w.clock_paused_workdays or 0
    if start is None:
        return None
    if kind in ("action", "review") and w.clock_workdays is not None:
        return cal.add_workdays(start, w.clock_workdays + paused)
    if kind == "rectification" and w.clock_months:
        new = due_after_months(start, w.clock_months, cal)
        if paused:
            moved = cal.add_workdays(new.due, paused)
            new = Deadline(moved.due, new.provisional or moved.provisional)
        return new
    return None


def recompute_provisional_deadlines(cal: WorkCalendar, **_kw: object) -> int:
    """Recount running deadlines set over a year without holiday data; return how many moved.

    Each moved deadline leaves a line in the warning's history and moves its obligation in
    the same transaction (answers `holidays_changed`).
    """
    today, now = clock.org_today(), clock.utc_now()
    stmt = sa.select(Warning).where(
        Warning.state.in_(ACTIVE_STATES),
        sa.or_(
            Warning.action_due_provisional,
            Warning.rectification_due_provisional,
            Warning.review_due_provisional,
        ),
    )
    changed = 0
    for w in db.session.scalars(stmt):
        kind, due, provisional = current_due(w)
        new = _recounted(w, kind, cal) if provisional else None
        if new is None or (new.due, new.provisional) == (due, provisional):
            continue
        setattr(w, f"{kind}_due", new.due)
        setattr(w, f"{kind}_due_provisional", new.provisional)
        write_history(
            w,
            "deadline_recomputed",
            None,
            from_state=str(w.state),
            from_tier=int(w.tier),
            reason=f"{due.isoformat() if due else ''} → {new.due.isoformat()}",
            details={"deadline": kind, "from": due.isoformat() if due else None},
            now=now,
        )
        sync_obligations(w, today, now, cal=cal)
        changed += 1
    return changed + _recount_waiting_steps(cal, today, now)


def _recount_waiting_steps(cal: WorkCalendar, today: date, now: datetime) -> int:
    """Recount the approval steps waiting on a provisional day; return how many moved."""
    rows = db.session.execute(
        sa.select(Warning, Obligation.due_on)
        .join(Obligation, Obligation.subject_id == Warning.id)
        .where(
            Obligation.subject_type == SUBJECT,
            Obligation.kind == ObligationKind.APPROVAL_WAITING,
            Obligation.closed_at.is_(None),
            Obligation.provisional,
        )
    ).all()
    moved = 0
    for w, due in rows:
        waiting = sync_obligations(w, today, now, cal=cal).get(ObligationKind.APPROVAL_WAITING)
        moved += waiting is not None and waiting.due_on != due
    return moved
