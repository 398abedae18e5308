"""The warnings area's due source: a warning's timed obligations, reconciled from its fields.

The writer calls `sync_obligations` once at the end of every event (and the provisional
recompute after it moves a deadline), inside the same transaction: each kind's wanted
obligation is derived from the warning as it now stands, then opened, moved or closed to
match. A reconcile cannot drift from the deadlines the effects write, whichever event moved
them. Kinds: 审批等待 (the step waiting, for the step's role), 预警措施到期 / 整改报告到期 /
复核到期 (the deadline running in 已下达 / 整改中 / 待复核, for the handler), 书面检查到期 (the
cadre's written self-criticism, `action.self_criticism_workdays` working days after a tier-2
诫勉谈话 or 诫勉书, for the handler) and 影响期届满.

Decisions where the brief leaves room: while a warning is paused its obligation is owed as if
the clock resumed today (each sweep moves it on, `advance_paused`), so nothing fires during a
pause and the resume lands on the same day the warning's own date moves to; a warning without
a handler makes its proposer responsible; an influence period stays owed after the warning is
lifted or referred (it still runs) and goes only when revoked or cleared. A 书面检查 is owed
for the admonishment at the tier in force while the warning is open: an escalation waiting for
approval, or a 减责 to tier 1, no longer owes it (a rejected escalation owes it again); it
counts from the admonishment's own date, and the working days the clock was paused since then
move it on, as they move the running deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from webapp import clock
from webapp.extensions import db
from webapp.holidays.services import work_calendar
from webapp.lookups import all_params
from webapp.models import Obligation, Warning
from webapp.obligations import services as obligations
from webapp.warnings.history import local_day
from webapp.warnings.step import unanswered_admonishment
from workflows.calendar import WorkCalendar
from workflows.deadlines import shift_for_pause
from workflows.obligations import ObligationKind
from workflows.states import OPEN_STATES, Event, State

SUBJECT = "warning"
# Until `reminder.approval_wait_workdays` is a parameter (webapp/parameters.py), this applies.
DEFAULT_APPROVAL_WAIT_WORKDAYS = 3
# The default of `action.self_criticism_workdays` (webapp/parameters.py).
DEFAULT_SELF_CRITICISM_WORKDAYS = 5

K = ObligationKind
# The deadline each open state runs, by the warning's field prefix (action_due, ...).
RUNNING = {
    State.ISSUED: (K.ACTION_DUE, "action"),
    State.RECTIFYING: (K.RECTIFICATION_REPORT_DUE, "rectification"),
    State.REVIEWING: (K.REVIEW_DUE, "review"),
}
RUNNING_KINDS = tuple(kind for kind, _ in RUNNING.values())
KINDS = (K.APPROVAL_WAITING, *RUNNING_KINDS, K.SELF_CRITICISM_DUE, K.INFLUENCE_ENDING)


@dataclass(frozen=True, slots=True)
class Due:
    """One obligation the warning owes as it stands now."""

    kind: ObligationKind
    start: date
    due: date
    total_workdays: int
    paused_workdays: int = 0
    provisional: bool = False
    responsible_user_id: int | None = None
    step_role: str | None = None


def _workdays(params: dict[str, str], key: str, default: int) -> int:
    try:
        return int(params.get(key, default))
    except ValueError:
        return default


def approval_wait_workdays(params: dict[str, str]) -> int:
    """Return the working days an approval step may wait (parameter or code default)."""
    return _workdays(params, "reminder.approval_wait_workdays", DEFAULT_APPROVAL_WAIT_WORKDAYS)


def self_criticism_workdays(params: dict[str, str]) -> int:
    """Return the working days a 书面检查 is due in after the admonishment."""
    return _workdays(params, "action.self_criticism_workdays", DEFAULT_SELF_CRITICISM_WORKDAYS)


def _responsible(w: Warning) -> int | None:
    return w.handler_id or w.proposer_id


def approval_due(
    w: Warning, today: date, cal: WorkCalendar, params: dict[str, str], entered_on: date | None
) -> Due | None:
    """Return the approval step waiting, counted from the day it was entered."""
    if w.state is not State.PENDING_APPROVAL or not w.awaiting_role:
        return None
    start = entered_on or today
    workdays = approval_wait_workdays(params)
    deadline = cal.add_workdays(start, workdays)
    return Due(
        K.APPROVAL_WAITING, start, deadline.due, workdays, 0, deadline.provisional,
        step_role=w.awaiting_role,
    )  # fmt: skip


def running_due(w: Warning, today: date, cal: WorkCalendar) -> Due | None:
    """Return the deadline running in the warning's state (action, report or review)."""
    if w.state not in RUNNING:
        return None
    kind, name = RUNNING[w.state]
    due: date | None = getattr(w, f"{name}_due")
    if due is None:
        return None
    start = min(w.clock_started_on or w.issued_on or today, due)
    paused = w.clock_paused_workdays or 0
    if w.clock_workdays is not None:
        total = w.clock_workdays
    else:
        # A month-based or decided date: the limit is the working days it spans.
        total = max(cal.workdays_between(start, due) - paused, 0)
    provisional = bool(getattr(w, f"{name}_due_provisional"))
    if w.paused and w.paused_since is not None and today > w.paused_since:
        # The clock stands still: owed as if resumed today, so nothing fires while paused;
        # the resume then moves the warning's own date to the same day.
        moved = shift_for_pause(due, w.paused_since, today, cal)
        paused += cal.workdays_between(w.paused_since, today)
        due, provisional = moved.due, provisional or moved.provisional
    return Due(kind, start, due, total, paused, provisional, responsible_user_id=_responsible(w))


