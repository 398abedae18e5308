"""Stream the rows of an uploaded workbook and find its columns by their headers.

openpyxl's read-only mode parses rows as the sheet XML is read, never the whole sheet at once.
Formulas are read as their text ("=A1+1"), never as the value Excel cached for them: what a
file stores is what its author typed, and nothing in it is evaluated.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from openpyxl import load_workbook

from webapp.imports.columns import Column
from webapp.spreadsheets.cells import cell_text


class FileRejected(ValueError):
    """The whole file cannot be used (not an .xlsx, corrupt, empty, too large)."""


class SheetReader:
    """Stream the rows of a workbook's data sheet: (Excel row number, tuple of values)."""

    def __init__(self, path: str | Path, sheet_title: str | None = None) -> None:
        try:
            self.workbook = load_workbook(path, read_only=True, data_only=False)
        except Exception as exc:  # openpyxl raises many kinds on a bad file; all mean "unreadable"
            raise FileRejected(
                _(
                    "无法读取该文件：它不是有效的 Excel 工作簿（.xlsx），或文件已损坏。"
                    "旧版 .xls 文件请先在 Excel 中另存为 .xlsx。"
                )
            ) from exc
        sheets = self.workbook.worksheets
        if not sheets:
            self.close()
            raise FileRejected(_("文件中没有工作表。"))
        named = [s for s in sheets if sheet_title and s.title == sheet_title]
        self.sheet = named[0] if named else sheets[0]
        # The dimension recorded in the file is only an estimate (some writers get it
        # wrong), so it serves the progress bar and is then dropped to read every row.
        try:
            self.estimated_rows = self.sheet.max_row or 0
        except Exception:  # a bad dimension tag only costs the estimate
            self.estimated_rows = 0
        self.sheet.reset_dimensions()

    def rows(self, max_col: int | None = None) -> Iterator[tuple[int, tuple]]:
        """Yield (row number, values) for each row, padded to max_col."""
        number = 0
        try:
            for number, values in enumerate(
                self.sheet.iter_rows(min_row=1, max_col=max_col, values_only=True), start=1
            ):
                if max_col is not None and len(values) < max_col:
                    values = (*values, *([None] * (max_col - len(values))))
                yield number, values
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError) as exc:
            # A truncated or tampered sheet part fails mid-stream; XML errors are SyntaxErrors.
            raise FileRejected(
                _("文件内容已损坏，读取到第 %(n)s 行时出错。", n=number + 1)
            ) from exc

    def close(self) -> None:
        """Release the file."""
        self.workbook.close()

    def __enter__(self) -> SheetReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def read_rows(path: str | Path, sheet_title: str | None = None) -> Iterator[tuple[int, tuple]]:
    """Stream (row number, values) from a workbook without loading the sheet."""
    with SheetReader(path, sheet_title) as reader:
        yield from reader.rows()


def normalise_header(value: Any) -> str:
    """Return a header as written, without spaces, a trailing * or （必填）."""
    text = re.sub(r"\s+", "", cell_text(value))
    text = re.sub(r"[（(]必填[)）]$", "", text)
    return text.rstrip("*＊")


def map_headers(
    row: Iterable[Any], columns: Iterable[Column]
) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Find each column's position in the header row; report missing and repeated headers."""
    positions: dict[str, int] = {}
    errors: list[tuple[str, str]] = []
    found: dict[str, int] = {}
    for index, value in enumerate(row):
        header = normalise_header(value)
        if not header:
            continue
        if header in found:
            errors.append((header, _("表头重复：同名的列出现了不止一次")))
            continue
        found[header] = index
    for column in columns:
        if column.header in found:
            positions[column.key] = found[column.header]
        elif column.required:
            errors.append((column.header, _("缺少此列")))
    return positions, errors
