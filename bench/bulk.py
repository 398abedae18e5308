"""Load many rows fast: COPY on PostgreSQL, executemany elsewhere, the columns' types applied."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from itertools import islice

import sqlalchemy as sa

from webapp.extensions import db

CHUNK = 5_000


def bulk_insert(
    table: sa.Table,
    rows: Iterable[dict],
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert rows (dicts with the same keys) in chunks inside the session's transaction.

    COPY skips SQLAlchemy, so each value first goes through its column type's bind processor
    (sealed text is sealed, enums stored by value) as an INSERT would. Returns the rows written.
    """
    rows = iter(rows)
    written = 0
    postgres = db.engine.dialect.name == "postgresql"
    while batch := list(islice(rows, chunk)):
        if postgres:
            copy_rows(table, batch)
        else:
            db.session.execute(sa.insert(table), batch)
        written += len(batch)
        if progress:
            progress(len(batch))
    return written


def copy_rows(table: sa.Table, batch: list[dict]) -> None:
    """COPY one batch into a PostgreSQL table on the session's connection."""
    dialect = db.engine.dialect
    columns = list(batch[0])
    processors = [table.c[c].type.bind_processor(dialect) for c in columns]
    names = ", ".join(f'"{table.c[c].name}"' for c in columns)
    raw = db.session.connection().connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in batch:
            copy.write_row(
                [
                    copy_value(process(row[c]) if process else row[c])
                    for c, process in zip(columns, processors, strict=True)
                ]
            )


def copy_value(value):
    """Return a value as COPY's text format wants it (JSON as text)."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value
