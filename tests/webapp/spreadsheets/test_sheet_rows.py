"""The data rows' XML is the XML XlsxWriter's constant_memory mode writes for the same values."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import xlsxwriter
from openpyxl import load_workbook

from webapp.spreadsheets.export import write_workbook
from webapp.spreadsheets.sheet_rows import RowWriter, Styles

SHANGHAI = ZoneInfo("Asia/Shanghai")
TEXTS = [
    "",
    "张三",
    " 前后有空格 ",
    "尾部换行\n",
    "制表\t与回车\r",
    "A&B <c> \"d\" 'e'",
    "_x0041_ 看似转义",
    "非字符\ufffe\uffff",
    "表情😀",
    "=1+1",
    "＋86",
    "-3",
    "@SUM(A1)",
    "x" * 40_000,
    "中" * 32_766 + "😀",
]
VALUES = [
    *TEXTS,
    date(2026, 3, 2),
    date(1900, 1, 1),
    date(1900, 2, 28),
    date(1900, 3, 1),
    datetime(2026, 3, 2, 10, 30, 15, 123456),
    datetime(1900, 1, 1, 12, 0),
    datetime(2026, 11, 20, 1, 30, tzinfo=ZoneInfo("UTC")),
    True,
    False,
    0,
    -7,
    12_345_678_901_234_567_890,
    0.1,
    -1.5e-300,
    Decimal("1.50"),
]


def xlsxwriter_rows(rows: list[list]) -> str:
    """Write the rows cell by cell through XlsxWriter, as the export once did; return sheetData."""
    target = io.BytesIO()
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    sheet = workbook.add_worksheet()
    formats = [
        workbook.add_format({"num_format": "yyyy-mm-dd"}),
        workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        workbook.add_format({"quote_prefix": True}),
    ]
    date_format, datetime_format, quoted = formats
    for index, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, datetime):
                if value.tzinfo is not None:
                    value = value.astimezone(SHANGHAI).replace(tzinfo=None)
                sheet.write_datetime(index, col, value, datetime_format)
            elif isinstance(value, date):
                sheet.write_datetime(index, col, value, date_format)
            elif isinstance(value, bool):
                sheet.write_string(index, col, "是" if value else "否")
            elif isinstance(value, str):
                risky = value.startswith(("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"))
                sheet.write_string(index, col, value, quoted if risky else None)
            elif isinstance(value, int | float):
                sheet.write_number(index, col, value)
            else:
                sheet.write_string(index, col, str(value))
    workbook.close()
    xml = zipfile.ZipFile(target).read("xl/worksheets/sheet1.xml").decode()
    data = re.search("<sheetData>(.*)</sheetData>", xml, re.DOTALL)
    # Number the formats by their role: XlsxWriter numbers them in the order cells use them.
    names = {f.xf_index: name for f, name in zip(formats, ("d", "t", "q"), strict=True)}
    return re.sub(r' s="(\d+)"', lambda m: f' s="{names[int(m[1])]}"', data[1]) if data else ""


def our_rows(rows: list[list]) -> str:
    writer = RowWriter(Styles(date="d", datetime="t", quoted="q"), SHANGHAI)
    return "".join(writer.row(index, row) for index, row in enumerate(rows, start=1))


def test_every_kind_of_value_is_written_as_xlsxwriter_writes_it():
    rows = [VALUES, [None, *VALUES[::-1]], [None, None], [], VALUES[:3] + [None] * 40 + ["远"]]
    assert our_rows(rows) == xlsxwriter_rows(rows)


def test_text_shaped_like_rich_string_markup_stays_the_text(app):
    # XlsxWriter copies a text "<r>…</r>" into the file as raw XML: the cell came out empty,
    # or, with an "&" inside, the whole export was a broken file.
    target = io.BytesIO()
    with app.app_context():
        write_workbook(target, "台账", ["事由"], [["<r>a&b</r>"], ["<r><t>x</t></r>"]])
    sheet = load_workbook(io.BytesIO(target.getvalue())).active
    assert [sheet["A2"].value, sheet["A3"].value] == ["<r>a&b</r>", "<r><t>x</t></r>"]


def test_dimension_covers_every_row_and_the_widest_one(app):
    target = io.BytesIO()
    with app.app_context():
        rows = ([i, None, f"第{i}行"] for i in range(3))
        write_workbook(target, "台账", ["甲", "乙"], rows)
    xml = zipfile.ZipFile(target).read("xl/worksheets/sheet1.xml").decode()
    assert '<dimension ref="A1:C4"/>' in xml


def test_rows_after_the_last_with_a_value_are_not_counted_in_the_dimension(app):
    target = io.BytesIO()
    with app.app_context():
        count = write_workbook(target, "台账", ["甲"], [["一"], [None]])
    xml = zipfile.ZipFile(target).read("xl/worksheets/sheet1.xml").decode()
    assert count == 2 and '<dimension ref="A1:A2"/>' in xml


def test_serial_numbers_match_xlsxwriter_across_excel_s_1900_leap_day():
    days = [date(1900, 1, 1) + timedelta(days=n) for n in range(0, 120, 7)]
    moments = [datetime(1899, 12, 31, 6) + timedelta(days=n, hours=n) for n in range(0, 70, 3)]
    assert our_rows([days, moments]) == xlsxwriter_rows([days, moments])
