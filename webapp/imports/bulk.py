"""Insert many rows of an audited model at once, writing the audit rows the session hook would.

The audit trail is normally written by a session hook on every flush of an audited model
(`webapp/audit/recorder.py`). Building an ORM object per row and snapshotting it in the hook
costs about a millisecond a row, which for a 50,000-row import holds SQLite's write lock for
a minute. Here the rows get their ids up front and go in as one executemany, and the
matching `AuditLog` rows (same actor, action, object, masked snapshot) are built from the
same values and inserted the same way.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlalchemy import inspect

from webapp.audit.recorder import actor, shown
from webapp.extensions import db
from webapp.models import AuditLog
from webapp.models.base import utcnow

SKIPPED = ("id", "created_at", "updated_at")


def complete_row(model: type, values: dict[str, Any]) -> dict[str, Any]:
    """Return every column of a new row: the given values, else the column's default."""
    row: dict[str, Any] = {}
    for attr in inspect(model).column_attrs:
        key, column = attr.key, attr.columns[0]
        if key == "id":
            continue
        if key in values:
            row[key] = values[key]
        elif column.default is None:
            row[key] = None
        elif column.default.is_callable:
            row[key] = column.default.arg(None)  # SQLAlchemy wraps it to take a context
        else:
            row[key] = column.default.arg
    return row


def allocate_ids(table: sa.Table, count: int) -> list[int]:
    """Reserve primary keys for rows about to be inserted in this transaction.

    Known ids let the rows go in as a plain executemany (pipelined on PostgreSQL) instead of
    a multi-row INSERT … RETURNING, whose statement text psycopg re-parses for every batch.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        return list(
            db.session.scalars(
                sa.text(
                    "SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"
                ),
                {"t": table.name, "n": count},
            )
        )
    # SQLite: every write transaction holds the database's only write lock (BEGIN IMMEDIATE,
    # webapp/database.py), so nobody else can take these ids before the commit.
    last = db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0)))
    return list(range(last + 1, last + 1 + count))


def insert_audited(model: type, values: list[dict[str, Any]]) -> list[int]:
    """Insert new rows of an audited model; log each creation; return the ids in order."""
    if not values:
        return []
    rows = [complete_row(model, v) for v in values]
    table = model.__table__
    ids = allocate_ids(table, len(rows))
    for ident, row in zip(ids, rows, strict=True):
        row["id"] = ident
    db.session.execute(sa.insert(table), rows)
    user_id, username, ip = actor()
    now = utcnow()
    audit = []
    for ident, row in zip(ids, rows, strict=True):
        after = {k: shown(model, k, v) for k, v in row.items() if k not in SKIPPED}
        after["id"] = str(ident)
        audit.append(
            {
                "user_id": user_id,
                "username": username,
                "ip": ip,
                "action": "create",
                "object_type": model.__name__,
                "object_id": str(ident),
                # The model's own __str__ over the values, as the hook's str(obj) would give.
                "summary": model.__str__(SimpleNamespace(**row))[:500],
                "before": None,
                "after": after,
                "at": now,
            }
        )
    db.session.execute(sa.insert(AuditLog.__table__), audit)
    return ids
