"""Pick a cadre within the user's data scope: select options and a search by name or unit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.sql.elements import ColumnElement

from webapp.cadres.name_search import matching_cadre_ids
from webapp.extensions import db
from webapp.models import Cadre, OrgUnit, User
from webapp.security.scope import scoped

# The plain <select> lists this many cadres; the search box reaches the rest.
SELECT_LIMIT = 300
SEARCH_LIMIT = 20


def cadre_label(cadre: Cadre) -> str:
    """Label a cadre with unit and position so namesakes can be told apart."""
    return f"{cadre.name}（{cadre.unit.name} {cadre.position}）"


def cadre_title(cadre: Cadre) -> str:
    """Return the cadre's unit and position as written on forms (单位职务)."""
    # Positions are often typed with the unit already in them (市财政局副局长).
    if cadre.position.startswith(cadre.unit.name):
        return cadre.position
    return f"{cadre.unit.name}{cadre.position}"


def name_or_unit_matches(q: str) -> ColumnElement[bool]:
    """Return a condition: the cadre's name (or pinyin) starts a word with q, or the unit has q."""
    in_units = (
        select(Cadre.id)
        .join(OrgUnit, Cadre.unit_id == OrgUnit.id)
        .where(OrgUnit.name.contains(q.strip(), autoescape=True))
    )
    # One IN over a UNION: each side reads its own index (an OR across the join would not).
    return Cadre.id.in_(matching_cadre_ids(q).union(in_units))


def search_in_scope(user: User, q: str, limit: int = SEARCH_LIMIT) -> list[Cadre]:
    """Return in-scope cadres found by name, 拼音首字母 or pinyin, or by their unit's name."""
    stmt = scoped(select(Cadre).join(Cadre.unit), Cadre, user)
    if q.strip():
        stmt = stmt.where(name_or_unit_matches(q))
    return list(db.session.scalars(stmt.order_by(Cadre.name, Cadre.id).limit(limit)))


def cadre_choices(user: User, selected: Cadre | None, blank: str) -> list[tuple[int, str]]:
    """Return select options: the selected cadre first, then in-scope cadres by name."""
    cadres = search_in_scope(user, "", SELECT_LIMIT)
    if selected is not None and selected not in cadres:
        cadres.insert(0, selected)
    return [(0, blank), *((c.id, cadre_label(c)) for c in cadres)]


def as_json(cadres: list[Cadre]) -> list[dict]:
    """Describe cadres for the search box."""
    return [{"id": c.id, "label": cadre_label(c)} for c in cadres]
