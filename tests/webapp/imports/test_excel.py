"""The generic Excel layer: streamed reading, cell parsers, header mapping."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from openpyxl import Workbook

from webapp.imports.columns import Column, Text, YesNo
from webapp.imports.reading import map_headers, normalise_header, read_rows
from webapp.spreadsheets.cells import CellError, cell_text, parse_date_value


def test_read_rows_streams_row_numbers_and_values(tmp_path):
    path = tmp_path / "rows.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("数据")
    sheet.append(["甲", "乙"])
    sheet.append([1, date(2026, 1, 31)])
    sheet.append([])
    sheet.append(["x", None])
    workbook.save(path)
    rows = list(read_rows(path))
    assert rows[0] == (1, ("甲", "乙"))
    assert rows[1] == (2, (1, datetime(2026, 1, 31)))
    assert rows[-1][0] == 4 and rows[-1][1][0] == "x"


@pytest.mark.parametrize(
    "value",
    [
        "2026-01-31",
        "2026/1/31",
        "2026.01.31",
        "2026年1月31日",
        "20260131",
        "2026-01-31 00:00:00",
        datetime(2026, 1, 31),
        date(2026, 1, 31),
        20260131,
    ],
)
def test_dates_are_read_in_the_common_ways(value):
    assert parse_date_value(value) == date(2026, 1, 31)


@pytest.mark.parametrize("value", ["2026-02-30", "31/01/2026", "明天", "2026-1", 45000.5])
def test_bad_dates_are_refused(value):
    with pytest.raises(CellError, match="日期格式应为"):
        parse_date_value(value)


def test_cell_text_shows_what_excel_shows():
    assert cell_text(12.0) == "12"
    assert cell_text(True) == "是"
    assert cell_text("  甲 ") == "甲"
    assert cell_text(None) == ""


def test_yes_no_and_text_limits(app):
    with app.test_request_context():
        assert YesNo().parse("是", None) is True
        assert YesNo().parse("否", None) is False
        with pytest.raises(CellError, match="请填写“是”或“否”"):
            YesNo().parse("可能", None)
        with pytest.raises(CellError, match="不能超过 3 个字"):
            Text(3).parse("四个汉字", None)
        assert Text(10, plain=False).parse("<b>粗</b>", None) == "<b>粗</b>"


def test_headers_may_carry_required_marks_and_be_reordered(app):
    columns = [Column("a", "姓名", Text(5)), Column("b", "职务", Text(5), required=False)]
    with app.test_request_context():
        positions, errors = map_headers(["备注", " 职 务 ", "姓名*"], columns)
        assert positions == {"a": 2, "b": 1} and errors == []
        positions, errors = map_headers(["姓名（必填）", "姓名"], columns)
        assert errors == [("姓名", "表头重复：同名的列出现了不止一次")]
        _positions, errors = map_headers(["职务"], columns)
        assert errors == [("姓名", "缺少此列")]
    assert normalise_header("单位 *") == "单位"


def test_uploads_are_parsed_with_defusedxml():
    # openpyxl switches to defusedxml only when it is installed: the pin in base.txt is
    # what keeps an uploaded workbook's XML from expanding entities (billion laughs).
    import openpyxl

    assert openpyxl.DEFUSEDXML is True
