"""Check a file row by row, stage the rows that passed, and later write the staged rows.

`validate_file` streams the workbook, checks every row, and hands the rows that passed to a
sink (JSON lines); nothing is written to the database there. `write_staged` then writes the
staged rows in batches inside the caller's one transaction, re-checking them against the
database first.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from flask_babel import gettext as _

from webapp.forms_common import mask_id_number
from webapp.imports.context import ImportContext
from webapp.imports.reading import MAX_ROWS, FileRejected, SheetReader, map_headers
from webapp.imports.spec import ImportSpec, ParsedRow
from webapp.spreadsheets.cells import CellError, cell_text, is_blank

MAX_STORED_ERRORS = 1000
PREVIEW_ROWS = 50


@dataclass
class Report:
    """What validating or writing a file found."""

    rows: int = 0
    error_count: int = 0
    errors: list[list] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    to_create: int = 0
    to_update: int = 0
    created: int = 0
    updated: int = 0
    fatal: str = ""

    @property
    def ok(self) -> bool:
        """Tell whether the file may be (or was) written."""
        return not self.fatal and self.error_count == 0

    def add_error(self, row: int, header: str, message: str) -> None:
        """Count an error and keep the first ones for the page."""
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append([row, header, message])


Progress = Callable[[int, int], None]


def _no_progress(done: int, total: int) -> None:
    return None


def parse_row(
    spec: ImportSpec, positions: dict[str, int], number: int, raw: tuple, ctx: ImportContext
) -> ParsedRow:
    """Parse every present column of one row, then the checks across the row."""
    row = ParsedRow(number, {})
    for column in spec.columns:
        if column.key not in positions:
            continue
        value = raw[positions[column.key]]
        text = cell_text(value)
        row.cells.append(mask_id_number(text) if column.masked and text else text)
        if is_blank(value):
            if column.required:
                row.error(column.header, _("此项为必填项"))
            else:
                row.values[column.key] = column.empty
            continue
        if isinstance(value, str) and value.startswith("=") and not column.parser.takes_text:
            # A formula is read as its text, never evaluated: only a text column can hold it.
            row.error(column.header, _("此单元格是公式，请改为直接填写内容"))
            continue
        try:
            row.values[column.key] = column.parser.parse(value, ctx)
        except CellError as exc:
            row.error(column.header, str(exc))
    spec.check_row(row, ctx)
    return row


def validate_file(
    path: str | Path,
    spec: ImportSpec,
    ctx: ImportContext,
    *,
    sink: IO[str] | None = None,
    progress: Progress = _no_progress,
    max_rows: int = MAX_ROWS,
) -> Report:
    """Check every row of a file; stage the rows that passed into `sink` (JSON lines).

    Nothing is written to the database. The caller discards the staged rows unless the
    report is `ok`.
    """
    report = Report()
    try:
        with SheetReader(path, spec.sheet_title, max_rows=max_rows) as reader:
            _validate_rows(reader, spec, ctx, report, sink, progress)
    except FileRejected as exc:
        report.fatal = str(exc)
    return report


def _validate_rows(reader, spec, ctx, report, sink, progress) -> None:
    rows = reader.rows()
    header = next(rows, None)
    while header is not None and all(is_blank(v) for v in header[1]):
        header = next(rows, None)  # leading blank rows before the header
    if header is None:
        raise FileRejected(_("文件是空的：第一个工作表中没有内容。"))
    header_number, header_values = header
    positions, header_errors = map_headers(header_values, spec.columns)
    for name, message in header_errors:
        report.add_error(header_number, name, message)
    report.headers = [c.header for c in spec.columns if c.key in positions]
    if header_errors:
        return  # a missing column is reported once, not once per row
    width = max(positions.values()) + 1
    total = max(reader.estimated_rows - header_number, 0)
    seen: dict[Any, int] = {}
    batch: list[ParsedRow] = []
    for number, raw in rows:
        raw = raw[:width] if len(raw) >= width else (*raw, *([None] * (width - len(raw))))
        if all(is_blank(v) for v in raw):
            continue
        report.rows += 1
        row = parse_row(spec, positions, number, raw, ctx)
        key = spec.row_key(row)
        if key is not None:
            first = seen.setdefault(key, number)
            if first != number:
                row.error(spec.header(spec.key), _("与第 %(n)s 行重复", n=first))
        batch.append(row)
        if len(batch) >= spec.batch_size:
            _finish_batch(batch, spec, ctx, report, sink)
            batch = []
            progress(report.rows, max(total, report.rows))
    _finish_batch(batch, spec, ctx, report, sink)
    progress(report.rows, report.rows)
    if report.rows == 0:
        raise FileRejected(_("文件中没有数据：请从表头下一行起填写，每行一条。"))


def _finish_batch(batch, spec, ctx, report, sink) -> None:
    if not batch:
        return
    spec.check_batch([r for r in batch if not r.errors], ctx)
    for row in batch:
        for name, message in row.errors:
            report.add_error(row.number, name, message)
        if row.errors:
            continue
        if row.action == "update":
            report.to_update += 1
        else:
            report.to_create += 1
        if len(report.preview) < PREVIEW_ROWS:
            report.preview.append({"row": row.number, "action": row.action, "cells": row.cells})
        if sink is not None:
            sink.write(stage_line(spec, row) + "\n")


# --------------------------------------------------------------------------- staged rows


def stage_line(spec: ImportSpec, row: ParsedRow) -> str:
    """Serialise a checked row for the confirm step."""
    values = {c.key: c.parser.to_json(row.values[c.key]) for c in spec.columns if row.has(c.key)}
    return json.dumps({"n": row.number, "v": values}, ensure_ascii=False)


def read_staged(path: str | Path, spec: ImportSpec, size: int) -> Iterator[list[ParsedRow]]:
    """Yield the staged rows in batches, values restored to their types."""
    parsers = {c.key: c.parser for c in spec.columns}
    batch: list[ParsedRow] = []
    with open(path, encoding="utf-8") as staged:
        for line in staged:
            data = json.loads(line)
            values = {k: parsers[k].from_json(v) for k, v in data["v"].items()}
            batch.append(ParsedRow(data["n"], values))
            if len(batch) >= size:
                yield batch
                batch = []
    if batch:
        yield batch


def write_staged(
    path: str | Path, spec: ImportSpec, ctx: ImportContext, *, progress: Progress = _no_progress
) -> Report:
    """Re-check the staged rows against the database and write them, batch by batch.

    Runs inside the caller's transaction; if any row fails the re-check, writing stops
    and the report carries the errors: the caller must roll back.
    """
    report = Report()
    with open(path, encoding="utf-8") as staged:
        total = sum(1 for _line in staged)
    for batch in read_staged(path, spec, spec.batch_size):
        spec.check_batch(batch, ctx)
        for row in batch:
            for name, message in row.errors:
                report.add_error(row.number, name, message)
        report.rows += len(batch)
        if report.error_count == 0:
            created, updated = spec.write_batch(batch, ctx)
            report.created += created
            report.updated += updated
        progress(report.rows, total)
    return report
