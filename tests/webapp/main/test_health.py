"""Health check and home page."""

from tests.factories import make_unit, make_user


def test_healthz_reports_database_ok_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_home_shows_barometer_in_chinese(client, login):
    user = make_user("supervisor", make_unit())
    login(user.username)
    page = client.get("/").get_data(as_text=True)
    assert "干部预警晴雨表" in page
    assert "正常（绿色）" in page
