"""Reading negative information: cadres to pick, handlers, the register, duplicates, lights."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort, current_app
from sqlalchemy import literal, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from webapp.cadre_picker import name_or_unit_matches
from webapp.cadres.name_search import looks_like_number, record_matches
from webapp.extensions import db
from webapp.lookups import param_int
from webapp.models import Cadre, NegativeInfo, OrgUnit, User
from webapp.negative_info import due as due_source
from webapp.obligations import lights
from webapp.paging import Page, SortKey, paginate
from webapp.security.crypto import sealed_deferred
from webapp.security.permissions import Permission
from webapp.security.scope import get_in_scope_or_404, in_subtree, scope_condition, scoped
from workflows.deadlines import Light
from workflows.verification import duplicate_window

# ---------------------------------------------------------------- cadres and handlers


def cadre_in_scope(user: User, cadre_id: int | None) -> Cadre | None:
    """Return the cadre if the user's scope covers it, else None."""
    if not cadre_id:
        return None
    stmt = scoped(select(Cadre).where(Cadre.id == cadre_id), Cadre, user)
    return db.session.scalars(stmt).first()


def pick_cadres(user: User, q: str, limit: int = 20) -> list[dict[str, Any]]:
    """Find cadres in scope by name, 拼音首字母 or pinyin, or by unit name (for the picker)."""
    q = q.strip()[:50]
    if not q:
        return []
    stmt = (
        scoped(select(Cadre), Cadre, user)
        .join(OrgUnit, Cadre.unit_id == OrgUnit.id)
        .where(name_or_unit_matches(q))
        .order_by(Cadre.name, Cadre.id)
        .limit(limit)
    )
    return [
        {"id": c.id, "name": c.name, "unit": c.unit.name, "position": c.position}
        for c in db.session.scalars(stmt)
    ]


def match_cadre(name: str, unit_id: int) -> Cadre | None:
    """Return the one cadre of this name in this unit, or None when none or several."""
    stmt = select(Cadre).where(Cadre.name == name.strip(), Cadre.unit_id == unit_id).limit(2)
    found = list(db.session.scalars(stmt))
    return found[0] if len(found) == 1 else None


def _covering(users: list[User], cadre_id: int) -> set[int]:
    """Return the ids of the users whose scope covers the cadre, in one statement."""
    if not users:
        return set()
    asks = (
        select(literal(u.id)).where(
            Cadre.id == cadre_id, scope_condition(u, Cadre.unit_id, Cadre.created_by_id)
        )
        for u in users
    )
    return set(db.session.scalars(union_all(*asks)))


def handler_choices(cadre_id: int | None = None) -> list[tuple[int, str]]:
    """Return the active users who edit negative information and whose scope covers the cadre."""
    stmt = (
        select(User)
        .where(User.active.is_(True))
        .order_by(User.id)
        .options(selectinload(User.scope_units))
    )
    users = [u for u in db.session.scalars(stmt) if u.can(Permission.REPORT_EDIT)]
    if cadre_id is not None:
        covering = _covering(users, cadre_id)
        users = [u for u in users if u.id in covering]
    return [(u.id, f"{u.full_name}（{u.unit.name}）") for u in users]


# ---------------------------------------------------------------- register


# Newest received first; the id settles a day's items (and the pager's cursor).
REGISTER_ORDER = SortKey((NegativeInfo.received_on, NegativeInfo.id), descending=True)
# Unlinked items (a liaison's submission nobody matched yet) a name search names by id.
UNLINKED_MATCHES_SHOWN = 500


@dataclass(frozen=True)
class ReportFilters:
    """What the register is filtered by (the export follows the same filters)."""

    q: str = ""
    unit_id: int = 0
    category: str = ""
    situation: str = ""
    source_channel: str = ""
    status: str = ""
    severity: str = ""
    received_from: date | None = None
    received_to: date | None = None
    cadre_id: int = 0
    via_liaison: bool = False


