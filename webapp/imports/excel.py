"""The generic Excel layer: column specs, cell parsers, streamed reading, validation, templates.

An importable record declares an `ImportSpec`: its columns (Chinese header, required or
not, how a cell is parsed), the checks across a row, the checks against the database for a
batch of rows, and how a batch is written. `validate_file` streams the workbook
(openpyxl read-only: rows are parsed as the sheet XML is read, never the whole sheet at
once), checks every row, and hands the rows that passed to a sink; nothing is written to
the database there. `write_staged` then writes the staged rows in batches inside the
caller's one transaction, re-checking them against the database first.
"""

from __future__ import annotations

import functools
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from stdnum.cn import ric

from webapp.forms_common import TAG, mask_id_number
from webapp.lookups import dict_items
from webapp.models import DictItem, OrgUnit, User
from webapp.units import ordered_units, unit_in_scope

MAX_ROWS = 100_000
MAX_STORED_ERRORS = 1000
PREVIEW_ROWS = 50
HEADER_ROW = 1


class CellError(ValueError):
    """A cell's value is wrong; the message says why in the UI's language."""


class FileRejected(ValueError):
    """The whole file cannot be used (not an .xlsx, corrupt, empty, too large)."""


# ---------------------------------------------------------------------------- cell values


def is_blank(value: Any) -> bool:
    """Tell whether a cell holds nothing (None or only whitespace)."""
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    """Return a cell's value as the text a person sees in Excel."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+0{1,2}:00(?::00)?)?$"
)
DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date_value(value: Any) -> date:
    """Read a date from a date cell or from text such as 2026-01-31, 2026/1/31, 20260131."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    match = DATE_TEXT.match(text) or DATE_DIGITS.match(text)
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise CellError(_("日期格式应为 年-月-日，例如 2026-01-31"))


# -------------------------------------------------------------------------------- parsers


class Parser:
    """Turn one cell into a stored value, or raise CellError."""

    empty: Any = ""
    number_format: str | None = None

    def parse(self, raw: Any, ctx: ImportContext) -> Any:
        """Return the value to store for a non-blank cell."""
        raise NotImplementedError

    def choices(self, ctx: ImportContext) -> list[str] | None:
        """Return the texts a dropdown in the template offers, if any."""
        return None

    def to_json(self, value: Any) -> Any:
        """Return the value as JSON can hold it (for the staged rows)."""
        return value

    def from_json(self, value: Any) -> Any:
        """Undo `to_json`."""
        return value


class Text(Parser):
    """Free text up to a length; markup refused where the form refuses it."""

    def __init__(self, max_length: int | Callable[[], int], *, plain: bool = True) -> None:
        # A callable limit is read when parsing: some limits are parameters.
        self.max_length = max_length
        self.plain = plain

    def parse(self, raw, ctx):
        text = cell_text(raw)
        limit = self.max_length() if callable(self.max_length) else self.max_length
        if len(text) > limit:
            raise CellError(_("不能超过 %(n)s 个字", n=limit))
        if self.plain and TAG.search(text):
            raise CellError(_("不能包含 HTML 标记或脚本"))
        return text


class DateValue(Parser):
    """A date; by default not later than today."""

    empty = None
    number_format = "yyyy-mm-dd"

    def __init__(self, *, not_future: bool = True) -> None:
        self.not_future = not_future

    def parse(self, raw, ctx):
        value = parse_date_value(raw)
        if self.not_future and value > ctx.today:
            raise CellError(_("日期不能晚于今天"))
        return value

    def to_json(self, value):
        return value.isoformat() if value else None

    def from_json(self, value):
        return date.fromisoformat(value) if value else None


class DictLabel(Parser):
    """A dictionary item, written as its label (男) or its value (male); stored as the value."""

    def __init__(self, dict_code: str) -> None:
        self.dict_code = dict_code

    def parse(self, raw, ctx):
        item = ctx.dict_item(self.dict_code, cell_text(raw))
        if item is None:
            labels = ctx.dict_labels(self.dict_code)
            shown = _("、").join(labels[:12]) + (_("等") if len(labels) > 12 else "")
            raise CellError(
                _("“%(v)s”不是可选的值，应为：%(choices)s", v=cell_text(raw), choices=shown)
            )
        return item.value

    def choices(self, ctx):
        return ctx.dict_labels(self.dict_code)


class UnitRef(Parser):
    """A unit written by name or code; it must exist, be active and lie in the user's scope."""

    empty = None

    def parse(self, raw, ctx):
        return ctx.unit_id(cell_text(raw))

    def choices(self, ctx):
        return ctx.unit_labels()


