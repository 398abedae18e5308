"""登录会话: a user sees his living sessions and ends the others, never anyone else's."""

from sqlalchemy import select

from tests.factories import make_user
from tests.webapp.auth.conftest import signed_in
from webapp.models.auth import UserSession


def session_ids(db, user):
    return db.session.scalars(
        select(UserSession.id).where(UserSession.user_id == user.id).order_by(UserSession.id)
    ).all()


def test_the_user_menu_links_to_the_sessions_page(user, browser):
    page = browser().get("/").get_data(as_text=True)
    assert 'href="/me/sessions"' in page


def test_the_page_lists_living_sessions_and_marks_this_one(user, db, browser):
    office, home = browser(agent="Office/1.0"), browser(agent="Home/2.0")
    home.post("/auth/logout")
    browser(agent="Phone/3.0")
    page = office.get("/me/sessions").get_data(as_text=True)
    assert "Office/1.0" in page and "Phone/3.0" in page
    assert "Home/2.0" not in page  # logged out: not living
    assert page.count("当前会话") == 1
    assert "结束其他所有会话" in page


def test_ending_another_session_logs_that_browser_out(user, db, browser):
    office, home = browser(agent="Office/1.0"), browser(agent="Home/2.0")
    _office_id, home_id = session_ids(db, user)
    response = office.post(f"/me/sessions/{home_id}/end")
    assert response.status_code == 302
    assert not signed_in(home)
    assert signed_in(office)
    assert db.session.get(UserSession, home_id).end_reason == "ended_by_user"


def test_the_current_session_and_other_users_sessions_cannot_be_ended_here(user, db, browser):
    other = make_user("viewer", user.unit, username="lisi")
    office = browser()
    stranger = browser("lisi")
    own_id = session_ids(db, user)[0]
    [stranger_id] = session_ids(db, other)
    assert office.post(f"/me/sessions/{stranger_id}/end").status_code == 404
    assert office.post(f"/me/sessions/{own_id}/end").status_code == 404
    assert signed_in(stranger) and signed_in(office)


def test_end_all_others_keeps_only_this_one(user, db, browser):
    office, home, phone = browser(agent="A"), browser(agent="B"), browser(agent="C")
    office.post("/me/sessions/end-others")
    assert signed_in(office)
    assert not signed_in(home) and not signed_in(phone)
