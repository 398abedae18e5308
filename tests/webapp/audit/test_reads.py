"""Lists and searches (with their filters), edit forms and the auditor's own reads are logged."""

import pytest
from sqlalchemy import select

from tests.factories import make_report, make_unit, make_user
from webapp.audit.reads import LOGGED_READS
from webapp.models import AccessLog, LoginLog


def reads_of(db, username):
    stmt = select(AccessLog).where(AccessLog.username == username).order_by(AccessLog.id)
    return db.session.scalars(stmt).all()


def test_a_search_is_logged_with_its_filters(client, login, db, world):
    login(world.supervisor.username)
    assert client.get("/negative-info/?q=张三&status=pending&unit_id=").status_code == 200
    (row,) = reads_of(db, world.supervisor.username)
    assert (row.action, row.object_type, row.object_id) == ("list", "NegativeInfo", "")
    assert row.filters == "q=张三&status=pending"  # empty filters left out
    assert (row.path, row.ip, row.user_id) == ("/negative-info/", "127.0.0.1", world.supervisor.id)


def test_the_cadre_picker_search_is_logged(client, login, db, world):
    login(world.supervisor.username)
    assert client.get("/talks/cadres.json?q=张").status_code == 200
    (row,) = reads_of(db, world.supervisor.username)
    assert (row.action, row.object_type, row.filters) == ("list", "Cadre", "q=张")


def test_opening_an_edit_form_is_logged_but_saving_is_not_a_read(client, login, db, world):
    info = make_report(world.cadre, created_by=world.supervisor)
    login(world.supervisor.username)
    assert client.get(f"/negative-info/{info.id}/edit").status_code == 200
    assert client.get(f"/cadres/{world.cadre.id}/edit").status_code == 200
    client.post(f"/negative-info/{info.id}/edit", data={})  # refused by validation: no read
    rows = reads_of(db, world.supervisor.username)
    assert [(r.action, r.object_type, r.object_id) for r in rows] == [
        ("edit", "NegativeInfo", str(info.id)),
        ("edit", "Cadre", str(world.cadre.id)),
    ]


def test_a_refused_list_is_logged_once_as_denied(client, login, db):
    make_user("viewer", make_unit(), username="nolist")
    login("nolist")
    assert client.get("/admin/users?q=x").status_code == 403
    (row,) = reads_of(db, "nolist")
    assert row.denied and (row.object_type, row.object_id) == ("endpoint", "admin.users")


def test_the_auditors_own_reads_of_the_logs_are_logged(client, login, db):
    make_user("auditor", make_unit(), username="watcher")
    login("watcher")
    client.get("/audit/operations?username=someone&action=update")
    client.get("/audit/logins")
    client.get("/audit/accesses?result=denied")
    client.get("/audit/verify")
    rows = reads_of(db, "watcher")
    assert [(r.action, r.object_type, r.filters) for r in rows] == [
        ("list", "AuditLog", "username=someone&action=update"),
        ("list", "LoginLog", ""),
        ("list", "AccessLog", "result=denied"),
        ("list", "LogChain", ""),
    ]
    page = client.get("/audit/accesses?username=watcher").get_data(as_text=True)
    assert "username=someone&amp;action=update" in page and "列表/查询" in page


def test_the_login_log_holds_a_logout(client, login, db):
    user = make_user("auditor", make_unit(), username="leaver")
    db.session.add(LoginLog(event="logout", username="leaver", user_id=user.id, success=True))
    db.session.commit()
    login("leaver")
    body = client.get("/audit/logins?username=leaver").get_data(as_text=True).split("<tbody>")[1]
    assert "退出登录" in body


@pytest.mark.parametrize("endpoint", sorted(LOGGED_READS))
def test_every_registered_read_is_a_get_endpoint(app, endpoint):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
    assert rules and all("GET" in r.methods for r in rules)
    read = LOGGED_READS[endpoint]
    if read.id_arg:
        assert all(read.id_arg in r.arguments for r in rules)


CASE_AREAS = ("cadres.", "negative_info.", "talks.", "inquiries.", "warnings.", "audit.")


def test_every_list_search_and_edit_form_of_a_case_area_is_registered(app):
    named = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(CASE_AREAS)
        and "GET" in rule.methods
        and rule.endpoint.rsplit(".", 1)[1] in ("index", "edit", "cadre_search", "pending", "queue")
    ]
    assert named and set(named) <= set(LOGGED_READS)
