"""Facts for the pure rules: stored warnings and items described as `workflows` needs them."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from webapp import clock
from webapp.extensions import db
from webapp.holidays.services import work_calendar
from webapp.lookups import all_params
from webapp.models import NegativeInfo, User, Warning
from webapp.security.scope import scoped
from webapp.warnings.history import Snapshot
from workflows.calendar import WorkCalendar
from workflows.states import State
from workflows.suggestion import ItemFact, Suggestion, WarningFact, suggest_tier
from workflows.verification import Status


def current_due(warning: Warning) -> tuple[str, date | None, bool]:
    """Return (kind, due, provisional) of the deadline running in the warning's state."""
    match warning.state:
        case State.ISSUED:
            return "action", warning.action_due, warning.action_due_provisional
        case State.RECTIFYING:
            return "rectification", warning.rectification_due, warning.rectification_due_provisional
        case State.REVIEWING:
            return "review", warning.review_due, warning.review_due_provisional
    return "", None, False


def clock_started(warning: Warning) -> bool:
    """Tell whether a deadline runs in the warning's state (none while it awaits approval)."""
    return current_due(warning)[1] is not None


def clock_day(warning: Warning, today: date) -> date:
    """Return the day the warning's clock stands at: the pause day while paused."""
    return warning.paused_since if warning.paused and warning.paused_since else today


def overdue_workdays(warning: Warning, today: date, cal: WorkCalendar) -> int:
    """Return the working days the action or rectification is overdue (0 if not)."""
    kind, due, _ = current_due(warning)
    day = clock_day(warning, today)
    if kind not in ("action", "rectification") or due is None or day <= due:
        return 0
    return cal.workdays_between(due, day)


def warning_fact(warning: Warning, today: date, cal: WorkCalendar) -> WarningFact:
    """Describe a stored warning for the suggestion rules."""
    return WarningFact(
        id=warning.id,
        tier=warning.tier,
        state=warning.state,
        number=warning.number,
        issued_on=warning.issued_on,
        influence_until=warning.influence_until,
        overdue_workdays=overdue_workdays(warning, today, cal),
        basis_item_ids=frozenset(item.id for item in warning.basis),
    )


def snapshot_of(warning: Warning) -> Snapshot:
    """Return the stored warning's workflow fields."""
    return Snapshot(
        state=warning.state,
        tier=warning.tier,
        approval_step=warning.approval_step,
        paused=warning.paused,
        issued_tier=warning.issued_tier,
        influence_until=warning.influence_until,
    )


def select_items() -> sa.Select:
    """Select negative-info items in a stable order."""
    return sa.select(NegativeInfo).order_by(NegativeInfo.occurred_on, NegativeInfo.id)


def cadre_items(cadre_id: int, user: User | None = None) -> list[NegativeInfo]:
    """Return the cadre's negative-info items the user may see (all for the system), oldest first."""
    stmt = select_items().where(NegativeInfo.cadre_id == cadre_id)
    if user is not None:
        stmt = scoped(stmt, NegativeInfo, user)
    return list(db.session.scalars(stmt))


def suggestion_for(cadre_id: int, item_ids: set[int], today: date | None = None) -> Suggestion:
    """Suggest a tier for a new warning on these items of the cadre, with the reasons."""
    today = today or clock.org_today()
    cal = work_calendar()
    items = [
        ItemFact(
            id=info.id,
            number=info.number,
            verification=Status.parse(info.status),
            default_tier=info.default_tier or None,
            situation=info.situation,
            occurred_on=info.occurred_on,
            verified_on=info.verified_on,
            in_basis=info.id in item_ids,
        )
        for info in cadre_items(cadre_id)
    ]
    warnings = db.session.scalars(
        sa.select(Warning).where(Warning.cadre_id == cadre_id, Warning.state != State.DRAFT)
    )
    facts = [warning_fact(w, today, cal) for w in warnings]
    return suggest_tier(items, facts, today, all_params())