def register_query(user: User, filters: ReportFilters):
    """Build the scoped, filtered register select, newest first."""
    stmt = scoped(select(NegativeInfo), NegativeInfo, user)
    if filters.q:
        stmt = stmt.where(item_matches(filters.q))
    if filters.unit_id:
        unit = db.session.get(OrgUnit, filters.unit_id)
        if unit is not None:
            stmt = stmt.where(in_subtree(NegativeInfo, unit))
    for column, value in (
        (NegativeInfo.category, filters.category),
        (NegativeInfo.situation, filters.situation),
        (NegativeInfo.source_channel, filters.source_channel),
        (NegativeInfo.status, filters.status),
        (NegativeInfo.severity, filters.severity),
    ):
        if value:
            stmt = stmt.where(column == value)
    if filters.received_from:
        stmt = stmt.where(NegativeInfo.received_on >= filters.received_from)
    if filters.received_to:
        stmt = stmt.where(NegativeInfo.received_on <= filters.received_to)
    if filters.cadre_id:
        stmt = stmt.where(NegativeInfo.cadre_id == filters.cadre_id)
    if filters.via_liaison:
        stmt = stmt.where(NegativeInfo.via_liaison.is_(True))
    return REGISTER_ORDER.order(stmt)


def item_matches(text: str):
    """Return the search condition: the item's number, its cadre, or an unlinked item's name.

    The few unlinked items whose name matches are looked up first and named by id: an OR of
    "its cadre matches" and "no cadre and its name does" is a filter on every row that no index
    serves (PostgreSQL read all 300,000 items for a name three cadres bear).
    """
    linked = record_matches(text, NegativeInfo.cadre_id, NegativeInfo.number)
    if looks_like_number(text.strip()):
        return linked
    unlinked = db.session.scalars(
        select(NegativeInfo.id)
        .where(
            NegativeInfo.cadre_id.is_(None),
            NegativeInfo.cadre_name.contains(text.strip(), autoescape=True),
        )
        .limit(UNLINKED_MATCHES_SHOWN)
    ).all()
    return or_(linked, NegativeInfo.id.in_(unlinked)) if unlinked else linked


def search_register(user: User, filters: ReportFilters, args: Mapping[str, str]) -> Page:
    """Return the page of the register the query string asks for."""
    # A row shows the cadre's current unit, and none of the item's sealed source fields.
    loads = (
        joinedload(NegativeInfo.unit),
        joinedload(NegativeInfo.cadre).load_only(Cadre.unit_id),
        *sealed_deferred(NegativeInfo),
    )
    return paginate(register_query(user, filters), REGISTER_ORDER, args, loads)


def deadline_light(info: NegativeInfo, today: date | None = None) -> Light | None:
    """Return the verification light (黄灯/红灯) of an item being verified."""
    return lights.light_of(due_source.SUBJECT, info.id, [due_source.KIND], today)


def lights_for(items: list[NegativeInfo]) -> dict[int, Light]:
    """Return the light of each item on a page that has one (one query)."""
    return lights.lights_of(due_source.SUBJECT, [info.id for info in items], [due_source.KIND])


def get_report_or_404(user: User, info_id: int) -> NegativeInfo:
    """Load an item in the user's scope or answer 404."""
    return get_in_scope_or_404(NegativeInfo, info_id, user)


# ---------------------------------------------------------------- duplicates


def possible_duplicates(
    user: User,
    cadre_id: int | None,
    situation: str,
    occurred_on: date | None,
    exclude_id: int | None = None,
) -> list[NegativeInfo]:
    """Return items in scope for the same cadre and situation within the duplicate window."""
    if not cadre_id or not situation or not occurred_on:
        return []
    first, last = duplicate_window(occurred_on, param_int("report.duplicate_window_days"))
    stmt = scoped(
        select(NegativeInfo).where(
            NegativeInfo.cadre_id == cadre_id,
            NegativeInfo.situation == situation,
            NegativeInfo.occurred_on.between(first, last),
        ),
        NegativeInfo,
        user,
    )
    if exclude_id:
        stmt = stmt.where(NegativeInfo.id != exclude_id)
    return list(db.session.scalars(stmt.order_by(NegativeInfo.occurred_on.desc())))


# ---------------------------------------------------------------- liaison


def liaison_submissions(user: User, page: int):
    """Return one page of the liaison's own submissions, newest first (never others')."""
    stmt = (
        select(NegativeInfo)
        .where(NegativeInfo.created_by_id == user.id, NegativeInfo.via_liaison.is_(True))
        .order_by(NegativeInfo.id.desc())
    )
    return db.paginate(stmt, page=page, per_page=current_app.config["PAGE_SIZE"], error_out=False)


def own_submission_or_404(user: User, info_id: int) -> NegativeInfo:
    """Load one of the liaison's own submissions or answer 404."""
    info = db.session.get(NegativeInfo, info_id)
    if info is None or info.created_by_id != user.id or not info.via_liaison:
        abort(404)
    return info
