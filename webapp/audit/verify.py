"""Walk each log's hash chain and name the first row that breaks it.

A head recorded by an earlier verification (webapp/audit/heads.py) anchors the chain's end:
its row must still be there with the same hash, and the log must hold at least as many rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.engine import Connection

from webapp.audit.chain import GENESIS, TABLES, chain_key, digest
from webapp.audit.heads import Head

# What can be wrong with a row, as the auditor reads it.
PROBLEMS = {
    "missing_hash": _l("该行没有校验值：它不是由本系统写入的（被插入）。"),
    "altered": _l("该行的内容与其校验值不符：该行被修改。"),
    "inserted": _l("该行之后的一行链接到它的前一行：该行被插入。"),
    "deleted": _l(
        "该行的前值与上一行（#%(previous)s）的校验值不符：其间的行被删除，或该行被伪造。"
    ),
    "bad_start": _l("该行是现存的第一行，但它不是链的起点：之前的行被删除。"),
    "head_gone": _l("%(at)s 记录的链头（#%(previous)s）已不存在：链尾的行被删除。"),
    "head_changed": _l("%(at)s 记录的链头（#%(previous)s）的校验值已改变：日志被改写。"),
    "fewer_rows": _l("日志现有 %(rows)s 行，少于 %(at)s 记录的 %(recorded)s 行：行被删除。"),
}


@dataclass(frozen=True)
class Break:
    """The first row that breaks a chain: its id, what is wrong, and the row before it.

    A break against a recorded head names the head's row (previous_id) and the head itself;
    its row_id is None when no single row can be named (rows missing before the head).
    """

    row_id: int | None
    problem: str
    previous_id: int | None = None
    recorded: Head | None = None
    rows: int = 0

    @property
    def message(self) -> str:
        """Return what is wrong, in the reader's language."""
        recorded = self.recorded
        return str(PROBLEMS[self.problem]) % {
            "previous": self.previous_id,
            "at": recorded.at if recorded else "",
            "recorded": recorded.rows if recorded else "",
            "rows": self.rows,
        }


@dataclass(frozen=True)
class ChainReport:
    """One log's chain: the rows checked, its head and last id, and the first break (None: intact)."""

    table: str
    rows: int
    head: str
    broken: Break | None
    last_id: int | None = None
    anchor: Head | None = None  # the recorded head the chain was checked against

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


def against_head(recorded: Head | None, rows: int, anchor_hash: str | None) -> Break | None:
    """Return how an intact chain contradicts the head recorded earlier, if it does."""
    if recorded is None:
        return None
    if recorded.last_id is not None:
        if anchor_hash is None:
            return Break(None, "head_gone", recorded.last_id, recorded, rows)
        if anchor_hash != recorded.last_hash:
            return Break(recorded.last_id, "head_changed", recorded.last_id, recorded, rows)
    if rows < recorded.rows:
        return Break(None, "fewer_rows", recorded.last_id, recorded, rows)
    return None


def verify_table(
    connection: Connection, table: sa.Table, recorded: Head | None = None
) -> ChainReport:
    """Check every row of one log in id order, then against its recorded head; stop at a break."""
    key = chain_key()
    count, previous, before_previous, anchor_hash = 0, None, None, None
    expected = GENESIS
    for row in rows_in_order(connection, table):
        count += 1
        stored = row["row_hash"]
        broken = None
        if stored is None:
            broken = Break(row["id"], "missing_hash")
        elif digest(table, row, key) != stored:
            broken = Break(row["id"], "altered")
        elif row["prev_hash"] != expected:
            if previous is None:
                broken = Break(row["id"], "bad_start")
            elif before_previous is not None and row["prev_hash"] == before_previous[1]:
                broken = Break(previous[0], "inserted")
            else:
                broken = Break(row["id"], "deleted", previous[0])
        if broken is not None:
            return ChainReport(table.name, count, expected, broken, None, recorded)
        if recorded is not None and row["id"] == recorded.last_id:
            anchor_hash = stored
        before_previous, previous = previous, (row["id"], stored)
        expected = stored
    last_id = previous[0] if previous else None
    broken = against_head(recorded, count, anchor_hash)
    return ChainReport(table.name, count, expected, broken, last_id, recorded)


def verify_all(
    connection: Connection, recorded: Mapping[str, Head] | None = None
) -> list[ChainReport]:
    """Check the chain of every log, against its recorded head when one is given."""
    recorded = recorded or {}
    return [verify_table(connection, t, recorded.get(name)) for name, t in TABLES.items()]
