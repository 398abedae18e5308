"""Cadre roster queries, create/edit, events and the profile's timeline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from webapp import signals
from webapp.audit.services import record_access, record_operation
from webapp.cadres.due import open_mandatory_talk
from webapp.cadres.name_search import cadre_matches
from webapp.extensions import db
from webapp.models import Cadre, CadreEvent, OrgUnit, User
from webapp.paging import Page, SortKey, paginate
from webapp.security.crypto import id_number_hash
from webapp.security.scope import scoped, subtree_ids
from webapp.signals import Section, answers

CADRE_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "political_status",
    "education",
    "unit_id",
    "position",
    "rank",
    "category",
    "is_young",
    "id_number",
    "appointed_on",
    "joined_work_on",
    "joined_party_on",
    "work_history",
)


# The roster lists by unit, then name; the id settles namesakes (and the pager's cursor).
ROSTER_ORDER = SortKey((Cadre.unit_id, Cadre.name, Cadre.id))


@dataclass(frozen=True)
class CadreFilters:
    """What the roster is filtered by."""

    q: str = ""
    unit_id: int = 0
    rank: str = ""
    category: str = ""
    status: str = ""


def roster_query(user: User, filters: CadreFilters):
    """Build the scoped, filtered roster select."""
    stmt = scoped(select(Cadre), Cadre, user)
    if filters.q:
        stmt = stmt.where(cadre_matches(filters.q))
    if filters.unit_id:
        unit = db.session.get(OrgUnit, filters.unit_id)
        if unit is not None:
            stmt = stmt.where(Cadre.unit_id.in_(subtree_ids(unit)))
    for column, value in (
        (Cadre.rank, filters.rank),
        (Cadre.category, filters.category),
        (Cadre.status_colour, filters.status),
    ):
        if value:
            stmt = stmt.where(column == value)
    return ROSTER_ORDER.order(stmt)


def search_cadres(user: User, filters: CadreFilters, args: Mapping[str, str]) -> Page:
    """Return the page of the roster the query string asks for."""
    return paginate(roster_query(user, filters), ROSTER_ORDER, args)


def id_number_in_scope(user: User | None, id_number: str, except_id: int | None = None) -> bool:
    """Tell whether another cadre the user may see already holds this ID number.

    Cadres outside the user's scope are not asked about: whether such a number exists must
    not change what he is told (the 重复登记 page shows the clash to those who see both).
    """
    stmt = select(Cadre.id).where(Cadre.id_number_hash == id_number_hash(id_number))
    if user is not None:
        stmt = scoped(stmt, Cadre, user)
    if except_id:
        stmt = stmt.where(Cadre.id != except_id)
    return db.session.scalar(stmt.limit(1)) is not None


def reveal_id_number(cadre: Cadre) -> str:
    """Log that the current user asked to see a cadre's full ID number, and return it."""
    # In both logs: the operation log names the act in words, the access log is the read.
    record_operation("reveal_id_number", "Cadre", cadre.id, "查看完整身份证号码")
    record_access("Cadre", cadre.id, action="reveal_id_number")
    return cadre.id_number


def duplicate_groups(user: User) -> list[list[Cadre]]:
    """Return the groups of cadres in the user's scope that share one ID number."""
    shared = (
        scoped(select(Cadre.id_number_hash), Cadre, user)
        .group_by(Cadre.id_number_hash)
        .having(func.count(Cadre.id) > 1)
    )
    cadres = db.session.scalars(
        scoped(select(Cadre), Cadre, user)
        .where(Cadre.id_number_hash.in_(shared))
        .order_by(Cadre.id_number_hash, Cadre.id)
    )
    groups: dict[str, list[Cadre]] = {}
    for cadre in cadres:
        groups.setdefault(cadre.id_number_hash, []).append(cadre)
    return list(groups.values())


def create_cadre(user: User, data: dict[str, Any]) -> Cadre:
    """Register a new cadre."""
    cadre = Cadre(created_by_id=user.id, **{k: data[k] for k in CADRE_FIELDS})
    db.session.add(cadre)
    db.session.commit()
    return cadre


def update_cadre(cadre: Cadre, data: dict[str, Any]) -> Cadre:
    """Save edits to a cadre."""
    for key in CADRE_FIELDS:
        setattr(cadre, key, data[key])
    db.session.commit()
    return cadre


def add_event(cadre: Cadre, user: User, data: dict[str, Any]) -> CadreEvent:
    """Record a career event for a cadre."""
    event = CadreEvent(
        cadre_id=cadre.id,
        created_by_id=user.id,
        kind=data["kind"],
        occurred_on=data["occurred_on"],
        description=data["description"] or "",
        document_number=data["document_number"] or "",
    )
    db.session.add(event)
    db.session.flush()
    open_mandatory_talk(event)
    db.session.commit()
    return event


@dataclass(frozen=True)
class TimelineEntry:
    """One dated item on a cadre's timeline."""

    on: date
    kind: str
    title: str
    detail: str = ""
    url: str | None = None


def event_entries(cadre: Cadre) -> list[TimelineEntry]:
    """Turn the cadre's career events into timeline entries."""
    from webapp.lookups import dict_label

    return [
        TimelineEntry(
            e.occurred_on,
            "cadre_event",
            dict_label("cadre_event", e.kind),
            " ".join(filter(None, [e.description, e.document_number])),
        )
        for e in cadre.events
    ]


def timeline(cadre: Cadre, user: User | None) -> list[TimelineEntry]:
    """Return every dated record about a cadre that the user may see, newest first."""
    parts = answers(signals.cadre_timeline, cadre, user=user)
    entries = [*event_entries(cadre), *(entry for part in parts for entry in part)]
    return sorted(entries, key=lambda e: e.on, reverse=True)


TIMELINE_SHOWN = 50  # the profile's timeline until the user asks for all of it


@dataclass(frozen=True)
class TimelineView:
    """The entries the profile shows, and how many there are in all."""

    entries: list[TimelineEntry]
    total: int


def timeline_view(cadre: Cadre, user: User | None, *, show_all: bool) -> TimelineView:
    """Return the newest TIMELINE_SHOWN entries of the timeline, or all of them."""
    entries = timeline(cadre, user)
    return TimelineView(entries if show_all else entries[:TIMELINE_SHOWN], len(entries))


def profile_sections(cadre: Cadre, user: User) -> list[Section]:
    """Return the panels other areas show on the cadre's profile."""
    return list(answers(signals.cadre_profile_sections, cadre, user=user))
