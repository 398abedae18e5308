"""Read parameters, dictionaries and role names: once a request, and kept a few seconds a process.

Every page reads the parameters (the session policy) and most read dictionaries, which change
a few times a year. A worker keeps what it read for `LOOKUP_CACHE_SECONDS` (0 in the test
suite: one app serves many rolled-back databases); an edit made in this worker is seen at once
(`forget_cached`), one made in another worker or on another machine within those seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app, g, has_app_context
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import DictItem, DictType, Parameter, Role
from webapp.parameters import PARAMETER_DEFAULTS

PROCESS_CACHE = "lookups"  # app.extensions key: {name: (monotonic expiry, value)}
REQUEST_COPIES = "_lookups"  # g key: {name: value} read by this request
_lock = threading.Lock()


@dataclass(frozen=True)
class DictEntry:
    """One dictionary item as read (a plain copy, safe to keep past its request)."""

    id: int
    dict_type_id: int
    value: str
    label: str
    sort_order: int
    colour: str
    parent_id: int | None
    extra: dict[str, Any]
    active: bool


def _load_params() -> dict[str, str]:
    found = {key: d.value for key, d in PARAMETER_DEFAULTS.items()}
    found.update(dict(db.session.execute(select(Parameter.key, Parameter.value)).all()))
    return found


def _load_dicts() -> dict[str, list[DictEntry]]:
    columns = [getattr(DictItem, name) for name in DictEntry.__dataclass_fields__]
    stmt = (
        select(DictType.code, *columns)
        .join(DictType, DictType.id == DictItem.dict_type_id)
        .order_by(DictItem.sort_order, DictItem.id)
    )
    found: dict[str, list[DictEntry]] = {}
    for code, *values in db.session.execute(stmt):
        entry = DictEntry(*values)
        found.setdefault(code, []).append(entry)
    return found


def _load_roles() -> dict[str, str]:
    return dict(db.session.execute(select(Role.code, Role.name)).all())


LOADERS = {"_params": _load_params, "_dicts": _load_dicts, "_roles": _load_roles}


def kept(name: str, load: Callable[[], Any]) -> Any:
    """Return a lookup: this request's copy, else the process's while fresh, else `load()`'s.

    `name` says what was read and for whom (e.g. a scope's units); whatever `load` returns is
    shared by every request of the worker, so it must be plain data, never ORM objects.
    """
    if not has_app_context():
        return load()
    return request_copy(name, lambda: _process_copy(name, load))


def _process_copy(name: str, load: Callable[[], Any]) -> Any:
    # The worker's copy while fresh (LOOKUP_CACHE_SECONDS), else a new one from `load()`.
    seconds = current_app.config.get("LOOKUP_CACHE_SECONDS", 0)
    process = current_app.extensions.setdefault(PROCESS_CACHE, {})
    held = process.get(name)
    now = time.monotonic()
    if seconds and held is not None and held[0] > now:
        return held[1]
    value = load()
    if seconds:
        with _lock:
            process[name] = (now + seconds, value)
    return value


def _cached(name: str) -> Any:
    return kept(name, LOADERS[name])


def all_params() -> dict[str, str]:
    """Return every parameter as text, defaults filled in for missing rows."""
    return _cached("_params")


def param_int(key: str) -> int:
    """Return an integer parameter."""
    return int(all_params()[key])


def param_str(key: str) -> str:
    """Return a text parameter."""
    return all_params()[key]


def dict_items(type_code: str, *, active_only: bool = True) -> list[DictEntry]:
    """Return the items of a dictionary in display order."""
    items = _cached("_dicts").get(type_code, [])
    return [item for item in items if item.active] if active_only else list(items)


def dict_choices(type_code: str, *, blank: str | None = None) -> list[tuple[str, str]]:
    """Return (value, label) pairs for a select field."""
    choices = [(item.value, item.label) for item in dict_items(type_code)]
    return [("", blank), *choices] if blank is not None else choices


def dict_labels(type_code: str) -> dict[str, str]:
    """Return value → label of a dictionary, inactive items included (for display)."""
    return dict(_labels(type_code))


def request_copy(name: str, load: Callable[[], Any]) -> Any:
    """Return what `load()` gives, read once a request (never kept past it, unlike `kept`)."""
    copies = g.setdefault(REQUEST_COPIES, {}) if has_app_context() else {}
    if name not in copies:
        copies[name] = load()
    return copies[name]


def forget_request_copy(name: str) -> None:
    """Drop one of this request's copies (what it was read from has just changed)."""
    if has_app_context():
        g.get(REQUEST_COPIES, {}).pop(name, None)


def _labels(type_code: str) -> dict[str, str]:
    # Built once a request per dictionary, beside the request's copy of the dictionaries it
    # is built from: a register's template asks for a label per cell. Shared, so only
    # `dict_label` reads it; `dict_labels` hands callers a copy of their own.
    by_type = request_copy("_labels", dict)
    if type_code not in by_type:
        items = _cached("_dicts").get(type_code, [])
        by_type[type_code] = {item.value: item.label for item in items}
    return by_type[type_code]


def dict_label(type_code: str, value: str | None) -> str:
    """Return the label of a dictionary value, or the value itself if unknown."""
    return _labels(type_code).get(value or "", value or "")


def role_names() -> dict[str, str]:
    """Return each role's display name by its code (one query a request, not one a row)."""
    return _cached("_roles")


def forget_request_copies() -> None:
    """Drop this request's copies (a request starts afresh; the process's stay while fresh)."""
    g.pop(REQUEST_COPIES, None)


def forget_cached() -> None:
    """Drop every cached lookup (parameters, dictionaries, units…) after an edit, process-wide."""
    forget_request_copies()
    with _lock:
        current_app.extensions.pop(PROCESS_CACHE, None)
