"""The logs speak the users' words: states, tiers and roles by name, records by number and name."""

import re

import pytest
from sqlalchemy import inspect

from tests.factories import make_unit, make_user
from tests.helpers import act, audited_models
from webapp.audit.labels import MODEL_LABELS, field_label
from webapp.audit.routes import LogFilterForm
from webapp.models import DataScope
from webapp.warnings import services


def outside_toggles(html: str) -> str:
    return re.sub(r"<details.*?</details>", "", html, flags=re.S)


def body(client, url):
    page = client.get(url).get_data(as_text=True)
    return outside_toggles(page.split("<tbody>")[1].split("</tbody>")[0])


@pytest.fixture
def auditor(client, login, db):
    def read_as_auditor():
        client.post("/auth/logout")
        make_user("auditor", make_unit(), username="wordsauditor")
        login("wordsauditor")

    return read_as_auditor


def test_a_warning_reads_by_number_and_cadre_with_states_and_roles_in_words(
    client, db, world, auditor
):
    warning = services.create_warning(world.supervisor, world.cadre.id, 1, [], "x")
    act(warning, "submit", world.supervisor)
    db.session.commit()
    auditor()
    shown = body(client, "/audit/operations?object_type=Warning&action=update")
    assert f"预警 {warning.number} {world.cadre.name}" in shown
    assert "状态：拟预警 → 待审批" in shown
    assert "待审批角色：（空） → 科长" in shown and "审批步骤：（空） → 第 1 步" in shown
    for code in ("pending_approval", "draft", "reviewer"):
        assert code not in shown
    created = body(client, "/audit/operations?object_type=Warning&action=create")
    assert "预警等级：一级预警（黄色）" in created


def test_a_warning_side_record_is_named_by_its_warning(client, db, world, auditor):
    warning = services.create_warning(world.supervisor, world.cadre.id, 1, [], "x")
    act(warning, "submit", world.supervisor)
    act(warning, "approve", world.reviewer)
    db.session.commit()
    auditor()
    shown = body(client, "/audit/operations?object_type=Approval")
    assert f"预警审批 {warning.number}" in shown
    assert "审批意见：同意" in shown and "approved" not in shown


def test_account_settings_read_as_words(client, db, auditor):
    make_user("viewer", make_unit(), DataScope.UNIT_AND_BELOW, username="scoped")
    auditor()
    shown = body(client, "/audit/operations?object_type=User&action=create&username=")
    row = next(r for r in shown.split("</tr>") if "（scoped）" in r)
    assert "数据权限：本部门及以下" in row and "unit_and_below" not in row


def test_json_settings_are_labelled_not_dumped(client, db, login, auditor):
    from webapp.admin.services import save_dict_item
    from webapp.models import DictType

    situations = db.session.query(DictType).filter_by(code="negative_situation").one()
    data = {
        "value": "new_case",
        "label": "新情形",
        "sort_order": 1,
        "colour": "",
        "active": True,
        "parent_id": 0,
        "default_tier": 2,
    }
    save_dict_item(situations, None, data)
    auditor()
    shown = body(client, "/audit/operations?object_type=DictItem&action=create")
    assert "附加设置：默认预警等级：二级预警（橙色）" in shown
    assert '"default_tier"' not in shown


def test_login_reasons_read_as_words(client, login, db):
    make_user("viewer", make_unit(), username="reasons")
    db.session.commit()
    login("reasons", "wrong-password")
    login("reasons")
    client.post("/auth/logout")
    make_user("auditor", make_unit(), username="reasonsauditor")
    login("reasonsauditor")
    shown = body(client, "/audit/logins?username=reasons")
    assert "密码错误" in shown and "登录成功" in shown and "退出登录" in shown
    assert "bad_password" not in shown and ">ok<" not in shown


def test_a_denied_page_is_named_by_its_menu_entry(client, login, db):
    make_user("viewer", make_unit(), username="deniedviewer")
    login("deniedviewer")
    assert client.get("/admin/users").status_code == 403
    client.post("/auth/logout")
    make_user("auditor", make_unit(), username="deniedauditor")
    login("deniedauditor")
    shown = body(client, "/audit/accesses?username=deniedviewer&result=denied")
    assert "功能 用户管理" in shown


