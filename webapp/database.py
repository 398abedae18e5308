"""Engine set-up per dialect (SQLite: WAL, a busy timeout, BEGIN IMMEDIATE) and dialect helpers."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.sql.dml import Insert

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


def insert_ignoring(model: type, conflict_columns: list[str], **values: Any) -> Insert:
    """Return INSERT … ON CONFLICT (columns) DO NOTHING for the session's dialect."""
    dialect = db.session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    return insert(model).values(**values).on_conflict_do_nothing(index_elements=conflict_columns)
