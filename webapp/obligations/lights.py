"""黄灯/红灯 of records, read from their open obligations: pages light what the sweep fires."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from sqlalchemy import Row, Select, select

from webapp.clock import org_today
from webapp.extensions import db
from webapp.holidays.services import work_calendar
from webapp.models.obligations import Obligation
from webapp.obligations.services import reminder_policy
from workflows import obligations as rules
from workflows.deadlines import Light
from workflows.obligations import ObligationKind

# The columns an open obligation's `Terms` are read from.
TERM_COLUMNS = (
    Obligation.kind,
    Obligation.start_on,
    Obligation.due_on,
    Obligation.total_workdays,
    Obligation.paused_workdays,
    Obligation.provisional,
    Obligation.acknowledged_plan_on,
)


def open_terms(row: Row) -> rules.Terms:
    """Return the terms of an open obligation read as `TERM_COLUMNS` (as `Obligation.terms`)."""
    return rules.Terms(
        kind=row.kind,
        start=row.start_on,
        due=row.due_on,
        total_workdays=row.total_workdays,
        paused_workdays=row.paused_workdays,
        provisional=row.provisional,
        acknowledged_plan_on=row.acknowledged_plan_on,
    )


def lights_of(
    subject_type: str,
    subject_ids: Iterable[int] | Select,
    kinds: Collection[ObligationKind],
    today: date | None = None,
) -> dict[int, Light]:
    """Return the light of each subject owing one of `kinds` (one query for a page).

    `subject_ids` is a page's ids or, for an export, a select of them.
    """
    ids = subject_ids if isinstance(subject_ids, Select) else sorted(set(subject_ids))
    if not isinstance(ids, Select) and not ids:
        return {}
    # Plain columns, not Obligation objects: an export lights ten thousand rows at once.
    rows = db.session.execute(
        select(Obligation.subject_id, *TERM_COLUMNS).where(
            Obligation.subject_type == subject_type,
            Obligation.subject_id.in_(ids),
            Obligation.kind.in_(list(kinds)),
            Obligation.closed_at.is_(None),
        )
    )
    today, cal, policy = today or org_today(), work_calendar(), reminder_policy()
    lights: dict[int, Light] = {}
    for row in rows:
        lit = rules.light_of(open_terms(row), today, cal, policy)
        if lit is not None and _worse(lit, lights.get(row.subject_id)):
            lights[row.subject_id] = lit
    return lights


def light_of(
    subject_type: str,
    subject_id: int,
    kinds: Collection[ObligationKind],
    today: date | None = None,
) -> Light | None:
    """Return the light of one subject, or None when it owes none of `kinds`."""
    return lights_of(subject_type, [subject_id], kinds, today).get(subject_id)


SEVERITY = {Light.GREEN: 0, Light.YELLOW: 1, Light.RED: 2}


def _worse(light: Light, than: Light | None) -> bool:
    return than is None or SEVERITY[light] > SEVERITY[than]
