"""The user page's 直接上级 select and 企业微信 userid (the sysadmin sets them)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.factories import make_unit, make_user
from webapp.models import Role


@pytest.fixture
def admin(db, login):
    user = make_user("sysadmin", make_unit("组织部"), username="sysadm")
    login("sysadm")
    return user


def superior_options(page: str) -> list[str]:
    select_html = re.search(r'<select id="superior_id".*?</select>', page, re.S).group(0)
    return re.findall(r'<option(?: selected)? value="(\d+)"', select_html)


def edit_data(db, user, **changes):
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "email": "",
        "role_id": db.session.scalars(select(Role.id).where(Role.id == user.role_id)).one(),
        "unit_id": user.unit_id,
        "data_scope": user.data_scope.value,
        "active": "y",
    }
    data.update(changes)
    return data


def test_superior_and_wecom_userid_are_saved(client, admin, db):
    boss = make_user("approver", admin.unit, username="boss")
    clerk = make_user("viewer", admin.unit, username="clerk")
    db.session.commit()
    page = client.get(f"/admin/users/{clerk.id}").get_data(as_text=True)
    offered = superior_options(page)
    assert "直接上级" in page and str(boss.id) in offered
    assert str(clerk.id) not in offered  # never himself
    response = client.post(
        f"/admin/users/{clerk.id}",
        data=edit_data(db, clerk, superior_id=boss.id, wecom_userid=" clerk-wx "),
    )
    assert response.status_code == 302
    db.session.refresh(clerk)
    assert clerk.superior_id == boss.id and clerk.wecom_userid == "clerk-wx"
    client.post(f"/admin/users/{clerk.id}", data=edit_data(db, clerk, superior_id=0))
    db.session.refresh(clerk)
    assert clerk.superior_id is None


def test_inactive_users_are_not_offered(client, admin, db):
    gone = make_user("approver", admin.unit, username="gone")
    gone.active = False
    clerk = make_user("viewer", admin.unit, username="clerk")
    db.session.commit()
    assert str(gone.id) not in superior_options(
        client.get(f"/admin/users/{clerk.id}").get_data(as_text=True)
    )
    page = client.post(
        f"/admin/users/{clerk.id}", data=edit_data(db, clerk, superior_id=gone.id)
    ).get_data(as_text=True)
    assert "请选择有效的启用用户" in page
    db.session.refresh(clerk)
    assert clerk.superior_id is None


def test_superior_cycle_is_refused(client, admin, db):
    top = make_user("minister", admin.unit, username="top")
    mid = make_user("approver", admin.unit, username="mid")
    low = make_user("viewer", admin.unit, username="low")
    db.session.flush()
    mid.superior_id = top.id
    low.superior_id = mid.id
    db.session.commit()
    page = client.post(
        f"/admin/users/{top.id}", data=edit_data(db, top, superior_id=low.id, full_name="改名")
    ).get_data(as_text=True)
    assert "所选上级的上级链中已有该用户，不能形成循环" in page
    assert 'value="改名"' in page  # what was typed is kept
    db.session.refresh(top)
    assert top.superior_id is None and top.full_name != "改名"


def test_self_as_superior_is_refused(client, admin, db):
    clerk = make_user("viewer", admin.unit, username="clerk")
    db.session.commit()
    page = client.post(
        f"/admin/users/{clerk.id}", data=edit_data(db, clerk, superior_id=clerk.id)
    ).get_data(as_text=True)
    assert "不能选择本人作为直接上级" in page


def test_wecom_userid_longer_than_64_is_refused(client, admin, db):
    clerk = make_user("viewer", admin.unit, username="clerk")
    db.session.commit()
    page = client.post(
        f"/admin/users/{clerk.id}", data=edit_data(db, clerk, wecom_userid="x" * 65)
    ).get_data(as_text=True)
    assert "不能超过 64 个字" in page
    db.session.refresh(clerk)
    assert clerk.wecom_userid == ""
