"""Engine set-up per dialect (SQLite: WAL, a busy timeout, BEGIN IMMEDIATE) and dialect helpers."""

from __future__ import annotations

import functools
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from webapp.extensions import db


def init_app(app: Flask) -> None:
    """Attach the per-dialect connection settings to every engine of the app."""
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Make SQLite safe for a web server and a scheduler sharing one file."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # pysqlite's own transaction handling breaks SAVEPOINT; we emit BEGIN ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        # A deferred read-then-write transaction fails at once with "database is locked";
        # taking the write lock up front makes writers queue behind the busy timeout instead.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def insert_ignoring(model: type, conflict_columns: list[str], **values: Any) -> Any:
    """Insert a row unless its unique key exists (ON CONFLICT DO NOTHING); return its new key.

    Returns the new row's primary key, or None when a row with the key was there already.
    Never commits.
    """
    table = model.__table__
    values = _with_defaults(table, values)
    stmt = _insert_ignoring_statement(table, tuple(values), tuple(conflict_columns))
    return db.session.execute(stmt, values).scalar()


def _with_defaults(table: sa.Table, values: dict[str, Any]) -> dict[str, Any]:
    # A text statement gets no Python-side column defaults: add them as an INSERT would.
    filled = dict(values)
    for column in table.c:
        default = column.default
        if column.key in filled or default is None or default.is_sequence:
            continue
        if default.is_clause_element:
            raise ValueError(f"{table.name}.{column.key}: a SQL default is not supported here")
        filled[column.key] = default.arg(None) if default.is_callable else default.arg
    return filled


@functools.cache
def _insert_ignoring_statement(
    table: sa.Table, columns: tuple[str, ...], conflict: tuple[str, ...]
) -> sa.TextClause:
    # One statement per shape, with typed binds: SQLAlchemy caches its compiled form, where
    # the dialects' on_conflict_do_nothing() is compiled anew on every call (it has no cache
    # key), which cost the sweep most of its time. SQLite (3.35+) and PostgreSQL share the
    # syntax, RETURNING included.
    (key,) = table.primary_key.columns
    names = ", ".join(table.c[name].name for name in columns)
    binds = ", ".join(f":{name}" for name in columns)
    sql = (
        f"INSERT INTO {table.name} ({names}) VALUES ({binds}) "
        f"ON CONFLICT ({', '.join(conflict)}) DO NOTHING RETURNING {key.name}"
    )
    typed = [sa.bindparam(name, type_=table.c[name].type) for name in columns]
    return sa.text(sql).bindparams(*typed).columns(key)
