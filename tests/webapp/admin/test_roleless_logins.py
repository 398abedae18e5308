"""A case role for an account that logged in while it held no role needs an explicit check."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests.factories import make_user
from webapp.admin.grants import GRANT_KIND, Grant, SeparationRefused, apply_grant
from webapp.admin.roleless_logins import RoleChange, role_at, roleless_logins
from webapp.models import DataScope, Notification, Role, User
from webapp.security.permissions import UNASSIGNED

WARNING = "该账号在未授权期间已登录"
CHECKBOX = 'name="roleless_login_confirmed"'


def at(hour: int) -> datetime:
    return datetime(2026, 3, 1, hour, tzinfo=UTC)


# ------------------------------------------------------------------ the role at a moment

CHANGES = [RoleChange(at(8), None, 1), RoleChange(at(10), 1, 2), RoleChange(at(12), 2, 1)]


@pytest.mark.parametrize(
    ("moment", "held"), [(at(9), 1), (at(10), 2), (at(11), 2), (at(13), 1), (at(7), None)]
)
def test_the_role_at_a_moment_is_the_last_change_before_it(moment, held):
    assert role_at(moment, CHANGES, current=1) == held


def test_a_login_before_the_first_logged_change_held_the_role_that_change_replaced():
    assert role_at(at(9), [RoleChange(at(10), 3, 2)], current=2) == 3


def test_without_logged_changes_the_account_always_held_its_current_role():
    assert role_at(at(9), [], current=5) == 5


# ------------------------------------------------------------------ the 授权 page


def role_id(db, code: str) -> int:
    return db.session.scalars(select(Role.id).where(Role.code == code)).one()


def grant(db, user: User, role_code: str, **changes) -> dict:
    data = {"role_id": role_id(db, role_code), "unit_id": user.unit_id, "data_scope": "unit"}
    data.update(changes)
    return data


def grant_notices(db, recipient: User) -> list[Notification]:
    stmt = select(Notification).where(
        Notification.kind == GRANT_KIND, Notification.user_id == recipient.id
    )
    return list(db.session.scalars(stmt))


@pytest.fixture
def fresh(db, admins) -> User:
    user = make_user(UNASSIGNED, admins.unit, DataScope.SELF, username="fresh9")
    db.session.commit()
    return user


def test_a_roleless_login_asks_the_secadmin_to_confirm_before_a_case_role(
    client_of, admins, db, fresh
):
    client_of(fresh)  # someone logs in while the account holds no role
    secadmin = client_of(admins.secadmin)
    page = secadmin.get(f"/admin/grants/{fresh.id}").get_data(as_text=True)
    assert WARNING in page and "1 次" in page and CHECKBOX in page

    response = secadmin.post(f"/admin/grants/{fresh.id}", data=grant(db, fresh, "supervisor"))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    errors = text.split('id="roleless_login_confirmed-errors"')[1].split("</ul>")[0]
    assert "请先与本人核实" in errors
    db.session.refresh(fresh)
    assert fresh.role.code == UNASSIGNED and grant_notices(db, admins.auditor) == []

    posted = grant(db, fresh, "supervisor", roleless_login_confirmed="y")
    assert secadmin.post(f"/admin/grants/{fresh.id}", data=posted).status_code == 302
    db.session.refresh(fresh)
    assert fresh.role.code == "supervisor"
    (notice,) = grant_notices(db, admins.auditor)
    assert f"{WARNING} 1 次" in notice.body and "已勾选确认与本人核实" in notice.body


def test_an_account_that_never_logged_in_is_granted_without_the_check(client_of, admins, db, fresh):
    secadmin = client_of(admins.secadmin)
    page = secadmin.get(f"/admin/grants/{fresh.id}").get_data(as_text=True)
    assert WARNING not in page and CHECKBOX not in page
    response = secadmin.post(f"/admin/grants/{fresh.id}", data=grant(db, fresh, "viewer"))
    assert response.status_code == 302
    db.session.refresh(fresh)
    assert fresh.role.code == "viewer"
    (notice,) = grant_notices(db, admins.auditor)
    assert WARNING not in notice.body


def test_logins_while_holding_a_case_role_need_no_check_after_a_revocation(client_of, admins, db):
    worker = make_user("supervisor", admins.unit, DataScope.UNIT, username="worker1")
    db.session.commit()
    client_of(worker)
    secadmin = client_of(admins.secadmin)
    revoked = secadmin.post(f"/admin/grants/{worker.id}", data=grant(db, worker, UNASSIGNED))
    assert revoked.status_code == 302
    db.session.refresh(worker)
    assert worker.role.code == UNASSIGNED and roleless_logins(worker) == []
    response = secadmin.post(f"/admin/grants/{worker.id}", data=grant(db, worker, "reviewer"))
    assert response.status_code == 302
    db.session.refresh(worker)
    assert worker.role.code == "reviewer"


def test_a_login_after_a_revocation_needs_the_check(client_of, admins, db):
    worker = make_user("supervisor", admins.unit, DataScope.UNIT, username="worker2")
    db.session.commit()
    secadmin = client_of(admins.secadmin)
    revoked = secadmin.post(f"/admin/grants/{worker.id}", data=grant(db, worker, UNASSIGNED))
    assert revoked.status_code == 302
    client_of(worker)  # logs in with no role
    db.session.refresh(worker)
    assert len(roleless_logins(worker)) == 1
    response = secadmin.post(f"/admin/grants/{worker.id}", data=grant(db, worker, "supervisor"))
    assert response.status_code == 400
    db.session.refresh(worker)
    assert worker.role.code == UNASSIGNED


def test_revoking_again_needs_no_check(client_of, admins, db, fresh):
    client_of(fresh)
    secadmin = client_of(admins.secadmin)
    posted = grant(db, fresh, UNASSIGNED, data_scope="self")
    assert secadmin.post(f"/admin/grants/{fresh.id}", data=posted).status_code == 302


def test_the_service_refuses_an_unconfirmed_grant_too(client_of, admins, db, fresh):
    client_of(fresh)
    command = Grant(role_id(db, "supervisor"), fresh.unit_id, DataScope.UNIT)
    with pytest.raises(SeparationRefused):
        apply_grant(admins.secadmin, fresh, command)
    db.session.refresh(fresh)
    assert fresh.role.code == UNASSIGNED
