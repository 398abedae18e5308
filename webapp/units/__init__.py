"""The unit tree (单位): ordered lists, indented labels, scope tests, paths; the picker blueprint."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import bindparam, select

from webapp.extensions import db
from webapp.models import DataScope, OrgUnit, User


def ordered_units(active_only: bool = True) -> list[OrgUnit]:
    """Return units in tree order (parents before children, siblings by sort order)."""
    stmt = select(OrgUnit)
    if active_only:
        stmt = stmt.where(OrgUnit.active.is_(True))
    units = list(db.session.scalars(stmt))
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    known = {unit.id for unit in units}
    result: list[OrgUnit] = []

    def walk(parent_id: int | None) -> None:
        for unit in sorted(children.get(parent_id, []), key=lambda u: (u.sort_order, u.id)):
            result.append(unit)
            walk(unit.id)

    for unit in units:  # roots, and units whose parent is inactive
        if unit.parent_id is None or unit.parent_id not in known:
            result.append(unit)
            walk(unit.id)
    return result


def indented(unit: OrgUnit) -> str:
    """Label a unit with its depth for a select box."""
    return "　" * unit.depth + unit.name


def unit_choices(user: User | None = None) -> list[tuple[int, str]]:
    """Return (id, label) for the units a user may file records under."""
    units = ordered_units()
    if user is not None:
        units = [u for u in units if unit_in_scope(user, u)]
    return [(u.id, indented(u)) for u in units]


def unit_in_scope(user: User, unit: OrgUnit) -> bool:
    """Tell whether a unit lies in the user's data scope (仅本人 may file anywhere)."""
    match user.data_scope:
        case DataScope.ALL | DataScope.SELF:
            return True
        case DataScope.UNIT_AND_BELOW:
            return unit.path.startswith(user.unit.path)
        case DataScope.UNIT:
            return unit.id == user.unit_id
        case DataScope.CUSTOM:
            return unit.id in {u.id for u in user.scope_units}
    return False


def set_path(unit: OrgUnit) -> None:
    """Compute a unit's materialised path from its parent (the unit must have an id)."""
    prefix = unit.parent.path if unit.parent else "/"
    unit.path = f"{prefix}{unit.id}/"


def rebuild_paths(connection) -> int:
    """Recompute every unit's materialised path from parent_id; return how many changed.

    Core only (no ORM session), so a migration or `flask bench seed` can call it on its
    connection: `rebuild_paths(op.get_bind())`.
    """
    org_unit = OrgUnit.__table__
    rows = connection.execute(select(org_unit.c.id, org_unit.c.parent_id, org_unit.c.path))
    parents, stored = {}, {}
    for unit_id, parent_id, path in rows:
        parents[unit_id], stored[unit_id] = parent_id, path
    paths: dict[int, str] = {}

    def path_of(unit_id: int) -> str:
        chain: list[int] = []
        current: int | None = unit_id
        while current in parents and current not in paths and current not in chain:
            chain.append(current)
            current = parents[current]
        prefix = paths.get(current, "/")  # a root, a missing parent or a cycle starts at "/"
        for link in reversed(chain):
            prefix = paths[link] = f"{prefix}{link}/"
        return paths[unit_id]

    changed = [
        {"unit_id": unit_id, "new_path": path_of(unit_id)}
        for unit_id in parents
        if path_of(unit_id) != stored[unit_id]
    ]
    if changed:
        connection.execute(
            org_unit.update()
            .where(org_unit.c.id == bindparam("unit_id"))
            .values(path=bindparam("new_path")),
            changed,
        )
    return len(changed)


def init_app(app: Flask) -> None:
    """Register the unit picker's blueprint."""
    from webapp.units.routes import bp

    app.register_blueprint(bp)
