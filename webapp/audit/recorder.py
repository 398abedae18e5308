"""Write an AuditLog row for every create, update and delete of an audited model.

Hooked on the session, so no service can forget it: models opt in with `__audited__`. A model's
`__audit_quiet__` columns change without an update row of their own (what another log records).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import MANYTOONE, Session

from webapp.models.base import utcnow
from webapp.models.logs import AuditLog, ChainedLog

HIDDEN = "******"
# What the log keeps of a case-content field (`__audit_content__`): that it was filled in or
# changed, never its value. Stored as these words; the log pages translate them.
CONTENT_SET = "已填写（内容不记入日志）"
CONTENT_CHANGED = "已修改（内容不记入日志）"
CONTENT_BEFORE = "原内容（不记入日志）"
CONTENT_MARKERS = (CONTENT_SET, CONTENT_CHANGED, CONTENT_BEFORE)


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete a log row."""


# Set by `acting_as` for work done outside a request (a background import, a scheduled job).
_acting: ContextVar[tuple[int | None, str, str] | None] = ContextVar("audit_actor", default=None)


@contextmanager
def acting_as(user: Any, ip: str = "") -> Iterator[None]:
    """Record the audit rows written inside the block as `user`'s, or "system"'s."""
    who = (None, "system", ip) if user == "system" or user is None else (user.id, user.username, ip)
    token = _acting.set(who)
    try:
        yield
    finally:
        _acting.reset(token)


def actor() -> tuple[int | None, str, str]:
    """Return (user id, username, IP) of whoever is acting now, or the system."""
    explicit = _acting.get()
    if explicit is not None:
        return explicit
    if has_request_context():
        ip = request.remote_addr or ""
        if current_user and current_user.is_authenticated:
            return current_user.id, current_user.username, ip
        return None, "", ip
    return None, "system", ""


def jsonable(value: Any) -> Any:
    """Turn a column value into something JSON can hold."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | dict | str | int | float | bool) or value is None:
        return value
    return str(value)


def is_content(obj: Any, key: str) -> bool:
    """Tell whether a model declares a field as case content, kept out of the log."""
    return key in getattr(obj, "__audit_content__", ())


def shown(obj: Any, key: str, value: Any, marker: str = CONTENT_SET) -> Any:
    """Return a value as the log keeps it: secrets hidden, case content as a marker."""
    if key in getattr(obj, "__audit_hidden__", ()):
        return HIDDEN
    if is_content(obj, key):
        return marker if value not in (None, "", [], {}) else jsonable(value)
    return jsonable(value)


def snapshot(obj: Any) -> dict[str, Any]:
    """Return every column of an object, secrets hidden and case content marked."""
    state = inspect(obj)
    return {
        attr.key: shown(obj, attr.key, getattr(obj, attr.key))
        for attr in state.mapper.column_attrs
        if attr.key not in ("created_at", "updated_at")
    }


def changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (before, after) for the columns an update changed, quiet ones left out."""
    state = inspect(obj)
    quiet = getattr(obj, "__audit_quiet__", frozenset())
    before, after = {}, {}
    for attr in state.mapper.column_attrs:
        if attr.key in ("created_at", "updated_at") or attr.key in quiet:
            continue
        history = state.attrs[attr.key].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                before[attr.key] = shown(obj, attr.key, old, CONTENT_BEFORE)
                after[attr.key] = shown(obj, attr.key, new, CONTENT_CHANGED)
    for key, (old, new) in relationship_changes(obj).items():
        if key not in after and old != new:
            before[key], after[key] = shown(obj, key, old), shown(obj, key, new)
    return before, after


