"""Cadre import: bad files rejected with per-row, per-field Chinese errors; good files written."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.factories import id_number, make_cadre, make_unit, make_user
from tests.webapp.imports.xlsx import CADRE_HEADERS, cadre_row, token_of, upload, write_xlsx
from webapp.cadres.name_search import cadre_matches
from webapp.models import AuditLog, Cadre, DataScope, ImportJob


def cadre_count(db) -> int:
    return db.session.scalar(select(func.count(Cadre.id)))


def job_of(db, token: str) -> ImportJob:
    return db.session.scalars(select(ImportJob).where(ImportJob.token == token)).one()


@pytest.fixture
def setup(db, login):
    """A supervisor of a unit (scope: own unit and below) logged in."""
    unit = make_unit("市委办公室")
    user = make_user("supervisor", unit, DataScope.UNIT_AND_BELOW)
    login(user.username)
    return unit, user


def rejected(db, client, tmp_path, rows, headers=CADRE_HEADERS, **kwargs) -> ImportJob:
    """Upload a file that must be rejected; check nothing was written; return its job."""
    before = cadre_count(db)
    token = token_of(upload(client, write_xlsx(tmp_path / "干部.xlsx", headers, rows), **kwargs))
    job = job_of(db, token)
    assert job.state == "invalid"
    assert cadre_count(db) == before
    page = client.get(f"/excel/jobs/{token}").get_data(as_text=True)
    assert "没有写入任何数据" in page
    assert "确认导入" not in page
    return job


def test_missing_column_is_reported_once(db, client, setup, tmp_path):
    unit, _user = setup
    headers = [h for h in CADRE_HEADERS if h != "职级"]
    job = rejected(
        db,
        client,
        tmp_path,
        [cadre_row(unit), cadre_row(unit, birth=date(1990, 1, 2))],
        headers=headers,
    )
    assert job.errors == [[1, "职级", "缺少此列"]]
    assert job.error_count == 1


def test_wrong_date_names_row_and_column(db, client, setup, tmp_path):
    unit, _user = setup
    rows = [cadre_row(unit), cadre_row(unit, birth=date(1990, 1, 2), 任现职时间="2020-13-45")]
    job = rejected(db, client, tmp_path, rows)
    assert job.errors == [[3, "任现职时间", "日期格式应为 年-月-日，例如 2026-01-31"]]


def test_future_date_is_refused(db, client, setup, tmp_path):
    unit, _user = setup
    job = rejected(db, client, tmp_path, [cadre_row(unit, 任现职时间="2999-01-01")])
    assert job.errors == [[2, "任现职时间", "日期不能晚于今天"]]


def test_duplicate_row_in_the_file(db, client, setup, tmp_path):
    unit, _user = setup
    row = cadre_row(unit)
    other = cadre_row(unit, birth=date(1990, 1, 2))
    job = rejected(db, client, tmp_path, [row, other, dict(row, 姓名="王五")])
    assert job.errors == [[4, "身份证号码", "与第 2 行重复"]]


def test_unknown_unit(db, client, setup, tmp_path):
    unit, _user = setup
    job = rejected(db, client, tmp_path, [cadre_row(unit, 单位="不存在的单位")])
    assert job.errors == [[2, "单位", "单位“不存在的单位”不存在（请填写系统中的单位名称或编码）"]]


def test_bad_id_checksum(db, client, setup, tmp_path):
    unit, _user = setup
    good = id_number(date(1985, 3, 9))
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    job = rejected(db, client, tmp_path, [cadre_row(unit, 身份证号码=bad)])
    assert job.errors == [[2, "身份证号码", "身份证号码无效（位数、出生日期或校验位不正确）"]]


def test_every_error_of_every_row_is_listed(db, client, setup, tmp_path):
    unit, _user = setup
    rows = [
        cadre_row(unit, 性别="未知", 姓名=""),
        cadre_row(unit, birth=date(1990, 1, 2), 出生日期=date(1990, 1, 3), 年轻干部="也许"),
    ]
    job = rejected(db, client, tmp_path, rows)
    assert job.errors == [
        [2, "姓名", "此项为必填项"],
        [2, "性别", "“未知”不是可选的值，应为：男、女"],
        [3, "年轻干部", "请填写“是”或“否”"],
        [3, "出生日期", "出生日期与身份证号码中的出生日期不一致"],
    ]
    page = client.get(f"/excel/jobs/{job.token}").get_data(as_text=True)
    assert "第 2 行" in page and "第 3 行" in page and "“未知”不是可选的值" in page


def test_markup_in_text_is_refused(db, client, setup, tmp_path):
    unit, _user = setup
    job = rejected(db, client, tmp_path, [cadre_row(unit, 职务="<script>alert(1)</script>")])
    assert job.errors == [[2, "职务", "不能包含 HTML 标记或脚本"]]


def test_empty_file(db, client, setup, tmp_path):
    path = tmp_path / "空.xlsx"
    Workbook().save(path)
    job = job_of(db, token_of(upload(client, path)))
    assert job.state == "invalid"
    assert job.message == "文件是空的：第一个工作表中没有内容。"


def test_header_only_file(db, client, setup, tmp_path):
    job = rejected(db, client, tmp_path, [])
    assert job.message == "文件中没有数据：请从表头下一行起填写，每行一条。"


@pytest.mark.parametrize(
    "content",
    [b"this is not a spreadsheet", b"PK\x03\x04" + b"\x00" * 200],
    ids=["text", "broken-zip"],
)
def test_corrupt_file(db, client, setup, tmp_path, content):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(content)
    before = cadre_count(db)
    job = job_of(db, token_of(upload(client, path)))
    assert job.state == "invalid"
    assert job.message.startswith("无法读取该文件：它不是有效的 Excel 工作簿（.xlsx）")
    assert cadre_count(db) == before
    assert "无法读取该文件" in client.get(f"/excel/jobs/{job.token}").get_data(as_text=True)


def test_zip_that_is_not_a_workbook(db, client, setup, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    path = tmp_path / "假.xlsx"
    path.write_bytes(buffer.getvalue())
    job = job_of(db, token_of(upload(client, path)))
    assert job.message.startswith("无法读取该文件")


def test_sheet_cut_off_midway_is_rejected(db, client, setup, tmp_path):
    unit, _user = setup
    rows = [cadre_row(unit, birth=date(1970, 1, 1) + timedelta(days=i)) for i in range(40)]
    good = write_xlsx(tmp_path / "好.xlsx", CADRE_HEADERS, rows)
    cut = tmp_path / "断.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(cut, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    before = cadre_count(db)
    job = job_of(db, token_of(upload(client, cut)))
    assert job.state == "invalid"
    assert job.message.startswith("文件内容已损坏，读取到第 ")
    assert cadre_count(db) == before


def test_wrong_extension_is_refused_on_the_form(db, client, setup, tmp_path):
    path = tmp_path / "干部.csv"
    path.write_text("姓名\n张三\n")
    response = upload(client, path)
    assert response.status_code == 400
    assert "只能导入 .xlsx 格式的 Excel 文件" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ImportJob.id))) == 0


def test_good_file_previewed_then_confirmed_writes_all_rows(db, client, setup, tmp_path):
    unit, user = setup
    child = make_unit("秘书科", parent=unit)
    rows = [
        cadre_row(unit, 姓名="甲"),
        cadre_row(child, birth=date(1990, 1, 2), 姓名="乙", 年轻干部="是", 单位=child.code),
        cadre_row(unit, birth=date(1979, 12, 31), 姓名="丙", 工作经历="2001—2010 某局科员"),
    ]
    before = cadre_count(db)
    token = token_of(upload(client, write_xlsx(tmp_path / "干部.xlsx", CADRE_HEADERS, rows)))
    job = job_of(db, token)
    assert (job.state, job.total_rows, job.to_create, job.to_update) == ("valid", 3, 3, 0)
    assert cadre_count(db) == before  # the preview writes nothing

    page = client.get(f"/excel/jobs/{token}").get_data(as_text=True)
    assert "检查通过：共 3 行，将新增 3 条，更新 0 条" in page
    assert "甲" in page and "乙" in page and "丙" in page
    assert rows[0]["身份证号码"] not in page  # ID numbers are shown masked

    response = client.post(f"/excel/jobs/{token}/confirm")
    assert response.status_code == 302
    db.session.refresh(job)
    assert (job.state, job.created_count, job.updated_count) == ("done", 3, 0)
    assert cadre_count(db) == before + 3
    second = db.session.scalars(select(Cadre).where(Cadre.name == "乙")).one()
    assert (second.unit_id, second.is_young, second.created_by_id) == (child.id, True, user.id)
    assert second.birth_date == date(1990, 1, 2)
    third = db.session.scalars(select(Cadre).where(Cadre.name == "丙")).one()
    assert third.work_history == "2001—2010 某局科员"
    assert third.appointed_on == date(2020, 1, 1)
    assert third.joined_party_on is None
    summary = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "import", AuditLog.user_id == user.id)
    ).one()
    assert "新增 3 条" in summary.summary
    created = db.session.scalar(
        select(func.count(AuditLog.id)).where(
            AuditLog.action == "create",
            AuditLog.object_type == "Cadre",
            AuditLog.user_id == user.id,
        )
    )
    assert created == 3
    assert "导入完成：新增 3 条，更新 0 条" in client.get(f"/excel/jobs/{token}").get_data(
        as_text=True
    )
    # A second confirm does nothing.
    client.post(f"/excel/jobs/{token}/confirm")
    assert cadre_count(db) == before + 3


def test_headers_may_be_reordered_and_marked_required(db, client, setup, tmp_path):
    unit, _user = setup
    headers = list(reversed(CADRE_HEADERS))
    row = cadre_row(unit)
    path = tmp_path / "干部.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([h + "*" if h == "姓名" else h for h in headers])
    sheet.append([row[h] for h in headers])
    workbook.save(path)
    job = job_of(db, token_of(upload(client, path)))
    assert job.state == "valid", job.errors


def test_existing_cadre_is_an_error_unless_update_is_ticked(db, client, setup, tmp_path):
    unit, _user = setup
    cadre = make_cadre(unit, name="赵六", position="副科长")
    row = cadre_row(
        unit, birth=cadre.birth_date, 姓名="赵六", 身份证号码=cadre.id_number, 职务="科长"
    )
    path = write_xlsx(tmp_path / "干部.xlsx", CADRE_HEADERS, [row])

    job = rejected(db, client, tmp_path, [row])
    assert job.errors == [
        [2, "身份证号码", "该身份证号码已登记（已存在）；如需更新，请勾选“是否更新已经存在的数据”"]
    ]

    token = token_of(upload(client, path, update=True))
    job = job_of(db, token)
    assert (job.state, job.to_create, job.to_update) == ("valid", 0, 1)
    assert "更新" in client.get(f"/excel/jobs/{token}").get_data(as_text=True)
    client.post(f"/excel/jobs/{token}/confirm")
    db.session.refresh(cadre)
    assert cadre.position == "科长"
    assert job_of(db, token).updated_count == 1
    change = db.session.scalars(
        select(AuditLog).where(
            AuditLog.action == "update",
            AuditLog.object_type == "Cadre",
            AuditLog.object_id == str(cadre.id),
        )
    ).one()
    assert change.after == {
        "position": "科长",
        "appointed_on": "2020-01-01",
        "joined_work_on": "2007-07-01",
    }


def test_update_leaves_columns_missing_from_the_file_alone(db, client, setup, tmp_path):
    unit, _user = setup
    cadre = make_cadre(unit, name="钱七", work_history="原有经历")
    row = cadre_row(unit, birth=cadre.birth_date, 姓名="钱七", 身份证号码=cadre.id_number)
    headers = [h for h in CADRE_HEADERS if h != "工作经历"]
    token = token_of(
        upload(client, write_xlsx(tmp_path / "干部.xlsx", headers, [row]), update=True)
    )
    client.post(f"/excel/jobs/{token}/confirm")
    db.session.refresh(cadre)
    assert cadre.work_history == "原有经历"


def test_a_number_held_outside_scope_previews_as_an_unknown_one(db, client, setup, tmp_path):
    # Hole 6: the preview must not tell whether a number exists outside the user's scope.
    unit, _user = setup
    elsewhere = make_unit("外单位")
    outsider = make_cadre(elsewhere, name="孙八")
    held = cadre_row(unit, birth=outsider.birth_date, 姓名="孙八", 身份证号码=outsider.id_number)
    unknown = cadre_row(
        unit, birth=outsider.birth_date, 姓名="孙八", 身份证号码=id_number(outsider.birth_date, 998)
    )
    jobs = []
    for row in (held, unknown):
        path = write_xlsx(tmp_path / "干部.xlsx", CADRE_HEADERS, [row])
        job = job_of(db, token_of(upload(client, path, update=True)))
        jobs.append((job.state, job.errors, job.to_create, job.to_update))
    assert jobs[0] == jobs[1] == ("valid", [], 1, 0)
    db.session.refresh(outsider)
    assert outsider.unit_id == elsewhere.id


def test_import_into_a_unit_outside_scope_is_refused(db, client, setup, tmp_path):
    unit, _user = setup
    elsewhere = make_unit("外单位")
    job = rejected(
        db, client, tmp_path, [cadre_row(unit), cadre_row(elsewhere, birth=date(1990, 1, 2))]
    )
    assert job.errors == [[3, "单位", "您无权向单位“外单位”导入数据（不在您的数据权限范围内）"]]


def test_rows_checked_again_at_confirm(db, client, setup, tmp_path):
    unit, _user = setup
    row = cadre_row(unit)
    token = token_of(
        upload(
            client,
            write_xlsx(
                tmp_path / "干部.xlsx",
                CADRE_HEADERS,
                [cadre_row(unit, birth=date(1990, 1, 2)), row],
            ),
        )
    )
    assert job_of(db, token).state == "valid"
    # Someone registers the same cadre between preview and confirm.
    make_cadre(unit, name="抢先", birth_date=date(1985, 3, 9), id_number=row["身份证号码"])
    before = cadre_count(db)
    client.post(f"/excel/jobs/{token}/confirm")
    job = job_of(db, token)
    assert job.state == "invalid"
    assert job.errors[0][:2] == [3, "身份证号码"]
    assert cadre_count(db) == before
    assert "数据在预览之后发生了变化" in client.get(f"/excel/jobs/{token}").get_data(as_text=True)


def test_cancel_drops_the_upload(db, client, setup, tmp_path, app):
    unit, _user = setup
    token = token_of(
        upload(client, write_xlsx(tmp_path / "干部.xlsx", CADRE_HEADERS, [cadre_row(unit)]))
    )
    job = job_of(db, token)
    from webapp.imports.jobs import import_files, staged_name, upload_name

    names = [upload_name(job), staged_name(job)]
    with app.test_request_context():
        assert all(import_files().size(name) is not None for name in names)
    client.post(f"/excel/jobs/{token}/cancel")
    assert job_of(db, token).state == "cancelled"
    with app.test_request_context():
        assert all(import_files().size(name) is None for name in names)
    before = cadre_count(db)
    client.post(f"/excel/jobs/{token}/confirm")
    assert cadre_count(db) == before


def test_a_job_belongs_to_its_uploader(db, client, setup, tmp_path, login):
    unit, _user = setup
    token = token_of(
        upload(client, write_xlsx(tmp_path / "干部.xlsx", CADRE_HEADERS, [cadre_row(unit)]))
    )
    other = make_user("supervisor", unit)
    client.post("/auth/logout")
    login(other.username)
    assert client.get(f"/excel/jobs/{token}").status_code == 404
    assert client.get(f"/excel/jobs/{token}/status").status_code == 404
    assert client.post(f"/excel/jobs/{token}/confirm").status_code == 404


def test_import_needs_the_edit_permission(db, client, login):
    viewer = make_user("viewer", make_unit())
    login(viewer.username)
    assert client.get("/excel/cadres/import").status_code == 403
    assert client.get("/excel/cadres/template").status_code == 403
    assert client.get("/excel/unknown/import").status_code == 404


def test_imported_cadres_are_found_by_initials(db, client, setup, tmp_path):
    unit, _user = setup
    rows = [cadre_row(unit, 姓名="王芳"), cadre_row(unit, 姓名="单雄信")]
    token = token_of(upload(client, write_xlsx(tmp_path / "干部.xlsx", CADRE_HEADERS, rows)))
    client.post(f"/excel/jobs/{token}/confirm")
    assert db.session.scalars(select(Cadre.name).where(cadre_matches("wf"))).all() == ["王芳"]
    assert db.session.scalars(select(Cadre.name).where(cadre_matches("sxx"))).all() == ["单雄信"]
