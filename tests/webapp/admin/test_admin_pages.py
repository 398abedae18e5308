"""Sysadmin pages: users, units, dictionaries, parameters — validated, and for sysadmins only."""

import re

import pytest
from sqlalchemy import select

from tests.factories import PASSWORD, make_unit, make_user
from webapp.models import DataScope, DictItem, DictType, OrgUnit, Parameter, Role, User


def role_id(db, code):
    return db.session.scalars(select(Role.id).where(Role.code == code)).one()


def user_data(db, unit, **changes):
    data = {
        "username": "newuser",
        "full_name": "新用户",
        "email": "new@example.org",
        "unit_id": unit.id,
        "active": "y",
    }
    data.update(changes)
    return data


def test_sysadmin_creates_user_who_must_change_password(app, client, admin, db):
    response = client.post("/admin/users/new", data=user_data(db, admin.unit))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "已创建用户 newuser" in page
    shown = re.search(r"data-initial-password>([^<]+)<", page).group(1)
    # Shown once in the page, never carried in the (signed, not encrypted) session cookie.
    cookie = client.get_cookie("session")
    serializer = app.session_interface.get_signing_serializer(app)
    assert shown not in str(serializer.loads(cookie.value))
    assert shown not in client.get("/admin/users").get_data(as_text=True)
    user = db.session.scalars(select(User).where(User.username == "newuser")).one()
    assert user.must_change_password and user.data_scope == DataScope.SELF
    assert user.role.code == "unassigned" and user.unit_id == admin.unit.id


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"username": "坏 名字"}, "只能包含字母"),
        ({"email": "not-an-email"}, "电子邮箱格式不正确"),
        ({"unit_id": ""}, "此项为必填项"),
        ({"full_name": ""}, "此项为必填项"),
    ],
)
def test_bad_user_input_is_refused(client, admin, db, changes, message):
    page = client.post("/admin/users/new", data=user_data(db, admin.unit, **changes)).get_data(
        as_text=True
    )
    assert message in page
    assert db.session.scalars(select(User).where(User.username == "newuser")).first() is None


def test_duplicate_username_is_refused(client, admin, db):
    make_user("viewer", admin.unit, username="newuser")
    page = client.post("/admin/users/new", data=user_data(db, admin.unit)).get_data(as_text=True)
    assert "该用户名已存在" in page


def test_disable_user_keeps_its_lock_and_password(client, admin, db):
    user = make_user("viewer", admin.unit, username="victim")
    user.failed_logins = 3
    data = user_data(db, admin.unit, username="victim", full_name="受害者")
    data.pop("active")
    client.post(f"/admin/users/{user.id}", data=data)
    db.session.refresh(user)
    assert user.active is False and user.full_name == "受害者"
    assert user.failed_logins == 3 and not user.must_change_password  # the secadmin's to reset


def test_unit_tree_move_recomputes_paths(client, admin, db):
    a, b = make_unit("甲"), make_unit("乙")
    child = make_unit("甲下级", a)
    grandchild = make_unit("甲下下级", child)
    response = client.post(
        f"/admin/units/{child.id}",
        data={
            "code": child.code,
            "name": child.name,
            "parent_id": b.id,
            "sort_order": 0,
            "active": "y",
        },
    )
    assert response.status_code == 302
    db.session.refresh(child)
    db.session.refresh(grandchild)
    assert child.path.startswith(b.path) and grandchild.path.startswith(child.path)


def test_unit_cannot_move_under_itself(client, admin, db):
    a = make_unit("甲")
    child = make_unit("甲下级", a)
    page = client.post(
        f"/admin/units/{a.id}",
        data={"code": a.code, "name": a.name, "parent_id": child.id, "sort_order": 0},
    ).get_data(as_text=True)
    assert "不是有效的选择" in page
    db.session.refresh(a)
    assert a.parent_id is None


