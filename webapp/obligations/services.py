"""Open, update, close and fire obligations inside the caller's transaction (never commit).

Each area declares its timed obligations here as it changes its records: it opens (or
updates) the row for the subject when a deadline is set or moves, and closes it when the
obligation is met. Every write recomputes ``next_fire_on`` with the pure rules, so the sweep
selects only the rows whose next firing day has come.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webapp.clock import org_today
from webapp.extensions import db
from webapp.holidays.services import work_calendar
from webapp.lookups import param_int
from webapp.models.obligations import Obligation
from workflows import obligations as rules
from workflows.calendar import WorkCalendar
from workflows.deadlines import Light
from workflows.obligations import ObligationKind, Policy, Stage, Terms


def reminder_policy() -> Policy:
    """Return the reminder parameters in force."""
    # No parameter for the influence notice yet: the rules' default applies.
    return Policy(
        yellow_percent=param_int("reminder.yellow_percent"),
        ack_escalate_workdays=param_int("reminder.ack_escalate_workdays"),
    )


def find_open(kind: ObligationKind, subject_type: str, subject_id: int) -> Obligation | None:
    """Return the open obligation of this kind for the subject, if any."""
    return db.session.scalars(
        select(Obligation).where(
            Obligation.kind == kind,
            Obligation.subject_type == subject_type,
            Obligation.subject_id == subject_id,
            Obligation.closed_at.is_(None),
        )
    ).one_or_none()


def open_obligation(
    *,
    kind: ObligationKind,
    subject_type: str,
    subject_id: int,
    cadre_id: int,
    start: date,
    due: date,
    total_workdays: int,
    today: date,
    responsible_user_id: int | None = None,
    step_role: str | None = None,
    paused_workdays: int = 0,
    provisional: bool = False,
    cal: WorkCalendar | None = None,
    policy: Policy | None = None,
) -> Obligation:
    """Insert or update the open obligation for the subject and schedule its next firing.

    On an update, a stage that already fired stays fired unless the new dates put its day
    after today (a moved due date): then it is owed again when it comes.
    """
    if due < start:
        raise ValueError("due is before start")
    obligation = find_open(kind, subject_type, subject_id)
    if obligation is None:
        # due_workday is set again by _reschedule; a query there may flush the row first.
        obligation = Obligation(
            kind=kind,
            subject_type=subject_type,
            subject_id=subject_id,
            fired_stages={},
            due_workday=due,
        )
        db.session.add(obligation)
    obligation.cadre_id = cadre_id
    obligation.responsible_user_id = responsible_user_id
    obligation.step_role = step_role
    obligation.start_on = start
    obligation.due_on = due
    obligation.total_workdays = total_workdays
    obligation.paused_workdays = paused_workdays
    obligation.provisional = provisional
    _reschedule(obligation, today, cal, policy)
    return obligation


def open_from_terms(
    terms: Terms,
    *,
    subject_type: str,
    subject_id: int,
    cadre_id: int,
    today: date,
    responsible_user_id: int | None = None,
    step_role: str | None = None,
    cal: WorkCalendar | None = None,
    policy: Policy | None = None,
) -> Obligation:
    """Open the obligation a pure rule decided (e.g. `workflows.obligations.mandatory_talk`)."""
    return open_obligation(
        kind=terms.kind,
        subject_type=subject_type,
        subject_id=subject_id,
        cadre_id=cadre_id,
        start=terms.start,
        due=terms.due,
        total_workdays=terms.total_workdays,
        today=today,
        responsible_user_id=responsible_user_id,
        step_role=step_role,
        paused_workdays=terms.paused_workdays,
        provisional=terms.provisional,
        cal=cal,
        policy=policy,
    )


def acknowledge(
    obligation: Obligation,
    planned_on: date,
    today: date,
    cal: WorkCalendar | None = None,
    policy: Policy | None = None,
) -> None:
    """Record the planned completion date (已知悉，计划于…完成) and watch it afresh."""
    if obligation.closed_at is not None:
        raise ValueError("obligation is closed")
    obligation.acknowledged_plan_on = planned_on
    # A new plan starts its own lapse and escalation: the old plan's firings are history.
    obligation.fired_stages = {
        stage: fired_on
        for stage, fired_on in (obligation.fired_stages or {}).items()
        if Stage(stage) not in (Stage.ACK_LAPSED, Stage.ACK_ESCALATED)
    }
    _reschedule(obligation, today, cal, policy)


def close_obligation(
    kind: ObligationKind, subject_type: str, subject_id: int, when: datetime
) -> Obligation | None:
    """Close the open obligation for the subject (it stops firing); return it, or None."""
    obligation = find_open(kind, subject_type, subject_id)
    if obligation is not None:
        obligation.closed_at = when
        obligation.next_fire_on = None
    return obligation


def overdue(today: date) -> sa.ColumnElement[bool]:
    """Return the condition for open obligations past the working day they were due by."""
    return sa.and_(Obligation.closed_at.is_(None), Obligation.due_workday < today)


def due_to_fire(today: date, limit: int | None = None) -> Sequence[Obligation]:
    """Return the open obligations whose next firing day has come, oldest first."""
    # Closed rows and rows with nothing left to fire have next_fire_on NULL, so this is a
    # range scan of the index over what is due, whatever the size of the table.
    stmt = (
        select(Obligation)
        .where(Obligation.next_fire_on <= today, Obligation.closed_at.is_(None))
        .order_by(Obligation.next_fire_on, Obligation.id)
        # Each message names the cadre: one query for all of them, not one per obligation.
        .options(selectinload(Obligation.cadre))
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return db.session.scalars(stmt).all()


def stages_to_fire(
    obligation: Obligation,
    today: date,
    cal: WorkCalendar | None = None,
    policy: Policy | None = None,
) -> list[Stage]:
    """Return the stages of the obligation that have come by today and not fired."""
    return rules.stages_to_fire(
        obligation.terms(),
        obligation.fired,
        today,
        cal or work_calendar(),
        policy or reminder_policy(),
    )


def mark_fired(
    obligation: Obligation,
    stage: Stage,
    today: date,
    cal: WorkCalendar | None = None,
    policy: Policy | None = None,
) -> bool:
    """Record that a stage fired today and schedule the next; False if it had already fired."""
    cal = cal or work_calendar()
    policy = policy or reminder_policy()
    if stage in obligation.fired:
        return False
    day = rules.stage_days(obligation.terms(), cal, policy).get(stage)
    if obligation.closed_at is not None or day is None or day > today:
        raise ValueError(f"stage {stage} of obligation {obligation.id} is not due on {today}")
    obligation.fired_stages = {**(obligation.fired_stages or {}), stage.value: today.isoformat()}
    obligation.next_fire_on = rules.next_fire_on(obligation.terms(), obligation.fired, cal, policy)
    return True


def light(
    obligation: Obligation,
    today: date,
    cal: WorkCalendar | None = None,
    policy: Policy | None = None,
) -> Light | None:
    """Return the obligation's light today (None once closed)."""
    return rules.light_of(
        obligation.terms(), today, cal or work_calendar(), policy or reminder_policy()
    )


def reschedule_open(cal: WorkCalendar, today: date | None = None, **_kw: object) -> int:
    """Re-time the reminders of open obligations with new holiday data (answers the signal).

    The areas move the due dates they own; this moves every stage day, the 超期 day and the
    next firing of what is still to fire. It moves no deadline, so it counts none.
    """
    today = today or org_today()
    policy = reminder_policy()
    stmt = select(Obligation).where(
        Obligation.closed_at.is_(None), Obligation.next_fire_on.is_not(None)
    )
    for obligation in db.session.scalars(stmt.execution_options(yield_per=1000)):
        _reschedule(obligation, today, cal, policy)
    return 0


def _reschedule(
    obligation: Obligation, today: date, cal: WorkCalendar | None, policy: Policy | None
) -> None:
    cal = cal or work_calendar()
    policy = policy or reminder_policy()
    terms = obligation.terms()
    fired = obligation.fired_stages or {}
    kept = rules.stages_still_fired(terms, {Stage(s) for s in fired}, today, cal, policy)
    obligation.fired_stages = {s: on for s, on in fired.items() if Stage(s) in kept}
    obligation.next_fire_on = rules.next_fire_on(terms, kept, cal, policy)
    obligation.due_workday = rules.due_workday(terms, cal)
