"""The heads of the logs' chains, recorded outside the database in an append-only file.

The chain proves each row follows the one before it, but nothing in the database can prove
the newest rows were not cut off. So each verification appends each intact chain's head
(table, last id, last hash, row count, time) to a JSON-lines file, fsynced, outside the reach
of someone editing the database; the next verification checks the log against the newest one.
The file is `AUDIT_HEAD_FILE`, by default `audit-heads.jsonl` in the instance folder; a line
cut short by a crash is skipped.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from flask import current_app

HEAD_FILE = "audit-heads.jsonl"


@dataclass(frozen=True)
class Head:
    """One chain's head as a verification found it intact."""

    table: str
    last_id: int | None  # None: the log was empty
    last_hash: str
    rows: int
    at: str  # ISO 8601, UTC
    by: str  # which verification recorded it: "cli", "page" or "daily"

    def line(self) -> str:
        """Return the head as one line of the file."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def parse(cls, line: str) -> Head:
        """Read a head back from a line of the file (ValueError if it is not one)."""
        try:
            data = json.loads(line)
            return cls(
                table=str(data["table"]),
                last_id=None if data["last_id"] is None else int(data["last_id"]),
                last_hash=str(data["last_hash"]),
                rows=int(data["rows"]),
                at=str(data["at"]),
                by=str(data.get("by", "")),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"not a recorded head: {line!r}") from exc


def head_file() -> Path | None:
    """Return the path of the running app's head file (None: a test app that names none)."""
    configured = current_app.config.get("AUDIT_HEAD_FILE")
    if configured:
        return Path(configured)
    if current_app.testing:
        # The suite's rows are rolled back after each test: their heads must never reach the
        # developer's instance folder. A test that checks heads names its own file.
        return None
    return Path(current_app.instance_path) / HEAD_FILE


def read_heads(path: Path) -> dict[str, Head]:
    """Return the newest recorded head of each log (the one furthest along its chain)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    newest: dict[str, Head] = {}
    for line in text.splitlines():
        try:
            head = Head.parse(line)
        except ValueError:
            continue  # a line cut short by a crash mid-write
        # Two workers may append out of order: the head furthest along anchors the most.
        known = newest.get(head.table)
        if known is None or (head.last_id or 0, head.rows) >= (known.last_id or 0, known.rows):
            newest[head.table] = head
    return newest


def append_heads(path: Path, heads: Iterable[Head]) -> None:
    """Append heads to the file in one write and fsync it, so a crash cannot lose them."""
    data = "".join(head.line() + "\n" for head in heads).encode()
    if not data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
