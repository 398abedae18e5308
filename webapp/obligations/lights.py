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


def _open_rows(subject_type: str, ids: list[int] | Select, kinds: Collection[ObligationKind]):
    # Plain columns, not Obligation objects: an export lights ten thousand rows at once.
    return db.session.execute(
        select(Obligation.subject_id, *TERM_COLUMNS).where(
            Obligation.subject_type == subject_type,
            Obligation.subject_id.in_(ids),
            Obligation.kind.in_(list(kinds)),
            Obligation.closed_at.is_(None),
        )
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
    rows = _open_rows(subject_type, ids, kinds)
    today, cal, policy = today or org_today(), work_calendar(), reminder_policy()
    lights: dict[int, Light] = {}
    # Obligations share terms (started the same day, the same time limit): 10,300 warnings in
    # 整改中 have under 200 distinct ones, so each is counted on the calendar once.
    by_terms: dict[tuple, Light | None] = {}
    for row in rows:
        terms = tuple(row[1:])
        if terms not in by_terms:
            by_terms[terms] = rules.light_of(open_terms(row), today, cal, policy)
        lit = by_terms[terms]
        if lit is not None and _worse(lit, lights.get(row.subject_id)):
            lights[row.subject_id] = lit
    return lights


def owed_of(
    subject_type: str, subject_ids: Iterable[int], kind: ObligationKind, today: date | None = None
) -> dict[int, tuple[rules.Terms, Light | None]]:
    """Return each subject's open obligation of `kind` as its terms and light (one query)."""
    ids = sorted(set(subject_ids))
    if not ids:
        return {}
    rows = _open_rows(subject_type, ids, [kind])
    today, cal, policy = today or org_today(), work_calendar(), reminder_policy()
    owed = {}
    for row in rows:
        terms = open_terms(row)
        owed[row.subject_id] = (terms, rules.light_of(terms, today, cal, policy))
    return owed


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