@functools.lru_cache(maxsize=65536)
def id_number_valid(text: str) -> bool:
    """Tell whether an ID number passes GB 11643 (cached: a file repeats its cadres)."""
    return ric.is_valid(text)


class IdNumber(Parser):
    """An 18-character resident ID number with a valid GB 11643 checksum and birth date."""

    number_format = "@"

    def parse(self, raw, ctx):
        text = re.sub(r"\s+", "", cell_text(raw)).upper()
        if len(text) != 18:
            raise CellError(_("身份证号码应为 18 位"))
        if not id_number_valid(text):
            raise CellError(_("身份证号码无效（位数、出生日期或校验位不正确）"))
        return text


class YesNo(Parser):
    """是 or 否."""

    empty = False
    YES = frozenset({"是", "y", "yes", "true", "1", "√"})
    NO = frozenset({"否", "n", "no", "false", "0", "×"})

    def parse(self, raw, ctx):
        if isinstance(raw, bool):
            return raw
        text = cell_text(raw).lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise CellError(_("请填写“是”或“否”"))

    def choices(self, ctx):
        return ["是", "否"]


@dataclass(frozen=True)
class Column:
    """One column of an import file.

    Headers are a file format, not UI text: they stay in Chinese in every locale, so a
    template downloaded in English still matches what the reader expects.
    """

    key: str
    header: str
    parser: Parser
    required: bool = True
    example: Any = ""
    note: Any = ""
    masked: bool = False
    width: int = 14

    @property
    def empty(self) -> Any:
        """Return the value a blank optional cell stands for."""
        return self.parser.empty


# ------------------------------------------------------------------------------- context


class ImportContext:
    """Who imports, today's date, and the lookups (dictionaries, units) loaded once."""

    def __init__(self, user: User, today: date, *, update_existing: bool = False) -> None:
        self.user = user
        self.today = today
        self.update_existing = update_existing
        self._dicts: dict[str, dict[str, DictItem]] = {}
        self._units: dict[str, list[OrgUnit]] | None = None
        self._scope_ids: set[int] = set()
        self._all_units: list[OrgUnit] = []
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, build: Callable[[], Any]) -> Any:
        """Return a lookup built once per import (situations, tiers, ...)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    # dictionaries
    def _dict_map(self, code: str) -> dict[str, DictItem]:
        if code not in self._dicts:
            mapping: dict[str, DictItem] = {}
            items = dict_items(code)
            for item in items:
                mapping.setdefault(item.value.lower(), item)
            for item in items:  # labels win over values when both match different items
                mapping[item.label] = item
            self._dicts[code] = mapping
        return self._dicts[code]

    def dict_item(self, code: str, text: str) -> DictItem | None:
        """Return the active item of a dictionary whose label (or value) is the text."""
        mapping = self._dict_map(code)
        text = text.strip()
        return mapping.get(text) or mapping.get(text.lower())

    def dict_labels(self, code: str) -> list[str]:
        """Return a dictionary's active labels in display order."""
        return [item.label for item in dict_items(code)]

    # units
    def _load_units(self) -> dict[str, list[OrgUnit]]:
        if self._units is None:
            self._all_units = ordered_units()
            self._scope_ids = {u.id for u in self._all_units if unit_in_scope(self.user, u)}
            index: dict[str, list[OrgUnit]] = {}
            for unit in self._all_units:
                index.setdefault(unit.name, []).append(unit)
            self._units = index
            self._codes = {u.code.lower(): u for u in self._all_units}
        return self._units

    @property
    def scope_unit_ids(self) -> set[int]:
        """Return the ids of the active units the user may file records under."""
        self._load_units()
        return self._scope_ids

    def unit_id(self, text: str) -> int:
        """Resolve a unit name, code or "名称（编码）" to an id the user may file under."""
        by_name = self._load_units()
        unit = self._codes.get(text.lower())
        if unit is None:
            named = by_name.get(text, [])
            if len(named) > 1:
                raise CellError(_("单位名称“%(v)s”不唯一，请填写单位编码", v=text))
            unit = named[0] if named else None
        if unit is None:
            match = re.match(r"^(.+?)\s*[（(]\s*([^（()）]+)\s*[)）]$", text)
            if match:
                unit = self._codes.get(match.group(2).lower())
        if unit is None:
            raise CellError(_("单位“%(v)s”不存在（请填写系统中的单位名称或编码）", v=text))
        if unit.id not in self._scope_ids:
            raise CellError(_("您无权向单位“%(v)s”导入数据（不在您的数据权限范围内）", v=text))
        return unit.id

    def unit_labels(self) -> list[str]:
        """Return how to write each unit in scope: its name, or name（code） when shared."""
        by_name = self._load_units()
        return [
            u.name if len(by_name[u.name]) == 1 else f"{u.name}（{u.code}）"
            for u in self._all_units
            if u.id in self._scope_ids
        ]


