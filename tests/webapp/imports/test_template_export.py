"""Import template (下载模板) and roster export (导出)."""

from __future__ import annotations

import io
from datetime import date, datetime
from urllib.parse import quote

from openpyxl import load_workbook
from sqlalchemy import select

from tests.factories import make_cadre, make_unit, make_user
from tests.webapp.imports.xlsx import CADRE_HEADERS, token_of, upload
from webapp.forms_common import mask_id_number
from webapp.models import AuditLog, DataScope, ImportJob


def test_template_has_headers_dropdowns_and_an_example(db, client, login, tmp_path):
    unit = make_unit("市委办公室")
    make_unit("外单位")
    user = make_user("supervisor", unit, DataScope.UNIT_AND_BELOW)
    login(user.username)
    response = client.get("/excel/cadres/template")
    assert response.status_code == 200
    assert quote("干部信息-导入模板.xlsx") in response.headers["Content-Disposition"]
    assert 'filename="cadres-template.xlsx"' in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    sheet = workbook["干部信息"]
    assert workbook.worksheets[0] is sheet
    assert [c.value for c in sheet[1]] == CADRE_HEADERS
    assert sheet.max_row == 1  # no example row to import by accident
    lists = {
        str(dv.sqref).split(":")[0][:-1]: dv.formula1
        for dv in sheet.data_validations.dataValidation
    }
    assert set(lists) >= {"B", "D", "E", "F", "G", "I", "J", "K"}  # 性别 … 年轻干部
    options = workbook["选项"]
    assert options.sheet_state == "hidden"
    columns = {
        options.cell(1, c).value: [options.cell(r, c).value for r in range(2, options.max_row + 1)]
        for c in range(1, options.max_column + 1)
    }
    assert [v for v in columns["性别"] if v] == ["男", "女"]
    assert [v for v in columns["单位"] if v] == ["市委办公室"]  # only units in scope
    guide = workbook["填写说明"]
    rows = [[c.value for c in row] for row in guide.iter_rows()]
    assert CADRE_HEADERS in rows
    example = rows[rows.index(CADRE_HEADERS) + 1]
    assert example[0] == "张三" and example[6] == "市委办公室"

    # The untouched template is refused as empty, and the example from the guide imports.
    path = tmp_path / "模板.xlsx"
    path.write_bytes(response.data)
    job = db.session.scalars(
        select(ImportJob).where(ImportJob.token == token_of(upload(client, path)))
    ).one()
    assert job.message == "文件中没有数据：请从表头下一行起填写，每行一条。"
    sheet.append(example)
    workbook.save(path)
    job = db.session.scalars(
        select(ImportJob).where(ImportJob.token == token_of(upload(client, path)))
    ).one()
    assert job.state == "valid", job.errors


def exported_rows(response) -> list[list]:
    data = response.data
    response.close()  # the download streams from a temporary file
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return rows


def test_export_follows_scope_and_filters_and_is_audited(db, client, login):
    unit = make_unit("市委办公室")
    child = make_unit("秘书科", parent=unit)
    elsewhere = make_unit("外单位")
    mine = make_cadre(unit, name="张一", rank="zhengke", is_young=True)
    below = make_cadre(child, name="张二", rank="fuke", appointed_on=date(2021, 3, 1))
    outsider = make_cadre(elsewhere, name="张三")
    user = make_user("supervisor", unit, DataScope.UNIT_AND_BELOW)
    login(user.username)

    response = client.get("/excel/cadres/export")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert quote("干部信息-") in response.headers["Content-Disposition"]
    rows = exported_rows(response)
    assert rows[0][:3] == ["姓名", "性别", "出生日期"]
    names = {r[0] for r in rows[1:]}
    assert names == {"张一", "张二"}  # the cadre outside scope is not in the file
    first = next(r for r in rows if r[0] == "张一")
    assert first[1] == "男" and first[6] == "市委办公室" and first[8] == "正科级"
    assert first[10] == "是"
    assert first[11] == mask_id_number(mine.id_number) != mine.id_number
    second = next(r for r in rows if r[0] == "张二")
    assert second[12].date() == date(2021, 3, 1)
    assert outsider.name not in str(rows)

    filtered = exported_rows(client.get("/excel/cadres/export?rank=fuke&page=3"))
    assert [r[0] for r in filtered[1:]] == [below.name]
    by_unit = exported_rows(client.get(f"/excel/cadres/export?unit_id={child.id}"))
    assert [r[0] for r in by_unit[1:]] == ["张二"]

    logs = list(
        db.session.scalars(
            select(AuditLog)
            .where(AuditLog.action == "export", AuditLog.user_id == user.id)
            .order_by(AuditLog.id)
        )
    )
    assert len(logs) == 3
    assert logs[0].object_type == "Cadre"
    assert "导出干部信息 2 条" in logs[0].summary
    assert "rank=fuke" in logs[1].summary


def test_roster_page_offers_export_with_its_filters_and_import(db, client, login):
    user = make_user("supervisor", make_unit())
    login(user.username)
    page = client.get("/cadres/?rank=fuke&page=2").get_data(as_text=True)
    assert "/excel/cadres/export?rank=fuke" in page
    assert "page=2" not in page.split("/excel/cadres/export")[1].split('"')[0]
    assert "/excel/cadres/import" in page


def test_export_needs_the_export_permission(db, client, login):
    viewer = make_user("viewer", make_unit())
    login(viewer.username)
    assert client.get("/excel/cadres/export").status_code == 403
    assert "/excel/cadres/export" not in client.get("/cadres/").get_data(as_text=True)


def test_export_writes_dates_as_dates(db, client, login):
    unit = make_unit("市委办公室")
    make_cadre(unit, name="张一", birth_date=date(1982, 3, 10), appointed_on=date(2021, 3, 1))
    user = make_user("supervisor", unit, DataScope.UNIT_AND_BELOW)
    login(user.username)
    response = client.get("/excel/cadres/export")
    data = response.data
    response.close()
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    headers = [c.value for c in sheet[1]]
    row = {header: cell for header, cell in zip(headers, sheet[2], strict=True)}
    for header, day in (("出生日期", date(1982, 3, 10)), ("任现职时间", date(2021, 3, 1))):
        cell = row[header]
        assert cell.is_date and cell.data_type == "d", header
        assert cell.number_format == "yyyy-mm-dd", header  # shown as 1982-03-10, no 00:00
        assert cell.value.date() == day and cell.value.time() == datetime.min.time()
    assert row["参加工作时间"].value is None


def test_register_exports_have_readable_ascii_file_names(db, client, login):
    user = make_user("supervisor", make_unit("市委办公室"), DataScope.UNIT_AND_BELOW)
    login(user.username)
    for url, plain in (
        ("/excel/cadres/export", "cadres-"),
        ("/excel/negative-info/export", "negative-info-"),
    ):
        response = client.get(url)
        response.close()
        assert response.status_code == 200, url
        assert f'filename="{plain}20' in response.headers["Content-Disposition"], url
