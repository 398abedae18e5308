"""Stream a register export into an .xlsx file on disk and send it as a download.

Every register export (roster, negative information, warnings …) goes through here, so each
one keeps memory flat however many rows it has, writes dates as real Excel dates, and never
turns a text starting with "=" into a formula.

API
---

``write_workbook(target, sheet_title, headers, rows, widths=None) -> int``
    Write one sheet into the binary file ``target``: a bold, frozen header row, then one row
    per item of ``rows`` (any iterable of sequences, best a generator streamed from the
    database with ``yield_per``). Returns how many data rows were written. The rows go to a
    temporary file as they come and are never held in memory; XlsxWriter
    (``constant_memory``) writes the rest of the package: the header, widths, frozen pane,
    styles. The data rows' XML is written by ``webapp.spreadsheets.sheet_rows``, the same
    cells XlsxWriter writes at a tenth of its cost a cell (a 10,000-row export spent two
    thirds of its time in XlsxWriter's cell calls). Values are written by type:

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

import io
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from typing import IO, Any

import xlsxwriter
from flask import Response, send_file
from openpyxl import Workbook
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_rowcol_to_cell

from webapp.clock import org_today, org_zone
from webapp.downloads import content_disposition
from webapp.spreadsheets.sheet_rows import MAX_ROWS, RowWriter, Styles, looks_like_formula

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
SHEET_PART = "xl/worksheets/sheet1.xml"
DIMENSION = re.compile(r'<dimension ref="[^"]*"/>')


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
    with tempfile.TemporaryFile("w+", encoding="utf-8") as data:
        package = io.BytesIO()
        workbook = xlsxwriter.Workbook(package, {"constant_memory": True, "in_memory": False})
        try:
            sheet = workbook.add_worksheet(sheet_title)
            header, styles = add_formats(workbook)
            for index, width in enumerate(widths or []):
                sheet.set_column(index, index, width)
            sheet.freeze_panes(1, 0)
            for col, text in enumerate(headers):
                sheet.write_string(0, col, text, header)
            writer = RowWriter(styles, org_zone())
            count = 0
            for count, row in enumerate(rows, start=1):
                data.write(writer.row(count, row))
            if count >= MAX_ROWS:
                raise ValueError(f"{count} rows: more than an Excel sheet holds")
        finally:
            workbook.close()
        if writer.last_row < 1:
            target.write(package.getvalue())
        else:
            last_col = max(len(headers) - 1, writer.last_col)
            dimension = f"A1:{xl_rowcol_to_cell(writer.last_row, last_col)}"
            splice_rows(package, data, dimension, target)
    return count


def add_formats(workbook: xlsxwriter.Workbook) -> tuple[Format, Styles]:
    """Add the header's and the data cells' formats; return the first and the cells' indices."""
    header, *cells = [
        workbook.add_format({"bold": True}),
        workbook.add_format({"num_format": DATE_FORMAT}),
        workbook.add_format({"num_format": DATETIME_FORMAT}),
        workbook.add_format({"quote_prefix": True}),
    ]
    # XlsxWriter numbers a format (and puts it in styles.xml) when a cell first uses it; the
    # data cells are written by sheet_rows, so number them all here, as its cell writer does.
    header._get_xf_index()
    return header, Styles(*(f._get_xf_index() for f in cells))


def splice_rows(package: IO[bytes], data: IO[str], dimension: str, target: IO[bytes]) -> None:
    """Copy XlsxWriter's package to `target`, the data rows inserted after the header row."""
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            part = zipfile.ZipInfo(info.filename, info.date_time)
            part.compress_type, part.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            if info.filename != SHEET_PART:
                out.writestr(part, source.read(info))
                continue
            xml = source.read(info).decode().replace("<sheetData/>", "<sheetData></sheetData>")
            head, tail = xml.split("</sheetData>")
            with out.open(part, "w") as sheet:
                sheet.write(DIMENSION.sub(f'<dimension ref="{dimension}"/>', head, 1).encode())
                data.seek(0)
                while chunk := data.read(1 << 16):
                    sheet.write(chunk.encode())
                sheet.write(("</sheetData>" + tail).encode())


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
