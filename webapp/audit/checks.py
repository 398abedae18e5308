"""Verify every log against its recorded head and record the new heads: one run, three callers.

`flask audit verify`, the auditor's 校验日志链 page and the daily job each call `check`; only
intact chains get a new head, so a broken one keeps failing until someone looks into it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Connection

from webapp.audit.heads import Head, append_heads, head_file, read_heads
from webapp.audit.verify import ChainReport, verify_all
from webapp.extensions import db


class ChainBroken(RuntimeError):
    """Raised by the daily record when a log's chain is broken or its head cannot be recorded."""


@dataclass(frozen=True)
class Check:
    """One verification: each log's report, the heads it recorded, and where."""

    reports: list[ChainReport]
    path: Path | None  # None: a test app without a head file
    written: list[Head] = field(default_factory=list)
    head_error: str = ""  # why the head file could not be read or written, if so

    @property
    def intact(self) -> bool:
        """Tell whether every log verified against its recorded head and the new one was recorded."""
        return all(report.intact for report in self.reports) and not self.head_error

    def latest(self, table: str) -> Head | None:
        """Return the newest recorded head of a log: this run's, else the one checked against."""
        for head in self.written:
            if head.table == table:
                return head
        return next((r.anchor for r in self.reports if r.table == table), None)


def head_of(report: ChainReport, by: str, now: datetime) -> Head:
    """Return the head an intact report found."""
    at = now.astimezone(UTC).isoformat(timespec="seconds")
    return Head(report.table, report.last_id, report.head, report.rows, at, by)


def check(connection: Connection, by: str, now: datetime) -> Check:
    """Verify every log against the recorded heads; append the heads of the intact ones."""
    path = head_file()
    if path is None:
        return Check(verify_all(connection), path)
    try:
        recorded = read_heads(path)
    except OSError as exc:  # unanchored, the chains are still checked, but the run fails
        return Check(verify_all(connection), path, [], f"{path}: {exc.strerror or exc}")
    reports = verify_all(connection, recorded)
    heads = [head_of(report, by, now) for report in reports if report.intact]
    try:
        append_heads(path, heads)
    except OSError as exc:
        return Check(reports, path, [], f"{path}: {exc.strerror or exc}")
    return Check(reports, path, heads)


def daily_record(now: datetime) -> dict:
    """Verify every log and record its head (the daily job); fail naming each broken log."""
    result = check(db.session.connection(), "daily", now)
    db.session.rollback()  # it only read
    broken = [
        f"{r.table} #{r.broken.row_id}: {r.broken.message}" for r in result.reports if r.broken
    ]
    if broken or result.head_error:
        raise ChainBroken("; ".join([*broken, result.head_error]).strip("; "))
    return {head.table: head.rows for head in result.written}
