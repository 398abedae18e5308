"""Negative-information import and register export."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.factories import make_cadre, make_report, make_unit, make_user
from tests.webapp.imports.xlsx import token_of, upload, write_xlsx
from webapp.models import AuditLog, DataScope, ImportJob, NegativeInfo, NegativeInfoEvent
from webapp.negative_info.imports import NEGATIVE_INFO

HEADERS = [c.header for c in NEGATIVE_INFO.columns]


def ni_row(cadre, **changes) -> dict:
    row = {
        "干部姓名": cadre.name,
        "身份证号码": cadre.id_number,
        "信息类别": "干部监督",
        "具体情形": "一般性信访反映",
        "信息来源": "信访举报",
        "报送单位": "市信访局",
        "联络员": "",
        "来源文号": "信访〔2026〕12号",
        "发生时间": date(2026, 3, 1),
        "收到时间": "2026-03-05",
        "事实摘要": "反映其工作作风问题",
        "详细情况": "",
        "查处单位": "",
        "处理情况": "",
        "严重程度": "一般",
        "密级": "",
    }
    row.update(changes)
    return row


def count(db) -> int:
    return db.session.scalar(select(func.count(NegativeInfo.id)))


def job_of(db, token) -> ImportJob:
    return db.session.scalars(select(ImportJob).where(ImportJob.token == token)).one()


@pytest.fixture
def setup(db, login):
    unit = make_unit("市交通局")
    user = make_user("supervisor", unit, DataScope.UNIT_AND_BELOW)
    login(user.username)
    return unit, user


def send(client, tmp_path, rows):
    path = write_xlsx(tmp_path / "负面信息.xlsx", HEADERS, rows)
    return token_of(upload(client, path, kind="negative-info"))


def test_good_file_creates_numbered_pending_items_with_history(db, client, setup, tmp_path):
    unit, user = setup
    first, second = make_cadre(unit, name="周一"), make_cadre(unit, name="吴二")
    rows = [
        ni_row(first),
        ni_row(second, 具体情形="酒驾醉驾", 信息类别="执法司法", 严重程度="严重", 密级="秘密"),
        ni_row(first, 事实摘要="另一件事", 详细情况="<b>原文</b>"),
    ]
    token = send(client, tmp_path, rows)
    job = job_of(db, token)
    assert (job.state, job.to_create) == ("valid", 3), job.errors
    assert count(db) == 0
    client.post(f"/excel/jobs/{token}/confirm")
    assert job_of(db, token).state == "done"
    items = list(db.session.scalars(select(NegativeInfo).order_by(NegativeInfo.id)))
    assert [i.cadre_id for i in items] == [first.id, second.id, first.id]
    numbers = [i.number for i in items]
    assert len(set(numbers)) == 3 and all(n.startswith("FM-2026-") for n in numbers)
    assert [int(n.rsplit("-", 1)[1]) for n in numbers] == sorted(
        int(n.rsplit("-", 1)[1]) for n in numbers
    )
    drunk = items[1]
    assert (drunk.situation, drunk.default_tier, drunk.severity) == ("drunk_driving", 2, "serious")
    assert (drunk.confidentiality, items[0].confidentiality) == ("secret", "internal")
    assert all(i.status == "pending" and i.created_by_id == user.id for i in items)
    assert items[0].unit_id == unit.id and items[0].cadre_position == first.position
    assert items[2].details == "<b>原文</b>"
    assert items[0].received_on == date(2026, 3, 5)
    history = db.session.scalars(
        select(NegativeInfoEvent).where(NegativeInfoEvent.info_id == items[0].id)
    ).one()
    assert (history.event, history.to_status, history.actor_id) == ("created", "pending", user.id)
    assert db.session.scalars(
        select(AuditLog).where(AuditLog.action == "import", AuditLog.object_type == "NegativeInfo")
    ).one()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"具体情形": "酒驾醉驾"}, [2, "具体情形", "所选具体情形不属于该信息类别"]),
        ({"发生时间": "2026-03-09"}, [2, "发生时间", "发生时间不能晚于收到时间"]),
        ({"收到时间": "2999-01-01"}, [2, "收到时间", "日期不能晚于今天"]),
        ({"发生时间": "三月"}, [2, "发生时间", "日期格式应为 年-月-日，例如 2026-01-31"]),
        (
            {"干部姓名": "别人"},
            [2, "干部姓名", "与身份证号码对应的干部姓名不一致（系统中为“郑三”）"],
        ),
        (
            {"信息来源": "道听途说"},
            [
                2,
                "信息来源",
                "“道听途说”不是可选的值，应为：巡视巡察、审计、信访举报、12380、个人有关事项报告查核、干部人事档案审核、纪检监察通报、考核考察、网络舆情、公检法移送、日常监督、其他",
            ],
        ),
        ({"事实摘要": "字" * 1001}, [2, "事实摘要", "不能超过 1000 个字"]),
    ],
)
def test_bad_rows_are_refused(db, client, setup, tmp_path, changes, error):
    unit, _user = setup
    cadre = make_cadre(unit, name="郑三")
    job = job_of(db, send(client, tmp_path, [ni_row(cadre, **changes)]))
    assert job.state == "invalid"
    assert job.errors == [error]
    assert count(db) == 0


def test_cadre_outside_scope_or_unknown_gets_the_same_answer(db, client, setup, tmp_path):
    unit, _user = setup
    outsider = make_cadre(make_unit("外单位"), name="王外")
    mine = make_cadre(unit, name="王内")
    unknown = ni_row(mine, 身份证号码="11010519491231002X", 干部姓名="无名")
    job = job_of(db, send(client, tmp_path, [ni_row(mine), ni_row(outsider), unknown]))
    message = "系统中没有该身份证号码的干部，或该干部不在您的数据权限范围内"
    assert job.errors == [[3, "身份证号码", message], [4, "身份证号码", message]]
    assert count(db) == 0


def test_duplicate_rows_in_the_file(db, client, setup, tmp_path):
    unit, _user = setup
    cadre = make_cadre(unit)
    job = job_of(
        db, send(client, tmp_path, [ni_row(cadre), ni_row(cadre, 事实摘要="别的"), ni_row(cadre)])
    )
    assert job.errors == [[4, "身份证号码", "与第 2 行重复"]]


def test_template_and_permissions(db, client, setup, login):
    response = client.get("/excel/negative-info/template")
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    client.post("/auth/logout")
    liaison = make_user("liaison", make_unit())
    login(liaison.username)
    assert client.get("/excel/negative-info/import").status_code == 403
    assert client.get("/excel/negative-info/export").status_code == 403


def test_register_export_follows_scope_and_filters(db, client, setup):
    unit, user = setup
    mine = make_report(make_cadre(unit, name="冯内"), summary="本单位的信息")
    make_report(
        make_cadre(unit, name="冯二"),
        status="verifying",
        summary="核实中的信息",
        verification_due=date(2027, 1, 7),
        verification_due_provisional=True,
    )
    make_report(make_cadre(make_unit("外单位"), name="冯外"), summary="外单位的信息")
    response = client.get("/excel/negative-info/export")
    data = response.data
    response.close()
    rows = [
        list(r) for r in load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True)
    ]
    assert rows[0][:3] == ["编号", "干部姓名", "单位"]
    assert sorted(r[1] for r in rows[1:]) == ["冯二", "冯内"]
    first = next(r for r in rows if r[1] == "冯内")
    assert first[0] == mine.number and first[2] == "市交通局" and first[5] == "一般性信访反映"
    assert first[15] == "待核实"
    second = next(r for r in rows if r[1] == "冯二")
    assert second[16] == "2027-01-07（待节假日数据确认）"

    response = client.get("/excel/negative-info/export?status=verifying")
    data = response.data
    response.close()
    filtered = list(load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True))
    assert [r[1] for r in filtered[1:]] == ["冯二"]
    logs = db.session.scalars(
        select(AuditLog.summary).where(
            AuditLog.action == "export",
            AuditLog.object_type == "NegativeInfo",
            AuditLog.user_id == user.id,
        )
    ).all()
    assert len(logs) == 2 and "导出负面信息台账 2 条" in logs[0]


def test_the_negative_info_area_offers_its_import(app, db):
    from webapp.imports import jobs
    from webapp.imports.routes import import_kinds as imports_area_kinds
    from webapp.negative_info.imports import import_kinds

    assert NEGATIVE_INFO in import_kinds(app)
    assert NEGATIVE_INFO not in imports_area_kinds(app)
    with app.test_request_context():
        assert jobs.spec_for("negative-info") is NEGATIVE_INFO


def test_imported_and_typed_items_are_built_alike(db, client, setup, tmp_path):
    """One row builder and one history builder: only number, time and note may differ."""
    from webapp.negative_info.services import create_report

    unit, user = setup
    cadre = make_cadre(unit, name="同源")
    token = send(client, tmp_path, [ni_row(cadre)])
    client.post(f"/excel/jobs/{token}/confirm")
    imported = db.session.scalars(select(NegativeInfo)).one()
    values = {
        "category": "supervision",
        "situation": "general_petition",
        "source_channel": "petition",
        "reporting_unit": "市信访局",
        "liaison_name": "",
        "source_document_number": "信访〔2026〕12号",
        "occurred_on": date(2026, 3, 1),
        "received_on": date(2026, 3, 5),
        "summary": "反映其工作作风问题",
        "details": "",
        "handling_unit": "",
        "handling_result": "",
        "severity": "minor",
        "confidentiality": "internal",
    }
    typed = create_report(user, cadre, values)
    skipped = {"id", "number", "created_at", "updated_at"}
    columns = [c.key for c in NegativeInfo.__table__.columns if c.key not in skipped]
    assert {k: getattr(typed, k) for k in columns} == {k: getattr(imported, k) for k in columns}
    shape = ("event", "from_status", "to_status", "actor_id", "actor_name", "changes")
    assert [tuple(getattr(h, k) for k in shape) for h in typed.history] == [
        tuple(getattr(h, k) for k in shape) for h in imported.history
    ]
