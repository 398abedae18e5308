"""Read parameters, dictionaries and role names, cached for the length of one request."""

from __future__ import annotations

from flask import g, has_app_context
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import DictItem, DictType, Parameter, Role
from webapp.parameters import PARAMETER_DEFAULTS


def _cache(name: str) -> dict:
    if not has_app_context():
        return {}
    if name not in g:
        setattr(g, name, {})
    return getattr(g, name)


def all_params() -> dict[str, str]:
    """Return every parameter as text, defaults filled in for missing rows."""
    cache = _cache("_params")
    if not cache:
        cache.update({key: d.value for key, d in PARAMETER_DEFAULTS.items()})
        cache.update(dict(db.session.execute(select(Parameter.key, Parameter.value)).all()))
    return cache


def param_int(key: str) -> int:
    """Return an integer parameter."""
    return int(all_params()[key])


def param_str(key: str) -> str:
    """Return a text parameter."""
    return all_params()[key]


def _all_dicts() -> dict[str, list[DictItem]]:
    """Load every dictionary's items once per request, in display order (one query)."""
    cache = _cache("_dicts")
    if not cache:
        stmt = (
            select(DictType.code, DictItem)
            .join(DictType)
            .order_by(DictItem.sort_order, DictItem.id)
        )
        for code, item in db.session.execute(stmt):
            cache.setdefault(code, []).append(item)
    return cache


def dict_items(type_code: str, *, active_only: bool = True) -> list[DictItem]:
    """Return the items of a dictionary in display order."""
    items = _all_dicts().get(type_code, [])
    return [item for item in items if item.active] if active_only else list(items)


def dict_choices(type_code: str, *, blank: str | None = None) -> list[tuple[str, str]]:
    """Return (value, label) pairs for a select field."""
    choices = [(item.value, item.label) for item in dict_items(type_code)]
    return [("", blank), *choices] if blank is not None else choices


def dict_labels(type_code: str) -> dict[str, str]:
    """Return value → label of a dictionary, inactive items included (for display)."""
    return {item.value: item.label for item in dict_items(type_code, active_only=False)}


def dict_label(type_code: str, value: str | None) -> str:
    """Return the label of a dictionary value, or the value itself if unknown."""
    return dict_labels(type_code).get(value or "", value or "")


def role_names() -> dict[str, str]:
    """Return each role's display name by its code (one query a request, not one a row)."""
    cache = _cache("_roles")
    if not cache:
        cache.update(dict(db.session.execute(select(Role.code, Role.name)).all()))
    return cache


def forget_cached() -> None:
    """Drop this request's cached parameters, dictionaries and role names after an edit."""
    for name in ("_params", "_dicts", "_roles"):
        g.pop(name, None)