def paused_after(w: Warning, start: date, today: date, cal: WorkCalendar) -> int:
    """Return the working days the warning's clock stood still after `start` (up to today)."""
    spans = []
    for e in w.events:
        details = (e.payload or {}).get("details", {})
        if e.event == Event.RESUME.value and details.get("paused_since"):
            spans.append((date.fromisoformat(details["paused_since"]), local_day(e)))
    if w.paused and w.paused_since is not None:
        spans.append((w.paused_since, today))
    return sum(cal.workdays_between(max(since, start), end) for since, end in spans if end > start)


def self_criticism_due(
    w: Warning, today: date, cal: WorkCalendar, params: dict[str, str]
) -> Due | None:
    """Return the 书面检查 owed after a tier-2 诫勉谈话 or 诫勉书 not yet answered by one."""
    talk = unanswered_admonishment(w) if w.state in OPEN_STATES else None
    if talk is None:
        return None
    workdays = self_criticism_workdays(params)
    paused = paused_after(w, talk.done_on, today, cal)
    deadline = cal.add_workdays(talk.done_on, workdays + paused)
    return Due(
        K.SELF_CRITICISM_DUE, talk.done_on, deadline.due, workdays, paused, deadline.provisional,
        responsible_user_id=_responsible(w),
    )  # fmt: skip


def influence_due(w: Warning, cal: WorkCalendar) -> Due | None:
    """Return the influence period's end while one is set on a warning not revoked."""
    if w.influence_until is None or w.issued_on is None or w.state is State.REVOKED:
        return None
    start = min(w.issued_on, w.influence_until)
    total = cal.workdays_between(start, w.influence_until)
    provisional = cal.is_provisional_span(start, w.influence_until)
    return Due(
        K.INFLUENCE_ENDING, start, w.influence_until, total, 0, provisional,
        responsible_user_id=_responsible(w),
    )  # fmt: skip


def wanted(
    w: Warning,
    today: date,
    cal: WorkCalendar,
    params: dict[str, str],
    approval_entered_on: date | None = None,
) -> dict[ObligationKind, Due]:
    """Return every obligation the warning owes now, by kind."""
    found = (
        approval_due(w, today, cal, params, approval_entered_on),
        running_due(w, today, cal),
        self_criticism_due(w, today, cal, params),
        influence_due(w, cal),
    )
    return {d.kind: d for d in found if d is not None}


