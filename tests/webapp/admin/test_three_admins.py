"""三员分立: the system admin keeps identities, the security admin grants, the auditor reads."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tests.factories import make_unit, make_user
from webapp.admin.cli import grant_admin_command
from webapp.admin.grants import GRANT_KIND, RESET_KIND
from webapp.clock import utc_now
from webapp.models import AuditLog, DataScope, Notification, Parameter, Role, User
from webapp.security.permissions import UNASSIGNED, Permission


def role(db, code: str) -> Role:
    return db.session.scalars(select(Role).where(Role.code == code)).one()


def identity(user: User | None = None, **changes) -> dict:
    """Return the system admin's identity form for an account, with changes."""
    data = {
        "username": user.username if user else "newuser",
        "full_name": user.full_name if user else "新用户",
        "email": "",
        "unit_id": user.unit_id if user else "",
        "superior_id": 0,
        "active": "y",
    }
    data.update(changes)
    return data


def grant(db, user: User, role_code: str, **changes) -> dict:
    """Return the 授权 form giving an account a role, keeping its unit."""
    data = {
        "role_id": role(db, role_code).id,
        "unit_id": user.unit_id,
        "data_scope": user.data_scope.value,
    }
    data.update(changes)
    return data


def notices(db, kind: str, recipient: User) -> list[Notification]:
    stmt = select(Notification).where(
        Notification.kind == kind, Notification.user_id == recipient.id
    )
    return list(db.session.scalars(stmt))


# ------------------------------------------------------------------ the system admin