def test_unit_new_validates(client, admin, db):
    page = client.post(
        "/admin/units/new", data={"code": "", "name": "<b>x</b>", "sort_order": "abc"}
    ).get_data(as_text=True)
    assert "此项为必填项" in page and "不能包含 HTML 标记或脚本" in page
    assert db.session.scalars(select(OrgUnit).where(OrgUnit.name == "<b>x</b>")).first() is None


def test_parameter_edit_checks_type_and_bounds(client, admin, db):
    param = db.session.scalars(
        select(Parameter).where(Parameter.key == "auth.lockout_threshold")
    ).one()
    assert "请输入整数" in client.post(
        f"/admin/parameters/{param.id}", data={"value": "五"}
    ).get_data(as_text=True)
    assert "不能大于 20" in client.post(
        f"/admin/parameters/{param.id}", data={"value": "99"}
    ).get_data(as_text=True)
    assert client.post(f"/admin/parameters/{param.id}", data={"value": "3"}).status_code == 302
    db.session.refresh(param)
    assert param.value == "3"


def test_parameter_change_takes_effect(client, admin, db):
    param = db.session.scalars(
        select(Parameter).where(Parameter.key == "auth.lockout_threshold")
    ).one()
    client.post(f"/admin/parameters/{param.id}", data={"value": "2"})
    client.post("/auth/logout")
    make_user("viewer", admin.unit, username="lockme")
    client.post("/auth/login", data={"username": "lockme", "password": "bad"})
    page = client.post("/auth/login", data={"username": "lockme", "password": "bad"}).get_data(
        as_text=True
    )
    assert "账号已锁定" in page
    assert "账号已锁定" in client.post(
        "/auth/login", data={"username": "lockme", "password": PASSWORD}
    ).get_data(as_text=True)


def test_dictionary_item_add_and_duplicate_value(client, admin, db):
    dict_type = db.session.scalars(select(DictType).where(DictType.code == "source_channel")).one()
    data = {
        "value": "hotline_12345",
        "label": "12345热线",
        "sort_order": 20,
        "colour": "",
        "parent_id": 0,
        "default_tier": 0,
        "active": "y",
    }
    assert client.post(f"/admin/dictionaries/{dict_type.id}/new", data=data).status_code == 302
    assert db.session.scalars(select(DictItem).where(DictItem.value == "hotline_12345")).one()
    page = client.post(f"/admin/dictionaries/{dict_type.id}/new", data=data).get_data(as_text=True)
    assert "该键值已存在" in page


def test_situation_keeps_its_default_tier(client, admin, db):
    dict_type = db.session.scalars(
        select(DictType).where(DictType.code == "negative_situation")
    ).one()
    item = db.session.scalars(select(DictItem).where(DictItem.value == "drunk_driving")).one()
    data = {
        "value": item.value,
        "label": "酒驾醉驾",
        "sort_order": 1,
        "colour": "",
        "parent_id": item.parent_id,
        "default_tier": 3,
        "active": "y",
    }
    client.post(f"/admin/dictionaries/{dict_type.id}/{item.id}", data=data)
    db.session.refresh(item)
    assert item.extra["default_tier"] == 3


@pytest.mark.parametrize(
    "role", ["supervisor", "auditor", "secadmin", "viewer", "liaison", "approver"]
)
def test_admin_pages_are_for_sysadmins_only(client, login, db, role):
    user = make_user(role, make_unit())
    login(user.username)
    for url in ("/admin/users", "/admin/units", "/admin/dictionaries", "/admin/parameters"):
        assert client.get(url).status_code == 403


def test_scheduler_rhythms_are_checked_as_cron_expressions(client, admin, db):
    param = db.session.scalars(
        select(Parameter).where(Parameter.key == "scheduler.sweep_cron")
    ).one()
    page = client.post(f"/admin/parameters/{param.id}", data={"value": "每五分钟"})
    assert "五段式 cron" in page.get_data(as_text=True)
    response = client.post(f"/admin/parameters/{param.id}", data={"value": "*/10 * * * *"})
    assert response.status_code == 302
    db.session.refresh(param)
    assert param.value == "*/10 * * * *"
