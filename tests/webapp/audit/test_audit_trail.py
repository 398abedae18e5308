"""Every create/update/delete, login and profile view leaves a trace nobody can edit."""

import pytest
from sqlalchemy import select

from tests.factories import make_cadre, make_unit, make_user
from tests.webapp.cadres.test_cadre_forms import valid_form
from webapp.audit.recorder import AppendOnlyError, acting_as, actor
from webapp.models import AccessLog, AuditLog, Cadre, LoginLog


def audit_rows(db, object_type, action=None):
    stmt = select(AuditLog).where(AuditLog.object_type == object_type)
    if action:
        stmt = stmt.where(AuditLog.action == action)
    return db.session.scalars(stmt.order_by(AuditLog.id)).all()


@pytest.fixture
def supervisor(db, login):
    user = make_user("supervisor", make_unit("市财政局"), username="auditme")
    login("auditme")
    return user


def test_create_is_audited_with_actor_ip_and_no_id_number(client, supervisor, db):
    unit = supervisor.unit
    form = valid_form(unit)
    client.post("/cadres/new", data=form)
    (row,) = audit_rows(db, "Cadre", "create")
    assert row.username == "auditme" and row.user_id == supervisor.id
    assert row.ip == "127.0.0.1"
    assert row.after["name"] == "王建国"
    assert row.after["id_number"] == "已填写（内容不记入日志）"
    assert form["id_number"][3:-2] not in str(row.after)
    cadre_id = db.session.scalars(select(Cadre.id).where(Cadre.name == "王建国")).one()
    assert row.object_id == str(cadre_id) == row.after["id"]


def test_update_records_before_and_after_of_changed_fields_only(client, supervisor, db):
    cadre = make_cadre(supervisor.unit, name="李四", position="科长")
    data = valid_form(
        supervisor.unit,
        name="李四",
        position="副局长",
        id_number=cadre.id_number,
        birth_date=cadre.birth_date.isoformat(),
    )
    client.post(f"/cadres/{cadre.id}/edit", data=data)
    row = audit_rows(db, "Cadre", "update")[-1]
    assert row.before["position"] == "科长" and row.after["position"] == "副局长"
    assert "name" not in row.after


def test_change_made_through_a_relationship_is_audited(db, supervisor):
    old, new = make_unit("旧上级"), make_unit("新上级")
    unit = make_unit("移动的单位", old)
    unit.parent = new  # as the unit form does: the foreign key is set only during the flush
    db.session.flush()
    row = audit_rows(db, "OrgUnit", "update")[-1]
    assert row.before["parent_id"] == old.id and row.after["parent_id"] == new.id
    created = [r for r in audit_rows(db, "OrgUnit", "create") if r.object_id == str(unit.id)]
    assert created[0].after["parent_id"] == old.id


def test_delete_is_audited(db, supervisor):
    unit = make_unit("待删除")
    db.session.delete(unit)
    db.session.flush()
    row = audit_rows(db, "OrgUnit", "delete")[-1]
    assert row.before["name"] == "待删除" and row.after is None
    assert row.object_id == str(row.before["id"]) != ""


def test_password_hash_never_reaches_the_log(db):
    make_user("viewer", make_unit(), username="hashcheck")
    row = audit_rows(db, "User", "create")[-1]
    assert row.after["password_hash"] == "******"


def test_login_attempts_are_logged(client, db):
    make_user("viewer", make_unit(), username="loginlog")
    client.post("/auth/login", data={"username": "loginlog", "password": "bad"})
    rows = db.session.scalars(select(LoginLog).where(LoginLog.username == "loginlog")).all()
    assert [(r.success, r.ip) for r in rows] == [(False, "127.0.0.1")]


def test_profile_view_is_logged(client, supervisor, db):
    cadre = make_cadre(supervisor.unit)
    client.get(f"/cadres/{cadre.id}")
    client.get(f"/cadres/{cadre.id}")
    rows = db.session.scalars(select(AccessLog).where(AccessLog.object_id == str(cadre.id))).all()
    assert len(rows) == 2
    assert {(r.username, r.object_type, r.path) for r in rows} == {
        ("auditme", "Cadre", f"/cadres/{cadre.id}")
    }


def test_log_rows_cannot_be_changed_or_deleted(db, supervisor):
    make_unit("留痕")
    row = audit_rows(db, "OrgUnit", "create")[-1]
    row.summary = "篡改"
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    row = db.session.scalars(select(AuditLog).limit(1)).first()
    db.session.delete(row)
    with pytest.raises(AppendOnlyError):
        db.session.flush()


def test_auditor_reads_filtered_logs_and_others_cannot(client, db, login):
    make_user("viewer", make_unit(), username="someone")
    client.post("/auth/login", data={"username": "someone", "password": "bad"})
    auditor = make_user("auditor", make_unit(), username="auditor1")
    login(auditor.username)
    page = client.get("/audit/logins?username=someone").get_data(as_text=True)
    assert "someone" in page and "失败" in page
    assert "auditor1" not in page.split("<tbody>")[1]
    assert client.get("/audit/operations?action=create").status_code == 200
    assert client.get("/audit/accesses").status_code == 200
    assert client.get("/cadres/").status_code == 403  # the auditor sees no case content
    client.post("/auth/logout")
    make_user("sysadmin", make_unit(), username="sys1")
    login("sys1")
    assert client.get("/audit/operations").status_code == 403


def test_no_route_edits_or_deletes_logs(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("audit."):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule


def test_acting_as_names_the_actor_outside_a_request(db):
    user = make_user("supervisor", make_unit(), username="importer")
    with acting_as(user, ip="10.0.0.9"):
        make_unit("导入的单位")
    with acting_as("system"):
        make_unit("定时任务的单位")
    rows = {r.summary: r for r in audit_rows(db, "OrgUnit", "create")}
    imported, scheduled = rows["导入的单位"], rows["定时任务的单位"]
    assert (imported.user_id, imported.username, imported.ip) == (user.id, "importer", "10.0.0.9")
    assert (scheduled.user_id, scheduled.username) == (None, "system")
    assert actor() == (None, "system", "")  # the block's actor does not leak out
