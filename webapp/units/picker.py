"""The unit picker's reads: the top of a user's tree, one unit's children, a search by name.

Only units in the user's data scope are ever returned (`pickable_units`), so a district's user
never sees another district's units; pages load a level at a time instead of all 1,994 units.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from webapp.extensions import db
from webapp.lookups import kept
from webapp.models import DataScope, OrgUnit, User
from webapp.security.scope import pickable_units

# One answer lists at most this many units; a longer level or search says there is more.
PICK_LIMIT = 50
# The plain <select> (no JavaScript) offers the top of the tree and the level under it.
SELECT_LIMIT = 100


@dataclass(frozen=True)
class PickedUnit:
    """A unit as the picker shows it: its name, its place in the tree, whether it opens."""

    id: int
    name: str
    label: str
    depth: int
    has_children: bool

    def as_json(self) -> dict:
        """Describe the unit for the picker's script."""
        return {
            "id": self.id,
            "name": self.name,
            "label": self.label,
            "has_children": self.has_children,
        }


def _pickable(user: User) -> sa.ColumnElement[bool]:
    return sa.and_(OrgUnit.active.is_(True), pickable_units(user))


def _in_tree_order(stmt: sa.Select) -> sa.Select:
    return stmt.order_by(OrgUnit.sort_order, OrgUnit.id)


def top_units(user: User, limit: int = PICK_LIMIT + 1) -> list[OrgUnit]:
    """Return the tops of the user's tree: pickable units whose parent is not pickable."""
    # Uncorrelated on purpose: the set of pickable ids, built once, not a lookup per unit.
    pickable_ids = sa.select(OrgUnit.id).where(_pickable(user)).correlate(None)
    stmt = sa.select(OrgUnit).where(
        _pickable(user),
        sa.or_(OrgUnit.parent_id.is_(None), OrgUnit.parent_id.not_in(pickable_ids)),
    )
    return list(db.session.scalars(_in_tree_order(stmt).limit(limit)))


def child_units(user: User, parent_id: int, limit: int = PICK_LIMIT + 1) -> list[OrgUnit]:
    """Return a unit's pickable children in tree order."""
    stmt = sa.select(OrgUnit).where(_pickable(user), OrgUnit.parent_id == parent_id)
    return list(db.session.scalars(_in_tree_order(stmt).limit(limit)))


def search_units(user: User, q: str, limit: int = PICK_LIMIT + 1) -> list[OrgUnit]:
    """Return pickable units whose name contains the text, or whose code is it."""
    q = q.strip()[:50]
    if not q:
        return []
    stmt = sa.select(OrgUnit).where(
        _pickable(user),
        sa.or_(OrgUnit.name.contains(q, autoescape=True), OrgUnit.code == q),
    )
    return list(db.session.scalars(stmt.order_by(OrgUnit.path, OrgUnit.id).limit(limit)))


def pickable_unit(user: User, unit_id: int) -> OrgUnit | None:
    """Return the unit if the user may pick it, else None."""
    stmt = sa.select(OrgUnit).where(OrgUnit.id == unit_id, _pickable(user))
    return db.session.scalars(stmt).first()


def describe(user: User, units: list[OrgUnit], with_path: bool = False) -> list[PickedUnit]:
    """Describe units for the picker: whether each opens, and (for a search) where it sits."""
    ids = [u.id for u in units]
    opens: set[int] = set()
    if ids:
        stmt = sa.select(OrgUnit.parent_id).where(_pickable(user), OrgUnit.parent_id.in_(ids))
        opens = set(db.session.scalars(stmt.distinct()))
    names = _ancestor_names(user, units) if with_path else {}
    return [
        PickedUnit(
            u.id,
            u.name,
            " / ".join([*(names[i] for i in _ancestor_ids(u) if i in names), u.name]),
            u.depth,
            u.id in opens,
        )
        for u in units
    ]


def _ancestor_ids(unit: OrgUnit) -> list[int]:
    return [int(part) for part in unit.path.strip("/").split("/")[:-1] if part.isdigit()]


def _ancestor_names(user: User, units: list[OrgUnit]) -> dict[int, str]:
    """Return the names of the units' pickable ancestors (one query for them all)."""
    wanted = {i for u in units for i in _ancestor_ids(u)}
    if not wanted:
        return {}
    stmt = sa.select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(wanted), _pickable(user))
    return {unit_id: name for unit_id, name in db.session.execute(stmt)}


def select_choices(user: User, selected_id: int = 0) -> list[tuple[int, str]]:
    """Return the plain <select>'s units: the top of the tree, the level below, the chosen one."""
    scope = _scope_key(user)
    if scope is None:
        choices = _tree_choices(user)
    else:
        # Every register page offers it: kept a few seconds per worker, per data scope (a
        # unit's edit forgets it), like the dictionaries (webapp/lookups.py).
        choices = kept(f"unit_choices:{scope}", lambda: _tree_choices(user))
    if selected_id and selected_id not in {i for i, _label in choices}:
        unit = pickable_unit(user, selected_id)
        if unit is not None:
            (picked,) = describe(user, [unit], with_path=True)
            return [(unit.id, picked.label), *choices]
    return list(choices)


def _scope_key(user: User) -> str | None:
    """Name the units a user may pick, for the process's copy; None for a hand-picked set."""
    match user.data_scope:
        case DataScope.ALL | DataScope.SELF:
            return "all"
        case DataScope.UNIT_AND_BELOW:
            return f"below:{user.unit.path}"
        case DataScope.UNIT:
            return f"unit:{user.unit_id}"
    # 自定义: the user's own list of units, edited with the user, not kept.
    return None


def _tree_choices(user: User) -> tuple[tuple[int, str], ...]:
    """Read the top of the user's tree and the level below it, as (id, label) pairs."""
    tops = top_units(user, SELECT_LIMIT)
    choices: list[tuple[int, str]] = []
    children: dict[int, list[OrgUnit]] = {}
    top_ids = [u.id for u in tops]
    if top_ids and len(tops) < SELECT_LIMIT:
        stmt = sa.select(OrgUnit).where(_pickable(user), OrgUnit.parent_id.in_(top_ids))
        below = db.session.scalars(_in_tree_order(stmt).limit(SELECT_LIMIT - len(tops)))
        for unit in below:
            children.setdefault(unit.parent_id, []).append(unit)
    for top in tops:
        choices.append((top.id, top.name))
        choices.extend((child.id, "　" + child.name) for child in children.get(top.id, []))
    return tuple(choices)