# ----------------------------------------------------------------------------------- rows


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


# -------------------------------------------------------------------------------- reading


class SheetReader:
    """Stream the rows of a workbook's data sheet: (Excel row number, tuple of values)."""

    def __init__(self, path: str | Path, sheet_title: str | None = None) -> None:
        try:
            self.workbook = load_workbook(path, read_only=True, data_only=True)
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


# ----------------------------------------------------------------------------- validation


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
        with SheetReader(path, spec.sheet_title) as reader:
            _validate_rows(reader, spec, ctx, report, sink, progress, max_rows)
    except FileRejected as exc:
        report.fatal = str(exc)
    return report


def _validate_rows(reader, spec, ctx, report, sink, progress, max_rows) -> None:
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
        if report.rows > max_rows:
            raise FileRejected(_("文件超过 %(n)s 行的上限，请分成几个文件导入。", n=max_rows))
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


# ----------------------------------------------------------------------- template, export

HEADER_FONT = Font(bold=True)
REQUIRED_FILL = PatternFill("solid", fgColor="FDECEA")
OPTIONAL_FILL = PatternFill("solid", fgColor="EEF1F5")
LIST_ROWS = 1_048_576


def build_template(spec: ImportSpec, ctx: ImportContext) -> io.BytesIO:
    """Build the import template: headers, dropdowns for list columns, and a guide sheet.

    The example row sits on the 填写说明 sheet, under the same headers, so a template
    uploaded untouched imports nothing by accident.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = spec.sheet_title
    lists = workbook.create_sheet("选项")
    guide = workbook.create_sheet("填写说明")
    list_col = 0
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if column.required else OPTIONAL_FILL
        cell.comment = Comment(
            (_("必填。") if column.required else _("选填。")) + str(column.note or ""), _("系统")
        )
        sheet.column_dimensions[letter].width = column.width
        if column.parser.number_format:
            # A column style, so Excel keeps typed ID numbers as text and shows dates plainly.
            sheet.column_dimensions[letter].number_format = column.parser.number_format
        choices = column.parser.choices(ctx)
        if choices:
            list_col += 1
            list_letter = get_column_letter(list_col)
            lists.cell(row=1, column=list_col, value=column.header)
            for offset, choice in enumerate(choices, start=2):
                lists.cell(row=offset, column=list_col, value=choice)
            validation = DataValidation(
                type="list",
                formula1=f"'选项'!${list_letter}$2:${list_letter}${len(choices) + 1}",
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle=_("无效的值"),
                error=_("请从下拉列表中选择。"),
            )
            validation.add(f"{letter}2:{letter}{LIST_ROWS}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    lists.sheet_state = "hidden"
    _write_guide(guide, spec, ctx)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _write_guide(guide, spec: ImportSpec, ctx: ImportContext) -> None:
    guide.append(
        [
            _(
                "填写说明：在第一个工作表“%(sheet)s”中从第 2 行起每行填写一条；"
                "表头请勿修改。带红色底纹的列为必填。",
                sheet=spec.sheet_title,
            )
        ]
    )
    guide.append([])
    guide.append([_("示例（请勿在本页填写）：")])
    guide.append([c.header for c in spec.columns])
    guide.append([cell_text(c.example) or (c.parser.choices(ctx) or [""])[0] for c in spec.columns])
    guide.append([])
    guide.append([_("列名"), _("是否必填"), _("填写要求")])
    for column in spec.columns:
        required = _("是") if column.required else _("否")
        guide.append([column.header, required, str(column.note or "")])
    for row in (guide[4], guide[7]):
        for cell in row:
            cell.font = HEADER_FONT
    for index in range(1, len(spec.columns) + 1):
        guide.column_dimensions[get_column_letter(index)].width = 16
    guide.column_dimensions["C"].width = 48
    for row in guide.iter_rows(min_row=8):
        row[2].alignment = Alignment(wrap_text=True)


def write_workbook(
    target: IO[bytes],
    sheet_title: str,
    headers: list[str],
    rows: Iterable[Iterable[Any]],
    widths: list[int] | None = None,
) -> int:
    """Stream rows into a write-only workbook; return how many data rows were written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = HEADER_FONT
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        sheet.append(list(row))
        count += 1
    workbook.save(target)
    return count
