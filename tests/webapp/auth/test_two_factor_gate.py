"""A role that requires two-factor login reaches no page before its holder has enrolled."""

import pyotp
import pytest

from tests.factories import make_unit, make_user

PAGES = ["/", "/cadres/", "/me/sessions", "/me/notifications", "/admin/users", "/audit/"]


@pytest.fixture
def admin(db):
    return make_user("sysadmin", make_unit(), username="sysop")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_sends_an_unenrolled_admin_to_enrolment(
    client, login, admin, enforce_totp, path
):
    assert login("sysop").headers["Location"].endswith("/me/two-factor")
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/me/two-factor")


@pytest.mark.parametrize("role", ["secadmin", "auditor", "approver", "minister"])
def test_the_default_list_covers_the_admins_approvers_and_ministers(
    client, login, db, enforce_totp, role
):
    make_user(role, make_unit(), username="someone")
    assert login("someone").headers["Location"].endswith("/me/two-factor")
    assert client.get("/").headers["Location"].endswith("/me/two-factor")


def test_posts_are_refused_before_enrolment(client, login, admin, enforce_totp):
    login("sysop")
    assert client.post("/me/notifications", data={"email": "y"}).status_code == 403
    assert client.post("/me/sessions/end-others").status_code == 403


def test_enrolment_opens_the_pages(client, login, admin, enforce_totp):
    login("sysop")
    assert client.get("/me/two-factor").status_code == 200
    assert client.post("/me/two-factor/start").status_code == 302
    page = client.get("/me/two-factor/enrol")
    assert page.status_code == 200
    secret = page.get_data(as_text=True).split('class="totp-secret">')[1].split("<")[0]
    code = pyotp.TOTP(secret.replace(" ", "")).now()
    assert client.post("/me/two-factor/enrol", data={"code": code}).status_code == 200
    assert client.get("/admin/users").status_code == 200


def test_an_optional_role_is_not_sent_to_enrolment(client, login, user, enforce_totp):
    assert login("zhangsan").headers["Location"] == "/"
    assert client.get("/me/sessions").status_code == 200


def test_the_parameter_adds_and_drops_case_roles(client, login, user, enforce_totp, set_param):
    set_param("auth.totp_required_roles", "supervisor")
    login("zhangsan")
    assert client.get("/me/sessions").headers["Location"].endswith("/me/two-factor")
    set_param("auth.totp_required_roles", "approver")
    assert client.get("/me/sessions").status_code == 200


def test_the_admins_need_it_whatever_the_list_says(client, login, admin, enforce_totp, set_param):
    set_param("auth.totp_required_roles", "approver")
    login("sysop")
    assert client.get("/").headers["Location"].endswith("/me/two-factor")


def test_a_password_change_comes_first_then_enrolment(client, login, admin, enforce_totp, db):
    admin.must_change_password = True
    db.session.commit()
    assert login("sysop").headers["Location"].endswith("/auth/password")
    assert client.get("/auth/password").status_code == 200
    assert client.get("/me/two-factor").headers["Location"].endswith("/auth/password")
