"""Which unit the 晴雨表 looks at: the user's own part of the tree, or a unit drilled into."""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.exceptions import NotFound

from webapp.dashboard import queries
from webapp.extensions import db
from webapp.models import DataScope, OrgUnit, User
from webapp.units import unit_in_scope


@dataclass(frozen=True)
class Focus:
    """The unit in focus (None: the whole scope, over several roots) and the way down to it."""

    unit: OrgUnit | None
    trail: tuple[OrgUnit, ...]
    # True when the user chose it: the registers are then filtered by it too.
    chosen: bool

    def unit_args(self) -> dict[str, int]:
        """Return the register's unit filter for a link (none when the scope alone limits)."""
        return {"unit_id": self.unit.id} if self.chosen and self.unit is not None else {}


def default_unit(user: User) -> OrgUnit | None:
    """Return where the user's 晴雨表 opens: the own unit, or the one root of the tree."""
    if user.data_scope in (DataScope.UNIT_AND_BELOW, DataScope.UNIT):
        return user.unit
    roots = queries.root_units()
    return roots[0] if len(roots) == 1 else None


def may_focus(user: User, unit: OrgUnit) -> bool:
    """Tell whether the user may drill into a unit (chosen units and 仅本人 see any, scoped)."""
    if user.data_scope in (DataScope.CUSTOM, DataScope.SELF):
        return True
    return unit_in_scope(user, unit)


def focus_for(user: User, unit_id: int | None) -> Focus:
    """Return the focus a request asks for; a unit outside the user's reach answers 404."""
    start = default_unit(user)
    if not unit_id or (start is not None and unit_id == start.id):
        return Focus(start, _trail(user, start, start), chosen=False)
    unit = db.session.get(OrgUnit, unit_id)
    if unit is None or not unit.active or not may_focus(user, unit):
        raise NotFound()
    return Focus(unit, _trail(user, unit, start), chosen=True)


def _trail(user: User, unit: OrgUnit | None, start: OrgUnit | None) -> tuple[OrgUnit, ...]:
    """Return the units from where the user's view starts down to the unit (for the crumbs)."""
    if unit is None:
        return ()
    units = [*queries.ancestors(unit), unit]
    if start is not None and start in units:
        units = units[units.index(start) :]
    return tuple(u for u in units if u is start or u is unit or may_focus(user, u))
