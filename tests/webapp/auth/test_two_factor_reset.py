"""Only the security admin resets two-factor login, never his own; logged, sessions ended."""

import pyotp
import pytest
from sqlalchemy import func, select

from tests.factories import PASSWORD, make_unit, make_user
from tests.webapp.auth.conftest import signed_in
from webapp.models import AuditLog
from webapp.models.auth import RecoveryCode, UserTotp


@pytest.fixture
def secadmin(db):
    return make_user("secadmin", make_unit(), username="baomi")


def rows(db, model, user) -> int:
    stmt = select(func.count()).select_from(model).where(model.user_id == user.id)
    return db.session.scalar(stmt)


def log_in_with_code(app, username, secret):
    """Log in through both steps in a browser of its own."""
    client = app.test_client()
    with app.app_context():
        client.post("/auth/login", data={"username": username, "password": PASSWORD})
    with app.app_context():
        client.post("/auth/login/code", data={"code": pyotp.TOTP(secret).now()})
    assert signed_in(client)
    return client


def reset(client, user):
    return client.post(f"/auth/users/{user.id}/two-factor/reset")


def test_the_security_admin_resets_another_users_two_factor(
    app, client, login, user, secadmin, enrol, browser, db
):
    secret, _codes = enrol(user)
    theirs = log_in_with_code(app, "zhangsan", secret)
    login("baomi")
    response = reset(client, user)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/grants/{user.id}")
    assert rows(db, UserTotp, user) == 0 and rows(db, RecoveryCode, user) == 0
    assert not signed_in(theirs)
    log = db.session.scalars(select(AuditLog).where(AuditLog.action == "totp_reset")).one()
    assert (log.username, log.object_type, log.object_id) == ("baomi", "User", str(user.id))
    # Back to the password alone (or to enrolment, if his role requires it).
    assert browser("zhangsan").get("/").status_code == 200


def test_the_security_admin_cannot_reset_his_own(app, secadmin, enrol, db):
    secret, _codes = enrol(secadmin)
    own = log_in_with_code(app, "baomi", secret)
    with app.app_context():
        assert reset(own, secadmin).status_code == 403
    assert rows(db, UserTotp, secadmin) == 1
    assert signed_in(own)


def test_the_system_admin_cannot_reset(client, login, user, enrol, db):
    enrol(user)
    make_user("sysadmin", make_unit(), username="sysop")
    login("sysop")
    assert reset(client, user).status_code == 403
    assert rows(db, UserTotp, user) == 1
    assert rows(db, RecoveryCode, user) == 10
    assert db.session.scalar(select(func.count()).where(AuditLog.action == "totp_reset")) == 0


def test_an_unknown_account_is_404(client, login, secadmin):
    login("baomi")
    assert client.post("/auth/users/999999/two-factor/reset").status_code == 404


def test_the_grant_page_offers_the_reset_only_for_an_enrolled_account(
    client, login, user, secadmin, enrol, db
):
    login("baomi")
    button = f'action="/auth/users/{user.id}/two-factor/reset"'
    assert button not in client.get(f"/admin/grants/{user.id}").get_data(as_text=True)
    enrol(user)
    page = client.get(f"/admin/grants/{user.id}").get_data(as_text=True)
    assert button in page and "重置两步验证" in page
    assert "two-factor/reset" not in client.get(f"/admin/grants/{secadmin.id}").get_data(
        as_text=True
    )
