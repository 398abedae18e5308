"""What an import knows while it checks rows: who imports, today, and lookups loaded once."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from flask_babel import gettext as _

from webapp.lookups import dict_items
from webapp.models import DictItem, OrgUnit, User
from webapp.spreadsheets.cells import CellError
from webapp.units import ordered_units, unit_in_scope


class ImportContext:
    """Who imports, today's date, and the lookups (dictionaries, units) loaded once."""

    def __init__(self, user: User, today: date, *, update_existing: bool = False) -> None:
        self.user = user
        self.today = today
        self.update_existing = update_existing
        self._dicts: dict[str, dict[str, DictItem]] = {}
        self._units: dict[str, list[OrgUnit]] | None = None
        self._scope_ids: set[int] = set()
        self._all_units: list[OrgUnit] = []
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, build: Callable[[], Any]) -> Any:
        """Return a lookup built once per import (situations, tiers, ...)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    # dictionaries
    def _dict_map(self, code: str) -> dict[str, DictItem]:
        if code not in self._dicts:
            mapping: dict[str, DictItem] = {}
            items = dict_items(code)
            for item in items:
                mapping.setdefault(item.value.lower(), item)
            for item in items:  # labels win over values when both match different items
                mapping[item.label] = item
            self._dicts[code] = mapping
        return self._dicts[code]

    def dict_item(self, code: str, text: str) -> DictItem | None:
        """Return the active item of a dictionary whose label (or value) is the text."""
        mapping = self._dict_map(code)
        text = text.strip()
        return mapping.get(text) or mapping.get(text.lower())

    def dict_labels(self, code: str) -> list[str]:
        """Return a dictionary's active labels in display order."""
        return [item.label for item in dict_items(code)]

    # units
    def _load_units(self) -> dict[str, list[OrgUnit]]:
        if self._units is None:
            self._all_units = ordered_units()
            self._scope_ids = {u.id for u in self._all_units if unit_in_scope(self.user, u)}
            index: dict[str, list[OrgUnit]] = {}
            for unit in self._all_units:
                index.setdefault(unit.name, []).append(unit)
            self._units = index
            self._codes = {u.code.lower(): u for u in self._all_units}
        return self._units

    @property
    def scope_unit_ids(self) -> set[int]:
        """Return the ids of the active units the user may file records under."""
        self._load_units()
        return self._scope_ids

    def unit_id(self, text: str) -> int:
        """Resolve a unit name, code or "名称（编码）" to an id the user may file under."""
        by_name = self._load_units()
        unit = self._codes.get(text.lower())
        if unit is None:
            named = by_name.get(text, [])
            if len(named) > 1:
                raise CellError(_("单位名称“%(v)s”不唯一，请填写单位编码", v=text))
            unit = named[0] if named else None
        if unit is None:
            match = re.match(r"^(.+?)\s*[（(]\s*([^（()）]+)\s*[)）]$", text)
            if match:
                unit = self._codes.get(match.group(2).lower())
        if unit is None:
            raise CellError(_("单位“%(v)s”不存在（请填写系统中的单位名称或编码）", v=text))
        if unit.id not in self._scope_ids:
            raise CellError(_("您无权向单位“%(v)s”导入数据（不在您的数据权限范围内）", v=text))
        return unit.id

    def unit_labels(self) -> list[str]:
        """Return how to write each unit in scope: its name, or name（code） when shared."""
        by_name = self._load_units()
        return [
            u.name if len(by_name[u.name]) == 1 else f"{u.name}（{u.code}）"
            for u in self._all_units
            if u.id in self._scope_ids
        ]
