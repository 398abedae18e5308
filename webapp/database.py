"""Engine set-up per dialect (SQLite: WAL, a busy timeout, the write lock) and dialect helpers.

SQLite has one write lock per file. A request that only reads (GET, HEAD, OPTIONS) begins a
deferred transaction, which takes no lock: a long export never makes another user wait. Any
other work (a POST, a scheduled job, a command) begins with BEGIN IMMEDIATE, holding the lock
from its first read, so a read-then-write cannot fail half-way. When a reading request comes to
write after all (its access-log row, a session's last-seen time), `take_write_lock` ends its
read and begins a write transaction of its own, short, before the first write statement.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from webapp.extensions import db

READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Connection.info key: "read" while a SQLite transaction holds no write lock, else "write".
TRANSACTION_MODE = "sqlite_transaction"
WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")
PLAN_CACHE_MODES = ("auto", "force_custom_plan", "force_generic_plan")


def init_app(app: Flask) -> None:
    """Attach the per-dialect connection settings to every engine of the app."""
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
            if engine.dialect.name == "postgresql":
                configure_postgresql(
                    engine,
                    app.config.get("PG_PARALLEL_WORKERS", ""),
                    app.config.get("PG_PLAN_CACHE_MODE", ""),
                )
            if app.config.get("BENCH_SQL_LOG"):
                from webapp import statement_log

                statement_log.watch(app, engine)


def configure_postgresql(engine: Engine, parallel_workers: str, plan_cache_mode: str = "") -> None:
    """Set each connection's parallel workers and plan cache mode ("" leaves the server's)."""
    # Pages read a few rows through indexes; starting parallel workers for them cost more than
    # it saved (80–160 ms on a 2-core machine at the benchmark's scale). psycopg prepares a
    # statement after its fifth run, and PostgreSQL then plans it once for any values: a
    # district's two-filter count went from 6 to 25 ms. force_custom_plan plans every run.
    settings = []
    if parallel_workers != "":
        settings.append(f"SET max_parallel_workers_per_gather = {int(parallel_workers)}")
    if plan_cache_mode != "":
        if plan_cache_mode not in PLAN_CACHE_MODES:
            raise ValueError(
                f"PG_PLAN_CACHE_MODE: {plan_cache_mode!r} is not one of {PLAN_CACHE_MODES}"
            )
        settings.append(f"SET plan_cache_mode = {plan_cache_mode}")
    if not settings:
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        with dbapi_connection.cursor() as cursor:
            cursor.execute("; ".join(settings))
        dbapi_connection.commit()  # a plain SET outlives the transaction it ran in


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
        # A deferred read-then-write transaction fails at once with "database is locked" when
        # another writer committed after its first read; taking the write lock up front makes
        # writers queue behind the busy timeout instead. Reading requests take none.
        if reads_only():
            connection.exec_driver_sql("BEGIN")
            connection.info[TRANSACTION_MODE] = "read"
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            connection.info[TRANSACTION_MODE] = "write"

    @event.listens_for(engine, "savepoint")
    def on_savepoint(connection, _name):
        # A savepoint announces writes; ending the read later would end the savepoint too.
        take_write_lock(connection)

    @event.listens_for(engine, "before_cursor_execute")
    def before_statement(connection, _cursor, statement, _parameters, context, _many):
        if connection.info.get(TRANSACTION_MODE) == "read" and writes(statement, context):
            take_write_lock(connection)


def reads_only() -> bool:
    """Tell whether the work under way is a request that only reads (GET, HEAD, OPTIONS)."""
    return has_request_context() and request.method in READING_METHODS


def writes(statement: str, context: Any) -> bool:
    """Tell whether a statement about to run changes the database."""
    if context is not None and (context.isinsert or context.isupdate or context.isdelete):
        return True
    return statement.lstrip().upper().startswith(WRITE_VERBS)


def take_write_lock(connection: Connection) -> None:
    """Hold SQLite's write lock from now to the end of the transaction (others: nothing to do).

    A read transaction cannot take the lock safely (it fails at once when another writer
    committed since its first read), so its read is ended first: nothing was written in it,
    and what follows is a write transaction of its own, as PostgreSQL's READ COMMITTED would
    see the data anyway. Called before a reading request's first write and by whoever must
    read and write under the lock (the log chains' head).
    """
    if connection.dialect.name != "sqlite" or connection.info.get(TRANSACTION_MODE) != "read":
        return
    raw = connection.connection.dbapi_connection
    raw.execute("COMMIT")
    raw.execute("BEGIN IMMEDIATE")
    connection.info[TRANSACTION_MODE] = "write"


def insert_ignoring(model: type, conflict_columns: list[str], **values: Any) -> Any:
    """Insert a row unless its unique key exists (ON CONFLICT DO NOTHING); return its new key.

    Returns the new row's primary key, or None when a row with the key was there already.
    Never commits.
    """
    table = model.__table__
    values = with_defaults(table, values)
    stmt = _insert_ignoring_statement(table, tuple(values), tuple(conflict_columns))
    return db.session.execute(stmt, values).scalar()


def insert_all_ignoring(
    model: type, conflict_columns: list[str], rows: Sequence[Mapping[str, Any]]
) -> int:
    """Insert the rows whose unique key does not exist yet, in one batch; return how many.

    One SELECT finds the keys already there, one executemany (a pipeline on PostgreSQL)
    inserts the rest with ON CONFLICT DO NOTHING, so a row a concurrent writer adds in
    between is still never doubled (the count then says one too many). Never commits.
    """
    if not rows:
        return 0
    table = model.__table__
    filled = [with_defaults(table, row) for row in rows]
    key_columns = [table.c[name] for name in conflict_columns]
    wanted = {tuple(row[name] for name in conflict_columns) for row in filled}
    there = set(
        db.session.execute(sa.select(*key_columns).where(sa.tuple_(*key_columns).in_(wanted))).all()
    )
    fresh: dict[tuple, dict[str, Any]] = {}
    for row in filled:
        key = tuple(row[name] for name in conflict_columns)
        if key not in there:
            fresh.setdefault(key, row)
    if fresh:
        stmt = _insert_ignoring_statement(
            table, tuple(filled[0]), tuple(conflict_columns), returning=False
        )
        db.session.execute(stmt, list(fresh.values()))
    return len(fresh)


def with_defaults(
    table: sa.Table,
    values: Mapping[str, Any],
    *,
    every_column: bool = False,
    skip: Collection[str] = (),
) -> dict[str, Any]:
    """Return the values with each missing column's Python default, as an ORM INSERT fills them.

    `every_column` also gives columns without a default None (a log row hashed whole);
    columns in `skip` are left out.
    """
    filled = dict(values)
    for column in table.columns:
        default = column.default
        if column.key in filled or column.key in skip:
            continue
        if default is None or default.is_sequence:
            if every_column:
                filled[column.key] = None
        elif default.is_callable:
            filled[column.key] = default.arg(None)  # SQLAlchemy wraps it to take a context
        elif default.is_scalar:
            filled[column.key] = default.arg
        else:
            raise ValueError(f"{table.name}.{column.key}: only plain Python defaults can be filled")
    return filled


@functools.cache
def _insert_ignoring_statement(
    table: sa.Table, columns: tuple[str, ...], conflict: tuple[str, ...], returning: bool = True
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
        f"ON CONFLICT ({', '.join(conflict)}) DO NOTHING"
    )
    typed = [sa.bindparam(name, type_=table.c[name].type) for name in columns]
    if not returning:  # for executemany
        return sa.text(sql).bindparams(*typed)
    return sa.text(f"{sql} RETURNING {key.name}").bindparams(*typed).columns(key)


# Tables the database makes for itself: SQLite's FTS5 shadow tables of the name search index.
SELF_MADE_TABLES = ("cadre_name_fts",)


def migration_filter(dialect: str):
    """Return alembic's include_object for a dialect: what autogenerate must compare.

    Leaves out the tables an FTS5 index makes for itself and the indexes declared for
    another dialect only (`Index(...).ddl_if(dialect=...)`), which that database never has.
    """

    def include(obj, name, type_, reflected, _compare_to) -> bool:
        if type_ == "table" and reflected and name.startswith(SELF_MADE_TABLES):
            return False
        only_on = getattr(getattr(obj, "_ddl_if", None), "dialect", None)
        return not (type_ == "index" and not reflected and only_on not in (None, dialect))

    return include