def _step_entered_on(w: Warning) -> date | None:
    last = next((e for e in reversed(w.events) if e.to_state == State.PENDING_APPROVAL.value), None)
    return clock.to_org(last.at).date() if last is not None else None


def sync_obligations(
    w: Warning,
    today: date,
    now: datetime,
    *,
    step_decided: bool = False,
    cal: WorkCalendar | None = None,
    params: dict[str, str] | None = None,
) -> dict[ObligationKind, Obligation]:
    """Open, move or close the warning's obligations to match its fields; return the open ones.

    `step_decided` says the event decided or entered an approval step (送审, 审批, 退回, 升级):
    the step waiting then is a new one, counted from today, even under the same role.
    """
    cal = cal or work_calendar()
    params = params if params is not None else all_params()
    entered_on = None
    if step_decided:
        obligations.close_obligation(K.APPROVAL_WAITING, SUBJECT, w.id, now)
    elif w.state is State.PENDING_APPROVAL:
        waiting = obligations.find_open(K.APPROVAL_WAITING, SUBJECT, w.id)
        if waiting is None:
            # Declared late (a warning older than its obligations): the step waits since
            # the event that entered it.
            entered_on = _step_entered_on(w)
        elif waiting.step_role == w.awaiting_role:
            entered_on = waiting.start_on
    owed = wanted(w, today, cal, params, entered_on)
    kept: dict[ObligationKind, Obligation] = {}
    for kind in KINDS:
        due = owed.get(kind)
        if due is None:
            obligations.close_obligation(kind, SUBJECT, w.id, now)
            continue
        kept[kind] = obligations.open_obligation(
            kind=kind,
            subject_type=SUBJECT,
            subject_id=w.id,
            cadre_id=w.cadre_id,
            start=due.start,
            due=due.due,
            total_workdays=due.total_workdays,
            today=today,
            responsible_user_id=due.responsible_user_id,
            step_role=due.step_role,
            paused_workdays=due.paused_workdays,
            provisional=due.provisional,
            cal=cal,
        )
    return kept


def sync_all(today: date | None = None, now: datetime | None = None) -> int:
    """Reconcile every warning that may owe something (deploy, repair); return how many."""
    today, now = today or clock.org_today(), now or clock.utc_now()
    cal, params = work_calendar(), all_params()
    stmt = sa.select(Warning).where(
        sa.or_(Warning.state.in_(OPEN_STATES), Warning.influence_until.is_not(None))
    )
    count = 0
    for w in db.session.scalars(stmt.order_by(Warning.id)):
        sync_obligations(w, today, now, cal=cal, params=params)
        count += 1
    return count


def advance_paused(today: date, now: datetime) -> int:
    """Move the obligations of paused warnings to where a resume today would put them."""
    # Run by each sweep before it fires (via the colour refresh), so a paused clock's
    # reminders keep moving ahead instead of firing while nothing can be done.
    stmt = sa.select(Warning).where(Warning.paused, Warning.state.in_(list(RUNNING)))
    cal, params = work_calendar(), all_params()
    count = 0
    for w in db.session.scalars(stmt.order_by(Warning.id)):
        sync_obligations(w, today, now, cal=cal, params=params)
        count += 1
    return count


def close_ended_influences(today: date, now: datetime) -> int:
    """Close the influence obligations whose period has ended and whose notices all fired."""
    # next_fire_on NULL means the due-day notice went out, so closing loses no reminder.
    rows = db.session.scalars(
        sa.select(Obligation).where(
            Obligation.kind == K.INFLUENCE_ENDING,
            Obligation.subject_type == SUBJECT,
            Obligation.closed_at.is_(None),
            Obligation.next_fire_on.is_(None),
            Obligation.due_on < today,
        )
    ).all()
    for row in rows:
        obligations.close_obligation(row.kind, SUBJECT, row.subject_id, now)
    return len(rows)
