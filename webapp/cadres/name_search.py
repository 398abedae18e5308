"""Find cadres by name, 拼音首字母 or full pinyin, through an index on either database.

Each typed text must be the start of one word of the cadre's key (`name_keys.search_key`):
王 and 芳 find 王芳 (the key holds the name's tails), wf and wangf find her too. PostgreSQL
answers from the trigram index on `cadre.name_key`, SQLite from the FTS5 table
`cadre_name_fts` (both declared with the model in `webapp/models/cadres.py`).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from webapp.cadres.name_keys import normalise_query, search_key
from webapp.extensions import db
from webapp.models import Cadre
from webapp.models.cadres import NAME_SEARCH_SQLITE, PG_TRGM

cadre_name_fts = sa.table("cadre_name_fts", sa.column("rowid"), sa.column("cadre_name_fts"))


def _on_sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def matching_cadre_ids(text: str) -> sa.Select:
    """Select the ids of the cadres whose name, initials or pinyin start with the text."""
    word = normalise_query(text)  # letters and digits only: nothing to escape
    if not word:
        return sa.select(Cadre.id).where(sa.false())
    if _on_sqlite():
        return sa.select(cadre_name_fts.c.rowid).where(
            cadre_name_fts.c.cadre_name_fts.op("MATCH")(f'"{word}"*')
        )
    return sa.select(Cadre.id).where(
        sa.or_(Cadre.name_key.like(f"{word}%"), Cadre.name_key.like(f"% {word}%"))
    )


def cadre_matches(text: str, cadre_id: ColumnElement | None = None) -> ColumnElement[bool]:
    """Return a condition: the cadre (or the record's `cadre_id` column) matches the text."""
    column = Cadre.id if cadre_id is None else cadre_id
    return column.in_(matching_cadre_ids(text))


def looks_like_number(text: str) -> bool:
    """Tell whether a search text is a record number (FM-2026-0001, FM-) rather than a name."""
    # A name never holds a digit or a hyphen (a minority name joins its parts with ·).
    return any(c.isdigit() or c == "-" for c in text)


def record_matches(
    text: str, cadre_id: ColumnElement, number: ColumnElement | None = None
) -> ColumnElement[bool]:
    """Return a register's search condition: its number (text with digits or -) or its cadre."""
    text = text.strip()
    if number is not None and looks_like_number(text):
        return number.contains(text, autoescape=True)
    return cadre_matches(text, cadre_id)


def install_search_index(connection: sa.Connection) -> None:
    """Create the name search index of the connection's database (for the migration)."""
    statements = NAME_SEARCH_SQLITE if connection.dialect.name == "sqlite" else PG_TRGM
    for statement in statements:
        connection.exec_driver_sql(statement)
    if connection.dialect.name == "sqlite":
        _rebuild_sqlite_index(connection)
    else:
        connection.exec_driver_sql(
            "CREATE INDEX IF NOT EXISTS ix_cadre_name_key_trgm ON cadre "
            "USING gin (name_key public.gin_trgm_ops)"
        )


def _rebuild_sqlite_index(connection: sa.Connection) -> None:
    # Reads every key again from the cadre table, whatever the triggers saw before.
    connection.exec_driver_sql("INSERT INTO cadre_name_fts(cadre_name_fts) VALUES ('rebuild')")


def backfill_name_keys(connection: sa.Connection, batch: int = 1000) -> int:
    """Fill every cadre's name key from its name (before or after the index); return the rows."""
    table = Cadre.__table__
    rows = connection.execute(sa.select(table.c.id, table.c.name)).all()
    update = (
        table.update().where(table.c.id == sa.bindparam("cid")).values(name_key=sa.bindparam("k"))
    )
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        connection.execute(update, [{"cid": r.id, "k": search_key(r.name)} for r in chunk])
    if connection.dialect.name == "sqlite" and sa.inspect(connection).has_table("cadre_name_fts"):
        _rebuild_sqlite_index(connection)
    return len(rows)
