"""What an importable record declares (`ImportSpec`), and one parsed row of its file.

An area offers a record for import by answering `signals.import_kinds` with a spec: its
columns (Chinese header, required or not, how a cell is parsed), the checks across a row,
the checks against the database for a batch of rows, and how a batch is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from webapp.imports.columns import Column
from webapp.imports.context import ImportContext


@dataclass
class ParsedRow:
    """One data row: its Excel row number, parsed values, shown text and errors."""

    number: int
    values: dict[str, Any]
    cells: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    action: str = "create"
    target_id: int | None = None
    # What the database checks found for the row (e.g. the matched cadre), for the writer.
    extra: dict[str, Any] = field(default_factory=dict)

    def error(self, header: str, message: str) -> None:
        """Add an error on a column of this row."""
        self.errors.append((header, message))

    def has(self, key: str) -> bool:
        """Tell whether the column was in the file and parsed without error."""
        return key in self.values


class ImportSpec:
    """What an importable record declares; subclasses fill in the hooks."""

    kind = ""
    title = ""
    sheet_title = ""
    columns: tuple[Column, ...] = ()
    # The column whose value may appear only once in a file (duplicate rows).
    key: str | None = None
    supports_update = False
    batch_size = 500

    def column(self, key: str) -> Column:
        """Return a column by key."""
        return next(c for c in self.columns if c.key == key)

    def header(self, key: str) -> str:
        """Return a column's header."""
        return self.column(key).header

    def row_key(self, row: ParsedRow) -> Any:
        """Return what may appear only once in a file, or None when the row has no key."""
        return row.values.get(self.key) if self.key else None

    def check_row(self, row: ParsedRow, ctx: ImportContext) -> None:
        """Check the rules that span several cells of one row."""

    def check_batch(self, rows: list[ParsedRow], ctx: ImportContext) -> None:
        """Check rows against the database (existing records, scope); set action/target."""

    def write_batch(self, rows: list[ParsedRow], ctx: ImportContext) -> tuple[int, int]:
        """Write checked rows in the caller's transaction; return (created, updated)."""
        raise NotImplementedError
