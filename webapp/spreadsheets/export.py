"""Stream a register export into an .xlsx file on disk and send it as a download.

Every register export (roster, negative information, warnings …) goes through here, so each
one keeps memory flat however many rows it has, writes dates as real Excel dates, and never
turns a text starting with "=" into a formula.

API
---

``write_workbook(target, sheet_title, headers, rows, widths=None) -> int``
    Write one sheet into the binary file ``target``: a bold, frozen header row, then one row
    per item of ``rows`` (any iterable of sequences, best a generator streamed from the
    database with ``yield_per``). Returns how many data rows were written. The workbook is
    XlsxWriter's ``constant_memory`` kind: each row goes to a temporary XML file as it is
    written and is never held in memory (about twice as fast as openpyxl's write-only
    workbook, which matters at 10,000 rows). Values are written by type:

    - ``date``: an Excel date with number format ``yyyy-mm-dd`` (``DATE_FORMAT``);
    - ``datetime``: an Excel date and time, ``yyyy-mm-dd hh:mm`` (``DATETIME_FORMAT``); an
      aware one is first converted to the organisation's zone (Excel has no time zones);
    - ``str``: always text, even when it starts with "=" (no formula injection); a text
      starting with what Excel reads as a formula (``= + - @``, their full-width forms, a
      tab or a carriage return) is also marked quote-prefixed, so editing the cell in Excel
      keeps it text; control characters XML cannot hold (a vertical tab pasted from Word)
      are dropped rather than failing the whole export;
    - ``bool``: 是 / 否; ``None``: an empty cell; numbers as numbers.

``send_export(write, title, ascii_title="export") -> Response``
    Call ``write(target)`` with a temporary file, then send that file as
    ``<title>-<today>.xlsx`` (and ``<ascii_title>-<today>.xlsx`` for clients that read only
    the plain ``filename=``, e.g. ``cadres-2026-12-01.xlsx``).

``defuse_formulas(workbook)``
    For the workbooks built in memory rather than streamed (the import templates): turn every
    cell openpyxl took for a formula back into text and quote-prefix risky texts. ``write`` is usually the area's export service, which calls
    ``write_workbook`` and then logs the export with the count it returned. The temporary
    file lives on disk and is closed (and so deleted) once the response has been sent.

Typical use, in an area's ``export.py`` and its view::

    def export_things(user, filters, target) -> int:
        count = write_workbook(target, "台账", HEADERS, thing_rows(user, filters), WIDTHS)
        record_operation("export", "Thing", summary=f"导出 {count} 条")
        db.session.commit()
        return count

    return send_export(lambda target: export_things(current_user, filters, target), "台账")
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import IO, TYPE_CHECKING, Any

import xlsxwriter
from flask import Response, send_file
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from webapp.clock import org_today, org_zone
from webapp.downloads import content_disposition

if TYPE_CHECKING:
    from xlsxwriter.worksheet import Worksheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# What Excel (or a user editing the cell) would read as the start of a formula or a DDE call.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def looks_like_formula(text: str) -> bool:
    """Tell whether a text would be taken for a formula if typed into Excel."""
    return text.startswith(FORMULA_STARTS)


def as_text(cell: Any) -> Any:
    """Force a cell holding a string to stay text, quote-prefixed when it looks like a formula."""
    cell.data_type = "s"
    if looks_like_formula(cell.value):
        cell.quotePrefix = True
    return cell


def defuse_formulas(workbook: Workbook) -> Workbook:
    """Make every formula-looking cell of an in-memory workbook plain, quote-prefixed text."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and looks_like_formula(cell.value):
                    as_text(cell)
    return workbook


def write_workbook(
    target: IO[bytes],
    sheet_title: str,
    headers: list[str],
    rows: Iterable[Iterable[Any]],
    widths: list[int] | None = None,
) -> int:
    """Stream rows into a constant-memory workbook saved to `target`; return the data rows."""
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    try:
        sheet = workbook.add_worksheet(sheet_title)
        formats = Formats(workbook)
        for index, width in enumerate(widths or []):
            sheet.set_column(index, index, width)
        sheet.freeze_panes(1, 0)
        for col, text in enumerate(headers):
            sheet.write_string(0, col, text, formats.header)
        count = 0
        for count, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                write_value(sheet, count, col, value, formats)
    finally:
        workbook.close()
    return count


class Formats:
    """The few cell formats an export uses, made once a workbook."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.header = workbook.add_format({"bold": True})
        self.date = workbook.add_format({"num_format": DATE_FORMAT})
        self.datetime = workbook.add_format({"num_format": DATETIME_FORMAT})
        self.quoted = workbook.add_format({"quote_prefix": True})


def write_value(sheet: Worksheet, row: int, col: int, value: Any, formats: Formats) -> None:
    """Write one value by its type (see the module's docstring); None leaves the cell empty."""
    if value is None:
        return
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(org_zone()).replace(tzinfo=None)
        sheet.write_datetime(row, col, value, formats.datetime)
    elif isinstance(value, date):
        sheet.write_datetime(row, col, value, formats.date)
    elif isinstance(value, bool):
        sheet.write_string(row, col, "是" if value else "否")
    elif isinstance(value, str):
        # write_string never takes a text for a formula; a risky one is also quote-prefixed.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        sheet.write_string(row, col, value, formats.quoted if looks_like_formula(value) else None)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, str(value))


def send_export(
    write: Callable[[IO[bytes]], object], title: str, ascii_title: str = "export"
) -> Response:
    """Run an export writer into a temporary file and send it as `<title>-<today>.xlsx`."""
    # A disk-backed file, not memory: a large register never sits whole in a worker. The
    # response closes it once sent, so no context manager here.
    target = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        write(target)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    day = org_today().isoformat()
    response = send_file(target, mimetype=XLSX)
    response.headers["Content-Disposition"] = content_disposition(
        f"{title}-{day}.xlsx", f"{ascii_title}-{day}.xlsx"
    )
    return response
