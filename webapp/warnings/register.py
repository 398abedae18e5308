"""The warning register (预警台账): filters, the scoped query, search and the Excel export."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from webapp import clock
from webapp.audit.services import day_start_utc
from webapp.cadres.name_search import record_matches
from webapp.extensions import db
from webapp.models import (
    Cadre,
    Clarification,
    Obligation,
    OrgUnit,
    User,
    Warning,
)
from webapp.obligations import services as obligations
from webapp.paging import Page, SortKey, paginate
from webapp.security.scope import in_subtree, scoped
from webapp.warnings import due as due_source
from workflows.states import ACTIVE_STATES

# Newest first: the id is the order and the pager's cursor.
REGISTER_ORDER = SortKey((Warning.id,), descending=True)


@dataclass(frozen=True)
class WarningFilters:
    """What the register is filtered by."""

    q: str = ""
    tier: int = 0
    state: str = ""
    unit_id: int = 0
    overdue: bool = False
    created_from: date | None = None
    created_to: date | None = None
    issued_from: date | None = None
    issued_to: date | None = None
    cadre_id: int = 0
    # The 晴雨表's figures: in force (已下达/整改中/待复核), closed, and clarified in a range.
    active: bool = False
    closed_from: date | None = None
    closed_to: date | None = None
    clarified_from: date | None = None
    clarified_to: date | None = None

    def describe(self) -> str:
        """Return the filters in words, for the export's audit line."""
        parts = [f"{k}={v}" for k, v in vars(self).items() if v not in ("", 0, False, None)]
        return "，".join(parts) or "无筛选"


def overdue_condition(today: date) -> sa.ColumnElement:
    """Return the WHERE clause for warnings whose running deadline has passed (红灯)."""
    # Read from the warnings' obligations, as the lights are; a paused clock's obligation
    # moves with the pause, so it is overdue only if it was overdue when paused.
    return Warning.id.in_(
        sa.select(Obligation.subject_id).where(
            Obligation.subject_type == due_source.SUBJECT,
            Obligation.kind.in_(due_source.RUNNING_KINDS),
            obligations.overdue(today),
        )
    )


def register_query(user: User, filters: WarningFilters, today: date | None = None) -> sa.Select:
    """Build the scoped, filtered register select, newest first."""
    today = today or clock.org_today()
    # No join on the cadre: every condition on it is a set test on `cadre_id`, and a join
    # made the capped count read the whole cadre table (79 ms of 114 on the province's page 1).
    stmt = scoped(sa.select(Warning), Warning, user)
    if filters.q:
        stmt = stmt.where(record_matches(filters.q, Warning.cadre_id, Warning.number))
    if filters.cadre_id:
        stmt = stmt.where(Warning.cadre_id == filters.cadre_id)
    if filters.tier:
        stmt = stmt.where(Warning.tier == filters.tier)
    if filters.state:
        stmt = stmt.where(Warning.state == filters.state)
    if filters.unit_id:
        unit = db.session.get(OrgUnit, filters.unit_id)
        if unit is not None:
            stmt = stmt.where(in_subtree(Warning, unit))
    if filters.overdue:
        stmt = stmt.where(overdue_condition(today))
    if filters.created_from:
        stmt = stmt.where(Warning.created_at >= day_start_utc(filters.created_from))
    if filters.created_to:
        stmt = stmt.where(
            Warning.created_at < day_start_utc(filters.created_to + timedelta(days=1))
        )
    if filters.issued_from:
        stmt = stmt.where(Warning.issued_on >= filters.issued_from)
    if filters.issued_to:
        stmt = stmt.where(Warning.issued_on <= filters.issued_to)
    if filters.active:
        stmt = stmt.where(Warning.state.in_(sorted(ACTIVE_STATES)))
    if filters.closed_from:
        stmt = stmt.where(Warning.closed_on >= filters.closed_from)
    if filters.closed_to:
        stmt = stmt.where(Warning.closed_on <= filters.closed_to)
    if filters.clarified_from or filters.clarified_to:
        stmt = stmt.where(Warning.id.in_(_clarified(filters.clarified_from, filters.clarified_to)))
    return REGISTER_ORDER.order(stmt)


def _clarified(first: date | None, last: date | None) -> sa.Select:
    """Select the warnings with a clarification (澄清正名) made within the range."""
    stmt = sa.select(Clarification.warning_id).where(Clarification.clarified_on.is_not(None))
    if first:
        stmt = stmt.where(Clarification.clarified_on >= first)
    if last:
        stmt = stmt.where(Clarification.clarified_on <= last)
    return stmt


def search_warnings(user: User, filters: WarningFilters, args: Mapping[str, str]) -> Page:
    """Return the page of the register the query string asks for."""
    # A row names the cadre and the cadre's unit: the sealed ID number is not decrypted.
    loads = (joinedload(Warning.cadre).load_only(Cadre.name, Cadre.unit_id),)
    return paginate(register_query(user, filters), REGISTER_ORDER, args, loads)
