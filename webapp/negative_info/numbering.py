"""Record numbers (FM-2026-0001) that stay unique when two users save at the same moment."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from webapp.extensions import db
from webapp.models import NumberSequence
from workflows.verification import format_number

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def reserve(prefix: str, year: int, count: int = 1) -> int:
    """Reserve `count` consecutive numbers for a prefix and year; return the first.

    The counter row is created if missing (insert-or-ignore, so two first writers of a year
    do not collide), then bumped with one UPDATE ... RETURNING. The UPDATE holds the row's
    lock until the caller's transaction ends: a concurrent writer waits and then reads the
    committed value (PostgreSQL READ COMMITTED; SQLite writers are serialised by BEGIN
    IMMEDIATE). A rolled-back transaction gives its numbers back, so no gaps either.
    """
    if count < 1:
        raise ValueError("count must be positive")
    dialect = db.session.get_bind().dialect.name
    insert = _INSERTS[dialect]
    db.session.execute(
        insert(NumberSequence)
        .values(prefix=prefix, year=year, last_value=0)
        .on_conflict_do_nothing(index_elements=["prefix", "year"])
    )
    last = db.session.execute(
        update(NumberSequence)
        .where(NumberSequence.prefix == prefix, NumberSequence.year == year)
        .values(last_value=NumberSequence.last_value + count)
        .returning(NumberSequence.last_value)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    return last - count + 1


def next_number(prefix: str, year: int) -> str:
    """Hand out the next number of a prefix in a year, such as FM-2026-0001."""
    return format_number(prefix, year, reserve(prefix, year))
