"""Chain every log row to the one before it: HMAC-SHA256 over the row's fields and the previous hash.

Keyed with a key derived from DATA_KEY (which lives outside the database), so someone who can
write the log tables but lacks the key cannot rewrite a row and recompute the hashes after it,
nor append a row that verifies. Deleting the newest rows is caught by the heads recorded
outside the database (webapp/audit/heads.py).

Hooked on the engine, so no writer can forget it: every INSERT into a log table (an ORM add,
a Core executemany, the bulk import) gets its hashes here, while a lock keeps two workers
from chaining onto the same row. A Core UPDATE of a log table is refused here, as the
session hook refuses the ORM's updates and deletes (recorder.refuse_log_changes).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.dml import Insert, Update

from webapp.audit.recorder import AppendOnlyError
from webapp.database import take_write_lock, with_defaults
from webapp.models.logs import CHAINED_LOGS
from webapp.security.crypto import log_chain_key

GENESIS = "0" * 64  # what the first row of a chain points back to
UNHASHED = ("id", "row_hash")  # the id orders the chain; the row's own hash cannot cover itself
TABLES: dict[str, sa.Table] = {model.__table__.name: model.__table__ for model in CHAINED_LOGS}


class ChainError(RuntimeError):
    """Raised for an INSERT into a log table that the chain cannot hash."""


def normal(column: sa.Column, value: Any) -> Any:
    """Return a column value as both the writer and the verifier see it."""
    if value is None:
        return None
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat()
    if isinstance(column.type, sa.JSON):
        return json.loads(json.dumps(value))  # what reading the stored JSON back gives
    if isinstance(column.type, sa.Boolean):
        return bool(value)
    if isinstance(column.type, sa.Integer):
        return int(value)
    return str(value)


def canonical(table: sa.Table, row: Mapping[str, Any]) -> bytes:
    """Return the row's canonical content: a stable JSON of its table and its fields."""
    fields = {c.name: normal(c, row.get(c.key)) for c in table.columns if c.name not in UNHASHED}
    text = json.dumps(
        {"table": table.name, "fields": fields},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return text.encode()


def chain_key() -> bytes:
    """Return the running app's chain key, derived from its data key."""
    return log_chain_key(current_app.config["DATA_KEY"])


def digest(table: sa.Table, row: Mapping[str, Any], key: bytes | None = None) -> str:
    """Return the row's hash: HMAC-SHA256 of its canonical content (which holds prev_hash)."""
    return hmac.new(key or chain_key(), canonical(table, row), hashlib.sha256).hexdigest()


def lock_chain(connection: Connection) -> None:
    """Hold the logs' chains until the transaction ends, so no other worker links to a head."""
    if connection.dialect.name == "postgresql":
        # One lock for the three chains, not one each: a login writes its login row and the
        # user's audit row in either order, and two such logins holding one lock each and
        # waiting for the other's would deadlock. Advisory locks are database-wide, so the key
        # names the schema too (test runs share a server, one schema each).
        connection.execute(
            sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key || current_schema(), 0))"),
            {"key": "log-chain@"},
        )
    # SQLite: the database's only write lock, taken now if a reading request's transaction
    # holds none yet (webapp/database.py), before the head is read.
    take_write_lock(connection)


def head(connection: Connection, table: sa.Table) -> str:
    """Return the hash of the table's last row, or the chain's start for an empty table."""
    last = connection.execute(
        sa.select(table.c.row_hash).order_by(table.c.id.desc()).limit(1)
    ).scalar()
    return last or GENESIS


def completed(table: sa.Table, given: Mapping[str, Any]) -> dict[str, Any]:
    """Return every column of a new row: the given values, else the column's default."""
    try:
        return with_defaults(table, given, every_column=True, skip=UNHASHED)
    except ValueError as exc:
        raise ChainError(f"{exc}（日志表的列只能有简单默认值）") from exc


def chained(connection: Connection, table: sa.Table, rows: list[Mapping[str, Any]]) -> list[dict]:
    """Return the rows completed and hashed in order, each linked to the one before."""
    lock_chain(connection)
    previous, key = head(connection, table), chain_key()
    hashed = []
    for given in rows:
        row = completed(table, given)
        row["prev_hash"] = previous
        row["row_hash"] = previous = digest(table, row, key)
        hashed.append(row)
    return hashed


def before_execute(connection, statement, multiparams, params, _options):
    """Hash the rows of an INSERT into a log table before it runs; refuse an UPDATE of one."""
    # A Core DELETE is let through: a test cleans up the log rows it committed that way
    # (tests/webapp/negative_info/test_numbering.py); the database trigger refuses it for real.
    if not isinstance(statement, Insert | Update) or statement.table.name not in TABLES:
        return statement, multiparams, params
    if isinstance(statement, Update):
        raise AppendOnlyError(f"{statement.table.name} 为只增日志，不可修改")
    table = TABLES[statement.table.name]
    if statement._values or statement._multi_values or statement._select_names:
        raise ChainError(f"{table.name}: 日志行须以参数插入，才能计算校验链")
    rows = chained(connection, table, list(multiparams) or [params])
    if len(rows) == 1:
        return statement, [], rows[0]
    return statement, rows, {}


def watch(engine: Engine) -> None:
    """Hook the chain onto an engine (once per engine)."""
    if not event.contains(engine, "before_execute", before_execute):
        event.listen(engine, "before_execute", before_execute, retval=True)
