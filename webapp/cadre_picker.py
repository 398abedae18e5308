"""Pick a cadre within the user's data scope: select options and a search by name or unit."""

from __future__ import annotations

from sqlalchemy import or_, select

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


def search_in_scope(user: User, q: str, limit: int = SEARCH_LIMIT) -> list[Cadre]:
    """Return in-scope cadres whose name or unit name contains the text."""
    stmt = scoped(select(Cadre).join(Cadre.unit), Cadre, user)
    q = q.strip()
    if q:
        stmt = stmt.where(
            or_(Cadre.name.contains(q, autoescape=True), OrgUnit.name.contains(q, autoescape=True))
        )
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
