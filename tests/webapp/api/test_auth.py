"""No token, a wrong one, a revoked, expired or unpermitted client: refused, nothing written, logged."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.webapp.api.conftest import bearer, make_client, submission
from webapp.api_clients import services
from webapp.extensions import db
from webapp.models import AccessLog, NegativeInfo


def items() -> int:
    return db.session.scalar(select(func.count()).select_from(NegativeInfo))


def last_call() -> AccessLog:
    return db.session.scalars(select(AccessLog).order_by(AccessLog.id.desc())).first()


def post(client, world, headers, **kwargs):
    return client.post("/api/v1/negative-info", json=submission(world), headers=headers, **kwargs)


@pytest.mark.parametrize(
    "headers", [{}, bearer("gbk_wrong"), {"Authorization": "Basic abc"}, bearer("")]
)
def test_no_or_a_wrong_token_is_401_and_writes_nothing(world, client, api_client, headers):
    response = post(client, world, headers)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert items() == 0
    log = last_call()
    assert log.denied and log.path == "POST /api/v1/negative-info" and "status=401" in log.filters


def test_a_revoked_client_is_401_at_once(world, client, api_client):
    record, token = api_client
    services.revoke_client(record)
    assert post(client, world, bearer(token)).status_code == 401
    assert items() == 0


def test_a_rotated_token_replaces_the_old_one(world, client, api_client):
    record, old = api_client
    new = services.issue_token(record)
    assert post(client, world, bearer(old)).status_code == 401
    assert post(client, world, bearer(new)).status_code == 201


def test_an_expired_client_is_401(world, client):
    _record, token = make_client(world, expires_on=date(2026, 3, 9))
    assert post(client, world, bearer(token)).status_code == 401
    assert items() == 0


def test_a_client_without_the_permission_is_403(world, client):
    _record, token = make_client(world, permissions=("cadres:lookup",))
    response = post(client, world, bearer(token))
    assert response.status_code == 403
    assert "negative_info:submit" in response.get_json()["detail"]
    assert items() == 0
    assert last_call().username.startswith("api-")


def test_a_call_from_an_address_not_allowed_is_403(world, client):
    _record, token = make_client(world, addresses="10.9.9.9")
    response = post(client, world, bearer(token))
    assert response.status_code == 403
    assert items() == 0


def test_the_token_is_stored_only_as_a_keyed_hash(world, api_client):
    record, token = api_client
    assert token not in (record.token_hash or "") and record.token_hash != token
    assert record.token_hint and token.startswith(record.token_hint)
    assert services.find_by_token(token) is record


def test_another_clients_record_is_404(world, client, call):
    made = call("POST", "/api/v1/negative-info", json=submission(world)).get_json()
    _other, token = make_client(world, name="信访系统")
    response = client.get(f"/api/v1/negative-info/{made['id']}", headers=bearer(token))
    assert response.status_code == 404
    assert last_call().denied and last_call().object_id == str(made["id"])


def test_a_warning_outside_scope_is_404_and_logged_as_denied(world, call):
    from tests.factories import make_warning

    far = make_warning(world.far_cadre, world.outsider, "YJ-T-9001")
    db.session.commit()
    response = call("GET", f"/api/v1/warnings/{far.id}")
    assert response.status_code == 404
    log = last_call()
    assert log.denied and (log.object_type, log.object_id) == ("Warning", str(far.id))


def test_every_served_call_is_logged_with_client_endpoint_and_record(world, call, api_client):
    made = call("POST", "/api/v1/negative-info", json=submission(world)).get_json()
    log = last_call()
    assert (log.action, log.object_type, log.object_id) == (
        "api_submit",
        "NegativeInfo",
        str(made["id"]),
    )
    assert not log.denied and "client=12380举报平台" in log.filters and "status=201" in log.filters
    assert log.user_id == api_client[0].account_id


def test_the_pages_still_need_csrf_while_the_api_does_not(app, world, client, api_client):
    # The testing config turns CSRF off; switch it on for this request only.
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert post(client, world, bearer(api_client[1])).status_code == 201
        page = client.post("/auth/login", data={"username": "x", "password": "y"})
        assert page.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_a_plain_404_of_a_service_answers_problem_json_too(world, call):
    response = call("GET", "/api/v1/negative-info/987654")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_an_unknown_api_path_answers_problem_json_and_pages_keep_their_html(world, client, login):
    unknown = client.get("/api/v1/no-such-thing")
    assert (unknown.status_code, unknown.mimetype) == (404, "application/problem+json")
    assert unknown.get_json()["status"] == 404
    login(world.supervisor.username)
    page = client.get("/no-such-page")
    assert (page.status_code, page.mimetype) == (404, "text/html")