def test_sysadmin_creates_an_account_with_no_role_whatever_is_posted(client_of, admins, db):
    sysadmin = client_of(admins.sysadmin)
    posted = identity(
        unit_id=admins.unit.id,
        role_id=role(db, "auditor").id,  # a field the form no longer has: ignored
        data_scope="all",
    )
    page = sysadmin.post("/admin/users/new", data=posted, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "已创建用户 newuser" in text
    initial = re.search(r"data-initial-password>([^<]+)<", text).group(1)
    user = db.session.scalars(select(User).where(User.username == "newuser")).one()
    assert user.role.code == UNASSIGNED and user.role.permissions == []
    assert user.data_scope == DataScope.SELF and user.must_change_password
    # The initial password opens nothing: no case page, no log.
    newcomer = client_of(user, initial)
    assert newcomer.get("/auth/password").status_code == 200
    user.must_change_password = False
    db.session.commit()
    for url in ("/cadres/", "/negative-info/", "/audit/operations", "/admin/users"):
        assert newcomer.get(url).status_code == 403, url


def test_the_initial_password_is_generated_never_the_one_the_sysadmin_types(
    app, client_of, admins, db
):
    sysadmin = client_of(admins.sysadmin)
    assert 'name="password"' not in sysadmin.get("/admin/users/new").get_data(as_text=True)
    posted = identity(unit_id=admins.unit.id, password="Chosen-By-Sys1")
    text = sysadmin.post("/admin/users/new", data=posted).get_data(as_text=True)
    initial = re.search(r"data-initial-password>([^<]+)<", text).group(1)
    assert initial != "Chosen-By-Sys1"
    typed = app.test_client().post(
        "/auth/login", data={"username": "newuser", "password": "Chosen-By-Sys1"}
    )
    assert typed.status_code == 200 and "用户名或密码错误" in typed.get_data(as_text=True)
    client_of(db.session.scalars(select(User).where(User.username == "newuser")).one(), initial)


def test_sysadmin_cannot_change_any_role_or_scope_not_even_his_own(client_of, admins, db):
    sysadmin = client_of(admins.sysadmin)
    for target in (admins.sysadmin, admins.supervisor):
        posted = identity(target, role_id=role(db, "auditor").id, data_scope="all")
        assert sysadmin.post(f"/admin/users/{target.id}", data=posted).status_code == 302
        db.session.refresh(target)
    assert admins.sysadmin.role.code == "sysadmin"
    assert admins.supervisor.role.code == "supervisor"
    assert admins.supervisor.data_scope == DataScope.UNIT
    page = sysadmin.get(f"/admin/users/{admins.supervisor.id}").get_data(as_text=True)
    assert 'name="role_id"' not in page and 'name="data_scope"' not in page


def test_sysadmin_keeps_the_unit_of_an_account_only_until_it_holds_a_role(client_of, admins, db):
    other = make_unit("其他部门", admins.unit)
    fresh = make_user(UNASSIGNED, admins.unit, DataScope.SELF, username="fresh1")
    db.session.commit()
    sysadmin = client_of(admins.sysadmin)
    sysadmin.post(f"/admin/users/{fresh.id}", data=identity(fresh, unit_id=other.id))
    sysadmin.post(
        f"/admin/users/{admins.supervisor.id}", data=identity(admins.supervisor, unit_id=other.id)
    )
    db.session.refresh(fresh)
    db.session.refresh(admins.supervisor)
    assert fresh.unit_id == other.id  # no role yet: the unit is identity
    assert admins.supervisor.unit_id == admins.unit.id  # bounds a scope: the 授权 page's


@pytest.mark.parametrize("who", ["secadmin", "auditor"])
def test_sysadmin_cannot_edit_the_other_administrators(client_of, admins, db, who):
    target = getattr(admins, who)
    sysadmin = client_of(admins.sysadmin)
    assert sysadmin.get(f"/admin/users/{target.id}").status_code == 403
    posted = identity(target, full_name="改名", active="")
    del posted["active"]
    assert sysadmin.post(f"/admin/users/{target.id}", data=posted).status_code == 403
    db.session.refresh(target)
    assert target.active and target.full_name != "改名"
    listing = sysadmin.get("/admin/users").get_data(as_text=True)
    assert f"/admin/users/{target.id}" not in listing


def test_sysadmin_resets_no_password_and_opens_no_grant_page(client_of, admins, db):
    sysadmin = client_of(admins.sysadmin)
    before = admins.supervisor.password_hash
    for url in (
        f"/admin/users/{admins.supervisor.id}/password",
        f"/admin/grants/{admins.supervisor.id}/password",
    ):
        response = sysadmin.post(url, data={"password": "Taken-Over-Passw0rd"})
        assert response.status_code in (403, 404, 405), url
    db.session.refresh(admins.supervisor)
    assert admins.supervisor.password_hash == before
    assert not admins.supervisor.must_change_password
    assert sysadmin.get("/admin/grants").status_code == 403
    assert sysadmin.get(f"/admin/grants/{admins.supervisor.id}").status_code == 403
    posted = grant(db, admins.supervisor, "approver")
    assert sysadmin.post(f"/admin/grants/{admins.supervisor.id}", data=posted).status_code == 403


def test_role_lists_in_parameters_offer_only_case_roles(client_of, admins, db):
    recorders = db.session.scalars(
        select(Parameter).where(Parameter.key == "warning.committee_recorder_roles")
    ).one()
    sysadmin = client_of(admins.sysadmin)
    page = sysadmin.get(f"/admin/parameters/{recorders.id}").get_data(as_text=True)
    assert 'value="sysadmin"' not in page and 'value="secadmin"' not in page
    page = sysadmin.post(
        f"/admin/parameters/{recorders.id}", data={"roles": ["reviewer", "sysadmin"]}
    ).get_data(as_text=True)
    assert "未知角色：sysadmin" in page
    db.session.refresh(recorders)
    assert "sysadmin" not in recorders.value


# ------------------------------------------------------------------ the security admin


def test_secadmin_grants_a_case_role_logged_and_told_to_the_auditor(client_of, admins, db):
    fresh = make_user(UNASSIGNED, admins.unit, DataScope.SELF, username="fresh2")
    db.session.commit()
    secadmin = client_of(admins.secadmin)
    assert "fresh2" in secadmin.get("/admin/grants").get_data(as_text=True)
    posted = grant(db, fresh, "supervisor", data_scope="unit_and_below")
    response = secadmin.post(f"/admin/grants/{fresh.id}", data=posted)
    assert response.status_code == 302
    db.session.refresh(fresh)
    assert fresh.role.code == "supervisor" and fresh.data_scope == DataScope.UNIT_AND_BELOW

    row = db.session.scalars(
        select(AuditLog).where(AuditLog.object_type == "User", AuditLog.object_id == str(fresh.id))
    ).all()[-1]
    assert row.username == "sec1" and row.action == "update"
    (notice,) = notices(db, GRANT_KIND, admins.auditor)
    assert "sec1" in notice.body and "fresh2" in notice.body and "监督员" in notice.body
    assert notice.link.startswith("/audit/operations")
    assert notices(db, GRANT_KIND, admins.secadmin) == []  # the auditor is told, no one else

    auditor = client_of(admins.auditor)
    log = auditor.get("/audit/operations?object_type=User").get_data(as_text=True)
    assert "sec1" in log and "fresh2" in log and "监督员" in log  # who, whom, what
    inbox = auditor.get("/inbox/").get_data(as_text=True)
    assert "账号授权变更" in inbox


def test_the_auditor_reads_both_administrators_actions(client_of, admins, db):
    client_of(admins.sysadmin).post(
        "/admin/units/new",
        data={
            "code": "newunit",
            "name": "新设部门",
            "parent_id": 0,
            "sort_order": 0,
            "active": "y",
        },
    )
    client_of(admins.secadmin).post(
        f"/admin/grants/{admins.supervisor.id}", data=grant(db, admins.supervisor, "reviewer")
    )
    log = client_of(admins.auditor).get("/audit/operations").get_data(as_text=True)
    assert "sys1" in log and "新设部门" in log
    assert "sec1" in log and "科长（审核）" in log


def test_nobody_changes_their_own_access(client_of, admins, db):
    secadmin = client_of(admins.secadmin)
    page = secadmin.get(f"/admin/grants/{admins.secadmin.id}").get_data(as_text=True)
    assert "不能修改本人的角色" in page
    posted = grant(db, admins.secadmin, "supervisor", data_scope="all")
    response = secadmin.post(f"/admin/grants/{admins.secadmin.id}", data=posted)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    errors = page.split('id="role_id-errors"')[1].split("</ul>")[0]
    assert "不能修改本人的角色、数据权限或密码重置状态" in errors
    own = f"/admin/grants/{admins.secadmin.id}"
    assert (
        secadmin.post(f"{own}/password", data={"password": "Self-Reset-Passw0rd"}).status_code
        == 403
    )
    assert secadmin.post(f"{own}/unlock").status_code == 403
    db.session.refresh(admins.secadmin)
    assert admins.secadmin.role.code == "secadmin" and not admins.secadmin.must_change_password


@pytest.mark.parametrize(("holder", "offered"), [("auditor", "supervisor"), ("sysadmin", "viewer")])
def test_an_administrator_holds_no_second_duty(client_of, admins, db, holder, offered):
    target = make_user(holder, admins.unit, username=f"t-{holder}")
    db.session.commit()
    secadmin = client_of(admins.secadmin)
    response = secadmin.post(f"/admin/grants/{target.id}", data=grant(db, target, offered))
    assert response.status_code == 400
    errors = response.get_data(as_text=True).split('id="role_id-errors"')[1].split("</ul>")[0]
    assert "管理员不能兼任其他管理员或业务角色" in errors
    db.session.refresh(target)
    assert target.role.code == holder


@pytest.mark.parametrize(
    ("holder", "offered"),
    [
        (UNASSIGNED, "auditor"),
        (UNASSIGNED, "secadmin"),
        (UNASSIGNED, "sysadmin"),
        ("sysadmin", "auditor"),
        ("secadmin", "sysadmin"),
        ("supervisor", "auditor"),
        ("viewer", "sysadmin"),
    ],
)
def test_the_grant_page_gives_no_administrator_role(client_of, admins, db, holder, offered):
    target = make_user(holder, admins.unit, username=f"a-{holder}")
    db.session.commit()
    secadmin = client_of(admins.secadmin)
    response = secadmin.post(f"/admin/grants/{target.id}", data=grant(db, target, offered))
    assert response.status_code == 400
    errors = response.get_data(as_text=True).split('id="role_id-errors"')[1].split("</ul>")[0]
    assert "管理员角色只能由运维人员在服务器上用 flask accounts grant-admin 命令授予" in errors
    db.session.refresh(target)
    assert target.role.code == holder
    assert notices(db, GRANT_KIND, admins.auditor) == []


def offered_roles(page: str) -> set[str]:
    """Return the names of the roles the 授权 page's role list offers."""
    select_html = page.split('name="role_id"')[1].split("</select>")[0]
    return set(re.findall(r"<option[^>]*>([^<]+)</option>", select_html))


def test_the_grant_page_offers_only_case_roles_and_none(client_of, admins, db):
    fresh = make_user(UNASSIGNED, admins.unit, DataScope.SELF, username="fresh5")
    db.session.commit()
    secadmin = client_of(admins.secadmin)
    offered = offered_roles(secadmin.get(f"/admin/grants/{fresh.id}").get_data(as_text=True))
    assert "未授权" in offered and "监督员（干部监督科）" in offered
    assert not offered & {"系统管理员", "安全保密管理员", "安全审计员"}
    # An administrator's page keeps his own role (so saving it revokes nothing), no other.
    page = secadmin.get(f"/admin/grants/{admins.auditor.id}").get_data(as_text=True)
    assert offered_roles(page) & {"系统管理员", "安全保密管理员", "安全审计员"} == {"安全审计员"}


@pytest.mark.parametrize(
    ("holder", "offered"),
    [
        ("sysadmin", UNASSIGNED),
        (UNASSIGNED, "supervisor"),
        ("supervisor", "reviewer"),
        ("auditor", "auditor"),
    ],
)
def test_revoking_or_a_first_duty_or_another_case_role_is_allowed(
    client_of, admins, db, holder, offered
):
    target = make_user(holder, admins.unit, username=f"ok-{holder}")
    db.session.commit()
    secadmin = client_of(admins.secadmin)
    response = secadmin.post(f"/admin/grants/{target.id}", data=grant(db, target, offered))
    assert response.status_code == 302
    db.session.refresh(target)
    assert target.role.code == offered


def test_a_role_mixing_duties_is_never_granted(client_of, admins, db):
    mixed = Role(
        code="mixed", name="混合", permissions=[Permission.USER_MANAGE, Permission.CADRE_VIEW]
    )
    db.session.add(mixed)
    fresh = make_user(UNASSIGNED, admins.unit, username="fresh3")
    db.session.commit()
    secadmin = client_of(admins.secadmin)
    response = secadmin.post(f"/admin/grants/{fresh.id}", data=grant(db, fresh, "mixed"))
    assert "违反三员分立" in response.get_data(as_text=True)
    db.session.refresh(fresh)
    assert fresh.role.code == UNASSIGNED


def test_secadmin_resets_a_password_and_unlocks_an_account(app, client_of, admins, db):
    target = admins.supervisor
    target.failed_logins, target.locked_until = 5, utc_now().replace(year=2099)
    db.session.commit()
    secadmin = client_of(admins.secadmin)
    page = secadmin.get(f"/admin/grants/{target.id}").get_data(as_text=True)
    assert "解除锁定" in page
    assert secadmin.post(f"/admin/grants/{target.id}/unlock").status_code == 302
    db.session.refresh(target)
    assert target.failed_logins == 0 and target.locked_until is None
    before = target.password_hash
    response = secadmin.post(f"/admin/grants/{target.id}/password")
    assert response.status_code == 200
    db.session.refresh(target)
    assert target.password_hash != before and target.must_change_password
    (notice,) = notices(db, RESET_KIND, admins.auditor)
    assert "sec1" in notice.body and "sup1" in notice.body
    # The generated password is in this response only: not in the cookie, not on the next page.
    shown = re.search(r"data-reset-password>([^<]+)<", response.get_data(as_text=True)).group(1)
    serializer = app.session_interface.get_signing_serializer(app)
    assert shown not in str(serializer.loads(secadmin.get_cookie("session").value))
    assert shown not in secadmin.get(f"/admin/grants/{target.id}").get_data(as_text=True)
    assert client_of(target, shown).get("/").headers["Location"].endswith("/auth/password")


def test_a_reset_password_is_generated_never_the_one_the_secadmin_types(app, client_of, admins, db):
    secadmin = client_of(admins.secadmin)
    page = secadmin.get(f"/admin/grants/{admins.supervisor.id}").get_data(as_text=True)
    assert 'name="password"' not in page
    response = secadmin.post(
        f"/admin/grants/{admins.supervisor.id}/password", data={"password": "Chosen-By-Sec1"}
    )
    shown = re.search(r"data-reset-password>([^<]+)<", response.get_data(as_text=True)).group(1)
    assert shown != "Chosen-By-Sec1"
    typed = app.test_client().post(
        "/auth/login", data={"username": "sup1", "password": "Chosen-By-Sec1"}
    )
    assert typed.status_code == 200 and "用户名或密码错误" in typed.get_data(as_text=True)


@pytest.mark.parametrize("who", ["supervisor", "auditor", "sysadmin"])
def test_grant_pages_are_for_the_security_admin_only(client_of, admins, db, who):
    client = client_of(getattr(admins, who))
    assert client.get("/admin/grants").status_code == 403
    assert client.get(f"/admin/grants/{admins.supervisor.id}").status_code == 403


def test_the_menu_shows_each_administrator_his_own_pages(client_of, admins, db):
    menus = {
        who: client_of(getattr(admins, who)).get("/").get_data(as_text=True)
        for who in ("sysadmin", "secadmin", "auditor")
    }
    assert "/admin/users" in menus["sysadmin"] and "/admin/grants" not in menus["sysadmin"]
    assert "/admin/grants" in menus["secadmin"] and "/admin/users" not in menus["secadmin"]
    assert "/audit/operations" in menus["auditor"] and "/admin/" not in menus["auditor"]


# ------------------------------------------------------------------ the first administrators


def test_the_operator_gives_a_database_its_first_security_admin(app, admins, db):
    fresh = make_user(UNASSIGNED, admins.unit, username="fresh4")
    db.session.commit()
    with app.app_context():
        result = CliRunner().invoke(grant_admin_command, ["fresh4", "secadmin"])
    assert result.exit_code == 0, result.output
    db.session.refresh(fresh)
    assert fresh.role.code == "secadmin"
    row = db.session.scalars(
        select(AuditLog).where(AuditLog.object_type == "User", AuditLog.object_id == str(fresh.id))
    ).all()[-1]
    assert row.username == "system"
    (notice,) = notices(db, GRANT_KIND, admins.auditor)
    assert "fresh4" in notice.body and "安全保密管理员" in notice.body


@pytest.mark.parametrize(
    ("holder", "offered"), [("supervisor", "secadmin"), (UNASSIGNED, "viewer")]
)
def test_the_operator_grants_no_case_role_and_no_second_duty(app, admins, db, holder, offered):
    target = make_user(holder, admins.unit, username="shell1")
    db.session.commit()
    with app.app_context():
        result = CliRunner().invoke(grant_admin_command, ["shell1", offered])
    assert result.exit_code != 0
    db.session.refresh(target)
    assert target.role.code == holder
