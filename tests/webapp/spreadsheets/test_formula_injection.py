"""No text typed by a person comes out of an export or a template as a live formula."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.factories import make_cadre, make_report, make_unit, make_user, make_warning
from webapp.models import DataScope, DictItem, DictType
from webapp.spreadsheets.export import write_workbook

RISKY = [
    '=HYPERLINK("http://x","点")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
]


def cells_of(data: bytes, sheet: int | str = 0):
    """Return the workbook's cells by their value."""
    workbook = load_workbook(io.BytesIO(data))
    ws = workbook.worksheets[sheet] if isinstance(sheet, int) else workbook[sheet]
    return {cell.value: cell for row in ws.iter_rows() for cell in row if cell.value is not None}


def assert_plain_text(cell) -> None:
    assert cell.data_type == "s", repr(cell.value)
    assert cell.quotePrefix, repr(cell.value)  # editing it in Excel keeps it text


@pytest.mark.parametrize("text", RISKY)
def test_formula_like_text_is_quote_prefixed_text(app, text):
    target = io.BytesIO()
    with app.app_context():
        write_workbook(target, "台账", ["事由"], [[text]])
    assert_plain_text(load_workbook(io.BytesIO(target.getvalue())).worksheets[0]["A2"])


def test_numbers_and_dates_stay_numbers_and_dates(app):
    target = io.BytesIO()
    with app.app_context():
        write_workbook(
            target, "台账", ["负数", "小数", "日期", "文字"], [[-5, -2.5, date(2026, 1, 2), "张三"]]
        )
    negative, fraction, day, name = load_workbook(io.BytesIO(target.getvalue())).worksheets[0][2]
    assert (negative.data_type, negative.value) == ("n", -5)
    assert (fraction.data_type, fraction.value) == ("n", -2.5)
    assert day.is_date and day.value.date() == date(2026, 1, 2)
    assert name.data_type == "s" and not name.quotePrefix


def export(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    data = response.data
    response.close()
    return data


def test_every_register_export_writes_typed_formulas_as_text(db, client, login):
    unit = make_unit("市委办公室")
    user = make_user("supervisor", unit, DataScope.UNIT_AND_BELOW)
    cadre = make_cadre(unit, name="=1+1", position="+cmd|' /C calc'!A0")
    # A channel whose reporting unit and liaison are not sealed (信访 ones export a notice).
    make_report(
        cadre,
        source_channel="other",
        summary="@SUM(1+1)",
        reporting_unit="-2+3",
        liaison_name="\t=1+1",
    )
    make_warning(cadre, user, "YJ-T-0001")
    login(user.username)

    cadres = cells_of(export(client, "/excel/cadres/export"))
    for text in ("=1+1", "+cmd|' /C calc'!A0"):
        assert_plain_text(cadres[text])
    register = cells_of(export(client, "/excel/negative-info/export"))
    for text in ("=1+1", "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\t=1+1"):
        assert_plain_text(register[text])
    warnings = cells_of(export(client, "/warnings/export.xlsx"))
    for text in ("=1+1", "+cmd|' /C calc'!A0"):
        assert_plain_text(warnings[text])


def test_import_template_writes_unit_names_and_labels_as_text(db, client, login):
    unit = make_unit('=HYPERLINK("http://x","单位")')
    gender = db.session.scalars(select(DictType).where(DictType.code == "gender")).one()
    db.session.add(DictItem(dict_type_id=gender.id, value="evil", label="@SUM(1+1)", sort_order=99))
    db.session.flush()
    user = make_user("supervisor", unit, DataScope.UNIT_AND_BELOW)
    login(user.username)
    data = export(client, "/excel/cadres/template")
    options = cells_of(data, "选项")
    assert_plain_text(options['=HYPERLINK("http://x","单位")'])
    assert_plain_text(options["@SUM(1+1)"])
    guide = cells_of(data, "填写说明")
    assert_plain_text(guide['=HYPERLINK("http://x","单位")'])  # the example row
