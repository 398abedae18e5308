"""Stream the rows of an uploaded workbook and find its columns by their headers.

openpyxl's read-only mode parses rows as the sheet XML is read, never the whole sheet at once.
Formulas are read as their text ("=A1+1"), never as the value Excel cached for them: what a
file stores is what its author typed, and nothing in it is evaluated.

An .xlsx is a zip, so a few megabytes can unpack to gigabytes (a "zip bomb", most simply a
sheet of millions of empty rows). Before any XML is parsed, `check_package` reads only the
zip's directory and refuses a file whose parts would unpack too large or compress too well;
`SheetReader` then refuses a sheet whose recorded range is too big, and while streaming
counts every row (blank ones too) and every cell against the same caps.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from flask_babel import gettext as _
from openpyxl import load_workbook

from webapp.imports.columns import Column
from webapp.spreadsheets.cells import cell_text

MAX_ROWS = 100_000
# A 100,000-row file of 16 text columns written with inline strings unpacks to ~115 MB.
MAX_UNPACKED_BYTES = 160 * 1024 * 1024
# Real sheets compress 5 to 25 times; a sheet of identical empty rows, hundreds of times.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024  # small parts (a theme, styles) may compress as they like
MAX_PARTS = 1000
MAX_CELLS = 3_000_000


class FileRejected(ValueError):
    """The whole file cannot be used (not an .xlsx, corrupt, empty, too large)."""


def unreadable() -> str:
    """Say that a file is no workbook at all."""
    return _(
        "无法读取该文件：它不是有效的 Excel 工作簿（.xlsx），或文件已损坏。"
        "旧版 .xls 文件请先在 Excel 中另存为 .xlsx。"
    )


class PackageTooLarge(FileRejected):
    """The workbook would unpack too large: refused before anything of it is kept."""


def check_package(
    source: str | Path | IO[bytes],
    *,
    max_bytes: int | None = None,
    max_ratio: int | None = None,
) -> None:
    """Refuse a workbook whose zip would unpack too large, judged from its directory alone."""
    max_bytes = max_bytes or MAX_UNPACKED_BYTES
    max_ratio = max_ratio or MAX_RATIO
    try:
        with zipfile.ZipFile(source) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileRejected(unreadable()) from exc
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    if len(parts) > MAX_PARTS:
        raise PackageTooLarge(unreadable())
    unpacked = sum(part.file_size for part in parts)
    if unpacked > max_bytes:
        raise PackageTooLarge(
            _(
                "文件解压后有 %(size)s MB，超过 %(limit)s MB 的上限：请删除多余的空行、"
                "空列和格式，或分成几个文件导入。",
                size=unpacked // (1024 * 1024),
                limit=max_bytes // (1024 * 1024),
            )
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FROM_BYTES and ratio > max_ratio:
            raise PackageTooLarge(
                _(
                    "文件压缩比异常（解压后是压缩前的 %(ratio)s 倍，通常含有大量空行），"
                    "已拒绝：请删除多余的空行后重新保存再导入。",
                    ratio=int(ratio),
                )
            )


class SheetReader:
    """Stream the rows of a workbook's data sheet: (Excel row number, tuple of values)."""

    def __init__(
        self,
        path: str | Path,
        sheet_title: str | None = None,
        *,
        max_rows: int = MAX_ROWS,
        max_cells: int = MAX_CELLS,
    ) -> None:
        check_package(path)
        self.max_rows, self.max_cells = max_rows, max_cells
        try:
            self.workbook = load_workbook(path, read_only=True, data_only=False)
        except Exception as exc:  # openpyxl raises many kinds on a bad file; all mean "unreadable"
            raise FileRejected(unreadable()) from exc
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
            columns = self.sheet.max_column or 0
        except Exception:  # a bad dimension tag only costs the estimate
            self.estimated_rows = columns = 0
        # `max_rows` data rows under one header row.
        if self.estimated_rows > max_rows + 1 or self.estimated_rows * columns > max_cells:
            self.close()
            raise self.too_big()
        self.sheet.reset_dimensions()

    def too_big(self) -> FileRejected:
        """Say that the sheet has more rows or cells than one import may hold."""
        return FileRejected(
            _(
                "文件超过上限（最多 %(rows)s 行、%(cells)s 个单元格，空行也计算在内）："
                "请删除多余的空行和空列，或分成几个文件导入。",
                rows=self.max_rows,
                cells=self.max_cells,
            )
        )

    def rows(self, max_col: int | None = None) -> Iterator[tuple[int, tuple]]:
        """Yield (row number, values) for each row, padded to max_col; refuse too many."""
        number = cells = 0
        try:
            for number, values in enumerate(
                self.sheet.iter_rows(min_row=1, max_col=max_col, values_only=True), start=1
            ):
                # Blank rows count: millions of them are what a blank-row bomb is made of.
                cells += len(values)
                if number > self.max_rows + 1 or cells > self.max_cells:
                    raise self.too_big()
                if max_col is not None and len(values) < max_col:
                    values = (*values, *([None] * (max_col - len(values))))
                yield number, values
        except FileRejected:
            raise
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