@pytest.mark.parametrize("model", audited_models(), ids=lambda m: m.__name__)
def test_every_audited_model_and_column_has_a_chinese_label(model):
    name = model.__name__
    assert name in MODEL_LABELS, f"{name}: 未声明中文名称（webapp/audit/labels.py）"
    unlabelled = [
        attr.key
        for attr in inspect(model).column_attrs
        if attr.key not in ("id", "created_at", "updated_at")
        and field_label(name, attr.key) == attr.key
    ]
    assert unlabelled == [], f"{name}: 以下列未声明中文标签（webapp/audit/labels.py）"


def test_the_type_filter_offers_every_audited_model_by_name(app):
    with app.test_request_context():
        choices = {value: label for value, label, *_rest in LogFilterForm().object_type.choices}
    for model in audited_models():
        assert str(choices[model.__name__]) == str(MODEL_LABELS[model.__name__])


def test_a_parameter_change_reads_in_its_own_words(client, login, db):
    from sqlalchemy import select

    from webapp.models import Parameter

    make_user("sysadmin", make_unit(), username="paramchanger")
    login("paramchanger")
    chain = db.session.scalars(
        select(Parameter).where(Parameter.key == "warning.tier1.approval_chain")
    ).one()
    steps = {"steps": ["reviewer", "minister"]}
    assert client.post(f"/admin/parameters/{chain.id}", data=steps).status_code == 302
    cron = db.session.scalars(
        select(Parameter).where(Parameter.key == "scheduler.holiday_reminder_cron")
    ).one()
    assert client.post(f"/admin/parameters/{cron.id}", data={"value": "30 0 * * 1-5"}).status_code
    client.post("/auth/logout")
    make_user("auditor", make_unit(), username="paramauditor")
    login("paramauditor")
    shown = body(client, "/audit/operations?object_type=Parameter&action=update")
    assert "参数 一级预警审批链（按审批顺序）" in shown
    assert "参数值：「科长（审核） → 分管领导（审定）」 → 「科长（审核） → 部长（审定）」" in shown
    assert "参数值：每天 09:00（0 1 * * *） → 每周一至周五 08:30（30 0 * * 1-5）" in shown
    assert "reviewer" not in shown


def test_no_summary_reads_as_a_python_object(client, db, auditor):
    from webapp.models import AuditLog

    make_user("viewer", make_unit(), username="reprcheck")
    db.session.add(  # a row written before summaries said nothing for such models
        AuditLog(username="system", action="update", object_type="Parameter", object_id="1",
                 summary="<webapp.models.settings.Parameter object at 0x7f00aa>")
    )  # fmt: skip
    db.session.commit()
    auditor()
    page = client.get("/audit/operations").get_data(as_text=True)
    assert "object at 0x" not in page


def test_a_model_without_a_name_of_its_own_writes_no_summary(db):
    from webapp.models import AuditLog, DictType

    dict_type = DictType(code="repr_check", name="检查")
    db.session.add(dict_type)
    db.session.flush()
    row = (
        db.session.query(AuditLog)
        .filter(AuditLog.object_type == "DictType", AuditLog.object_id == str(dict_type.id))
        .one()
    )
    assert row.summary == ""


def test_a_search_reads_as_its_filters_in_words(client, login, db, world):
    login(world.supervisor.username)
    unit = world.cadre.unit
    url = f"/negative-info/?q=张三&status=true&unit_id={unit.id}&source_channel=petition"
    assert client.get(url).status_code == 200
    client.post("/auth/logout")
    make_user("auditor", make_unit(), username="filterauditor")
    login("filterauditor")
    page = client.get(f"/audit/accesses?username={world.supervisor.username}")
    shown = body(client, f"/audit/accesses?username={world.supervisor.username}")
    assert page.status_code == 200
    line = re.sub(r'<div class="muted"><code>.*?</code></div>', "", shown, flags=re.S)
    assert f"关键词：张三；核实状态：属实；单位：{unit.name}；信息来源：" in line
    assert "status=" not in line and "unit_id" not in line


def test_warning_names_cost_one_query_for_the_page(client, db, world, auditor):
    from sqlalchemy import event

    from webapp.extensions import db as _db

    for _n in range(4):
        warning = services.create_warning(world.supervisor, world.cadre.id, 1, [], "x")
        act(warning, "submit", world.supervisor)
    db.session.commit()
    auditor()
    statements = []
    engine = _db.session.get_bind().engine

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        shown = body(client, "/audit/operations?object_type=Warning")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert shown.count(f"{world.cadre.name} <span") >= 8
    assert sum("FROM warning" in s for s in statements) == 1
