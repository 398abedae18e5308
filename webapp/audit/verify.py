"""Walk each log's hash chain and name the first row that breaks it."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.engine import Connection

from webapp.audit.chain import GENESIS, TABLES, digest

# What can be wrong with a row, as the auditor reads it.
PROBLEMS = {
    "missing_hash": _l("该行没有校验值：它不是由本系统写入的（被插入）。"),
    "altered": _l("该行的内容与其校验值不符：该行被修改。"),
    "inserted": _l("该行之后的一行链接到它的前一行：该行被插入。"),
    "deleted": _l(
        "该行的前值与上一行（#%(previous)s）的校验值不符：其间的行被删除，或该行被伪造。"
    ),
    "bad_start": _l("该行是现存的第一行，但它不是链的起点：之前的行被删除。"),
}


@dataclass(frozen=True)
class Break:
    """The first row that breaks a chain: its id, what is wrong, and the row before it."""

    row_id: int
    problem: str
    previous_id: int | None = None

    @property
    def message(self) -> str:
        """Return what is wrong, in the reader's language."""
        return str(PROBLEMS[self.problem]) % {"previous": self.previous_id}


@dataclass(frozen=True)
class ChainReport:
    """One log's chain: the rows checked, its head, and the first break (None: intact)."""

    table: str
    rows: int
    head: str
    broken: Break | None

    @property
    def intact(self) -> bool:
        """Tell whether every row of the log is as the application wrote it."""
        return self.broken is None


def rows_in_order(connection: Connection, table: sa.Table, batch: int = 2000):
    """Yield a table's rows in id order, a batch at a time (no cursor left open between)."""
    last = None
    while True:
        stmt = sa.select(table).order_by(table.c.id).limit(batch)
        if last is not None:
            stmt = stmt.where(table.c.id > last)
        rows = connection.execute(stmt).mappings().all()
        yield from rows
        if len(rows) < batch:
            return
        last = rows[-1]["id"]


def verify_table(connection: Connection, table: sa.Table) -> ChainReport:
    """Check every row of one log in id order; stop at the first break."""
    count, previous, before_previous = 0, None, None
    expected = GENESIS
    for row in rows_in_order(connection, table):
        count += 1
        stored = row["row_hash"]
        broken = None
        if stored is None:
            broken = Break(row["id"], "missing_hash")
        elif digest(table, row) != stored:
            broken = Break(row["id"], "altered")
        elif row["prev_hash"] != expected:
            if previous is None:
                broken = Break(row["id"], "bad_start")
            elif before_previous is not None and row["prev_hash"] == before_previous[1]:
                broken = Break(previous[0], "inserted")
            else:
                broken = Break(row["id"], "deleted", previous[0])
        if broken is not None:
            return ChainReport(table.name, count, expected, broken)
        before_previous, previous = previous, (row["id"], stored)
        expected = stored
    return ChainReport(table.name, count, expected, None)


def verify_all(connection: Connection) -> list[ChainReport]:
    """Check the chain of every log."""
    return [verify_table(connection, table) for table in TABLES.values()]
