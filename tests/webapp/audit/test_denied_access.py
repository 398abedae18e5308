"""Refused attempts (outside data scope, missing permission) leave a trace in the access log."""

from sqlalchemy import select

from tests.factories import make_cadre, make_unit, make_user
from webapp.models import AccessLog, DataScope


def denied_rows(db):
    stmt = select(AccessLog).where(AccessLog.denied.is_(True)).order_by(AccessLog.id)
    return db.session.scalars(stmt).all()


def test_opening_a_record_outside_scope_is_logged_as_denied(client, login, db):
    root = make_unit("根")
    own, other = make_unit("本部门", root), make_unit("其他部门", root)
    user = make_user("supervisor", own, DataScope.UNIT, username="prober")
    cadre = make_cadre(other)
    login("prober")
    assert client.get(f"/cadres/{cadre.id}").status_code == 404
    (row,) = denied_rows(db)
    assert (row.user_id, row.username, row.ip) == (user.id, "prober", "127.0.0.1")
    assert (row.object_type, row.object_id) == ("Cadre", str(cadre.id))
    assert row.path == f"/cadres/{cadre.id}"


def test_denied_edit_post_is_logged_and_changes_nothing(client, login, db):
    root = make_unit("根")
    own, other = make_unit("本部门", root), make_unit("其他部门", root)
    make_user("supervisor", own, DataScope.UNIT, username="prober2")
    cadre = make_cadre(other, name="原名")
    login("prober2")
    assert client.post(f"/cadres/{cadre.id}/edit", data={"name": "篡改"}).status_code == 404
    db.session.refresh(cadre)
    assert cadre.name == "原名"
    assert [(r.object_type, r.object_id) for r in denied_rows(db)] == [("Cadre", str(cadre.id))]


def test_a_record_that_does_not_exist_is_not_a_denial(client, login, db):
    make_user("supervisor", make_unit(), username="typo")
    login("typo")
    assert client.get("/cadres/987654").status_code == 404
    assert denied_rows(db) == []


def test_missing_permission_is_logged_as_denied_with_the_endpoint(client, login, db):
    user = make_user("viewer", make_unit(), username="curious")
    login("curious")
    assert client.get("/admin/users").status_code == 403
    (row,) = denied_rows(db)
    assert (row.user_id, row.username, row.ip) == (user.id, "curious", "127.0.0.1")
    assert (row.object_type, row.object_id, row.path) == ("endpoint", "admin.users", "/admin/users")


def test_allowed_views_are_not_marked_denied(client, login, db):
    user = make_user("supervisor", make_unit(), username="allowed")
    cadre = make_cadre(user.unit)
    login("allowed")
    assert client.get(f"/cadres/{cadre.id}").status_code == 200
    row = db.session.scalars(select(AccessLog).where(AccessLog.username == "allowed")).one()
    assert row.denied is False


def test_access_log_page_shows_denied_attempts_apart(client, login, db):
    root = make_unit("根")
    own, other = make_unit("本部门", root), make_unit("其他部门", root)
    make_user("supervisor", own, DataScope.UNIT, username="prober3")
    inside, outside = make_cadre(own), make_cadre(other)
    login("prober3")
    client.get(f"/cadres/{inside.id}")
    client.get(f"/cadres/{outside.id}")
    client.get("/admin/users")
    client.post("/auth/logout")
    make_user("auditor", make_unit(), username="auditor2")
    login("auditor2")
    page = client.get("/audit/accesses?username=prober3").get_data(as_text=True)
    body = page.split("<tbody>")[1]
    assert body.count("超出数据权限") == 1 and body.count("无权限") == 1
    assert body.count("已查看") == 1
    denied_only = client.get("/audit/accesses?username=prober3&result=denied").get_data(
        as_text=True
    )
    assert "已查看" not in denied_only.split("<tbody>")[1]
    assert "超出数据权限" in denied_only.split("<tbody>")[1]
