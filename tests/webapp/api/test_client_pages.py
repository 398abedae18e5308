"""接入系统 pages: the system admin creates clients and issues tokens, the security admin grants."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.factories import PASSWORD, make_user
from tests.webapp.api.conftest import bearer
from webapp.extensions import db
from webapp.models import ApiClient, DataScope, Notification


@pytest.fixture
def admins(world):
    """The three administrators over the world's root unit, committed."""
    made = {
        role: make_user(role, world.root, username=f"{role}-api")
        for role in ("sysadmin", "secadmin", "auditor")
    }
    db.session.commit()
    return made


@pytest.fixture
def open_as(app):
    """Return a logged-in test client for a user (one client per person)."""

    def do(user):
        client = app.test_client()
        assert (
            client.post(
                "/auth/login", data={"username": user.username, "password": PASSWORD}
            ).status_code
            == 302
        )
        return client

    return do


def details(world, **changes) -> dict:
    return {
        "name": "信访系统",
        "owner_unit_id": str(world.mine.id),
        "allowed_addresses": "127.0.0.1\n10.1.0.0/16",
        "expires_on": "2026-12-31",
        "rate_limit": "60/minute",
        **changes,
    }


def created(world, admins, open_as) -> ApiClient:
    response = open_as(admins["sysadmin"]).post("/admin/api-clients/new", data=details(world))
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalars(select(ApiClient).where(ApiClient.name == "信访系统")).one()


def test_sysadmin_creates_a_client_with_no_permission(world, admins, open_as):
    client = created(world, admins, open_as)
    assert client.permissions == [] and client.account.data_scope == DataScope.SELF
    assert client.allowed_addresses == "127.0.0.1/32\n10.1.0.0/16"
    assert client.token_hash is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"allowed_addresses": "not-an-ip"}, "地址格式不正确"),
        ({"rate_limit": "lots"}, "格式应为"),
        ({"expires_on": ""}, "此项为必填项"),
        ({"name": ""}, "此项为必填项"),
    ],
)
def test_bad_details_are_refused_next_to_the_field(world, admins, open_as, changes, message):
    response = open_as(admins["sysadmin"]).post(
        "/admin/api-clients/new", data=details(world, **changes)
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalars(select(ApiClient)).first() is None


def test_the_token_is_shown_once_and_works(world, admins, open_as, client):
    record = created(world, admins, open_as)
    sec = open_as(admins["secadmin"])
    granted = sec.post(
        f"/admin/api-clients/{record.id}/grant",
        data={
            "permissions": ["negative_info:read", "cadres:lookup"],
            "data_scope": "unit_and_below",
        },
    )
    assert granted.status_code == 302
    page = open_as(admins["sysadmin"]).post(f"/admin/api-clients/{record.id}/token")
    token = re.search(r"gbk_[A-Za-z0-9_\-]+", page.get_data(as_text=True)).group(0)
    listing = open_as(admins["sysadmin"]).get("/admin/api-clients/").get_data(as_text=True)
    assert token not in listing and record.token_hint in listing
    found = client.get(
        "/api/v1/cadres", query_string={"q": world.cadre.name}, headers=bearer(token)
    )
    assert found.status_code == 200 and found.get_json()["items"][0]["id"] == world.cadre.id


def test_the_grant_is_told_to_the_auditors(world, admins, open_as):
    record = created(world, admins, open_as)
    open_as(admins["secadmin"]).post(
        f"/admin/api-clients/{record.id}/grant",
        data={"permissions": ["warnings:read"], "data_scope": "all"},
    )
    db.session.expire_all()
    assert record.permissions == ["warnings:read"] and record.account.data_scope == DataScope.ALL
    told = db.session.scalars(
        select(Notification).where(Notification.user_id == admins["auditor"].id)
    ).all()
    assert any("接入系统" in n.title for n in told)


def test_each_admin_keeps_to_his_duty(world, admins, open_as):
    record = created(world, admins, open_as)
    sec, sys_ = open_as(admins["secadmin"]), open_as(admins["sysadmin"])
    assert sec.get("/admin/api-clients/").status_code == 403
    assert sec.post("/admin/api-clients/new", data=details(world, name="别的")).status_code == 403
    assert sec.post(f"/admin/api-clients/{record.id}/token").status_code == 403
    assert sys_.get(f"/admin/api-clients/{record.id}/grant").status_code == 403
    assert open_as(admins["auditor"]).get("/admin/api-clients/").status_code == 403
    assert open_as(world.supervisor).get("/admin/api-clients/grants").status_code == 403


def test_a_revoked_client_cannot_get_a_token(world, admins, open_as):
    record = created(world, admins, open_as)
    sys_ = open_as(admins["sysadmin"])
    assert sys_.post(f"/admin/api-clients/{record.id}/revoke").status_code == 302
    page = sys_.post(f"/admin/api-clients/{record.id}/token", follow_redirects=True)
    assert "已吊销" in page.get_data(as_text=True)
    db.session.expire_all()
    assert record.token_hash is None and not record.active


def test_the_pages_keep_csrf(app, world, admins, open_as):
    sys_ = open_as(admins["sysadmin"])
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert sys_.post("/admin/api-clients/new", data=details(world)).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert db.session.scalars(select(ApiClient)).first() is None


def test_the_docs_page_ships_its_assets(client, db):
    html = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html and "https://" not in html
    asset = client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js")
    assert asset.status_code == 200
    asset.close()


def test_sysadmin_edits_a_client_and_a_stale_copy_is_refused(world, admins, open_as):
    record = created(world, admins, open_as)
    sys_ = open_as(admins["sysadmin"])
    page = sys_.get(f"/admin/api-clients/{record.id}").get_data(as_text=True)
    assert "2026-12-31" in page and "10.1.0.0/16" in page
    loaded = str(record.version)
    changed = details(world, rate_limit="10/minute", version=loaded)
    assert sys_.post(f"/admin/api-clients/{record.id}", data=changed).status_code == 302
    stale = details(world, rate_limit="99/minute", version=loaded)
    refused = sys_.post(f"/admin/api-clients/{record.id}", data=stale)
    assert "已被他人修改" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert record.rate_limit == "10/minute"


def test_the_list_shows_the_last_valid_day_as_typed(world, admins, open_as):
    created(world, admins, open_as)
    listing = open_as(admins["sysadmin"]).get("/admin/api-clients/").get_data(as_text=True)
    assert "2026-12-31" in listing and "2027-01-01" not in listing