def relationship_changes(obj: Any) -> dict[str, tuple[Any, Any]]:
    """Return foreign-key column → (old, new) for many-to-one relationships assigned anew."""
    # `unit.parent = other` sets parent_id only during the flush, after the audit looked.
    state = inspect(obj)
    found = {}
    for rel in state.mapper.relationships:
        if rel.direction is not MANYTOONE:
            continue
        history = state.attrs[rel.key].history
        if not history.added and not history.deleted:
            continue
        target = history.added[0] if history.added else None
        for local, remote in rel.local_remote_pairs:
            key = state.mapper.get_property_by_column(local).key
            new = None
            if target is not None:
                new = getattr(target, inspect(target).mapper.get_property_by_column(remote).key)
            # Not synchronised yet, the column still holds the value from before.
            found[key] = (getattr(obj, key), new)
    return found


def summary_of(obj: Any) -> str:
    """Return how a record names itself, or "" for a model that says nothing of its own."""
    if type(obj).__str__ is object.__str__:
        return ""  # Python's "<… object at 0x…>" tells the auditor nothing
    return str(obj)[:500]


def audit_rows(session: Session) -> list[dict[str, Any]]:
    """Describe what the flush is about to write for audited models."""
    user_id, username, ip = actor()
    base = {"user_id": user_id, "username": username, "ip": ip}
    rows = []
    for action, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if not getattr(obj, "__audited__", False):
                continue
            if action == "update":
                before, after = changes(obj)
                if not after:
                    continue
            elif action == "create":
                before, after = None, snapshot(obj)
            else:
                before, after = snapshot(obj), None
            rows.append(
                {
                    **base,
                    "action": action,
                    "object_type": type(obj).__name__,
                    "obj": obj,
                    "summary": summary_of(obj),
                    "before": before,
                    "after": after,
                }
            )
    return rows


def fill_flushed_values(obj: Any, after: dict[str, Any]) -> None:
    """Fill in the columns of a new object that only the flush set (foreign keys, defaults)."""
    loaded = inspect(obj).dict  # read without loading: no query inside the flush
    for key, value in after.items():
        if value is None and loaded.get(key) is not None:
            after[key] = shown(obj, key, loaded[key])


def refuse_log_changes(session: Session) -> None:
    """Refuse any update or delete of an append-only log row."""
    for obj in (*session.dirty, *session.deleted):
        if getattr(obj, "__append_only__", False) and (
            obj in session.deleted or session.is_modified(obj)
        ):
            raise AppendOnlyError(f"{type(obj).__name__} 为只增日志，不可修改或删除")


def register(session_class: type[Session] | Session) -> None:
    """Hook the audit trail onto a session class (once per process)."""
    if event.contains(session_class, "before_flush", before_flush):
        return
    event.listen(session_class, "before_flush", before_flush)
    event.listen(session_class, "after_flush", after_flush)
    event.listen(session_class, "after_flush_postexec", reload_log_rows)


def before_flush(session: Session, _context, _instances) -> None:
    """Collect the audit rows while the pending changes are still visible."""
    refuse_log_changes(session)
    session.info.setdefault("pending_audit", []).extend(audit_rows(session))
    session.info["new_log_rows"] = [obj for obj in session.new if isinstance(obj, ChainedLog)]


def reload_log_rows(session: Session, _context) -> None:
    """Expire what the engine filled into new log rows (time, hashes), so reading loads it."""
    # The chain hook (webapp/audit/chain.py) sets these in the INSERT, out of the ORM's sight.
    for obj in session.info.pop("new_log_rows", []):
        unloaded = inspect(obj).unloaded
        if unloaded:
            session.expire(obj, list(unloaded))


def after_flush(session: Session, _context) -> None:
    """Insert the collected audit rows now that new objects have their ids."""
    pending = session.info.pop("pending_audit", [])
    if not pending:
        return
    now = utcnow()
    values = []
    for row in pending:
        obj = row.pop("obj")
        # New objects get their identity key only after the flush; read the key columns.
        key = inspect(obj).mapper.primary_key_from_instance(obj)
        row["object_id"] = ",".join(str(part) for part in key if part is not None)
        if row["action"] == "create" and row["after"] is not None:
            fill_flushed_values(obj, row["after"])
            if "id" in row["after"]:
                row["after"]["id"] = row["object_id"]
        values.append({**row, "at": now})
    session.connection().execute(insert(AuditLog), values)
