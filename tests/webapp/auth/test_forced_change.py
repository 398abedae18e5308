"""Until an initial, reset or expired password is changed, no other page opens."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.factories import PASSWORD
from webapp.auth.services import set_password
from webapp.models.auth import PasswordHistory

NEW = "Fresh-Garden-42"


def change(client, current=PASSWORD, new=NEW, confirm=None):
    return client.post(
        "/auth/password", data={"current": current, "new": new, "confirm": confirm or new}
    )


@pytest.fixture
def must_change(user, db):
    user.must_change_password = True
    db.session.commit()
    return user


@pytest.mark.parametrize("path", ["/", "/cadres/", "/me/sessions", "/me/notifications"])
def test_every_page_redirects_to_the_change_page(client, login, must_change, path):
    login("zhangsan")
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/password")


def test_posts_are_refused_until_the_password_is_changed(client, login, must_change):
    login("zhangsan")
    assert client.post("/me/notifications", data={"email": "y"}).status_code == 403
    assert client.post("/me/sessions/end-others").status_code == 403


def test_the_change_page_and_logout_stay_open(client, login, must_change):
    login("zhangsan")
    page = client.get("/auth/password").get_data(as_text=True)
    assert "首次登录或密码被重置" in page
    assert client.post("/auth/logout").status_code == 302


def test_after_the_change_pages_open_again(client, login, must_change):
    login("zhangsan")
    assert change(client).status_code == 302
    assert client.get("/cadres/").status_code == 200
    assert not must_change.must_change_password


def test_an_expired_password_forces_a_change_like_a_reset(client, login, user, db):
    user.password_changed_at = datetime.now(UTC) - timedelta(days=91)
    db.session.commit()
    response = login("zhangsan")
    assert response.headers["Location"].endswith("/auth/password")
    assert client.get("/").headers["Location"].endswith("/auth/password")
    assert "密码已超过使用期限" in client.get("/auth/password").get_data(as_text=True)
    assert change(client).status_code == 302
    assert client.get("/").status_code == 200


def test_a_max_age_of_zero_never_expires(client, login, user, db, set_param):
    set_param("auth.password_max_age_days", 0)
    user.password_changed_at = datetime.now(UTC) - timedelta(days=3650)
    db.session.commit()
    login("zhangsan")
    assert client.get("/").status_code == 200


def test_the_login_flow_keeps_no_password_in_the_cookie(client, login, must_change, app):
    login("zhangsan")
    cookie = client.get_cookie("session").value
    data = app.session_interface.get_signing_serializer(app).loads(cookie)
    assert set(data) <= {"_user_id", "_fresh", "_id", "sid", "_flashes", "csrf_token", "locale"}
    assert PASSWORD not in cookie and PASSWORD not in repr(data)


def test_the_password_may_not_contain_the_username(client, login, user):
    login("zhangsan")
    page = change(client, new="Zhangsan-2026!").get_data(as_text=True)
    assert "密码不得包含用户名" in page


def test_a_common_password_is_refused(client, login, user):
    login("zhangsan")
    assert "密码过于常见" in change(client, new="P@ssw0rd123").get_data(as_text=True)


def test_none_of_the_last_five_passwords_comes_back(client, login, user, db):
    set_password(user, PASSWORD)  # as the account's creation does
    db.session.commit()
    login("zhangsan")
    used = [PASSWORD] + [f"Rotation-{n}-Pw!" for n in range(1, 5)]
    current = PASSWORD
    for new in used[1:]:
        assert change(client, current=current, new=new).status_code == 302
        current = new
    for old in used:  # the current one and the four before it
        page = change(client, current=current, new=old).get_data(as_text=True)
        assert "不得与最近 5 次使用过的密码相同" in page
    assert change(client, current=current, new="Rotation-5-Pw!").status_code == 302
    assert change(client, current="Rotation-5-Pw!", new=PASSWORD).status_code == 302


def test_history_keeps_only_as_many_hashes_as_the_parameter(user, db, set_param):
    set_param("auth.password_history_count", 3)
    for n in range(6):
        set_password(user, f"Rotation-{n}-Pw!")
    db.session.commit()
    kept = db.session.scalars(
        select(PasswordHistory).where(PasswordHistory.user_id == user.id)
    ).all()
    assert len(kept) == 3
    assert user.password_hash in {row.password_hash for row in kept}
