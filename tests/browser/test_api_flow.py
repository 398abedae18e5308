"""Issue 13 end to end: a client submits by API, a supervisor verifies it in the browser,
the client reads the conclusion by API."""

from __future__ import annotations

import json
import urllib.request
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import log_in, log_out
from webapp.api_clients import services
from webapp.extensions import db
from webapp.models import DataScope, OrgUnit


def api(base_url: str, method: str, path: str, token: str, body: dict | None = None):
    """Call the live API; return (status, JSON body)."""
    request = urllib.request.Request(
        base_url + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read())


@pytest.mark.browser
def test_submitted_by_api_verified_in_the_browser_read_back_by_api(
    page, shot, live_server, live_app
):
    base_url = live_server[0]
    with live_app.app_context():
        unit = db.session.scalars(select(OrgUnit).where(OrgUnit.name == "市财政局")).first()
        root = db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None))).first()
        client = services.create_client(
            services.ClientDetails(
                "12380举报平台",
                root.id,
                "127.0.0.1",
                date.today() + timedelta(days=30),
                "60/minute",
            )
        )
        grant = services.ClientGrant(("negative_info:submit", "negative_info:read"), DataScope.ALL)
        services.apply_grant("system", client, grant)
        token = services.issue_token(client)
        unit_code = unit.code

    body = {
        "external_id": "12380-E2E-1",
        "source_channel": "hotline_12380",
        "cadre": {"name": "钱多多", "unit_code": unit_code},  # no such cadre: the supervisor picks
        "category": "supervision",
        "situation": "general_petition",
        "occurred_on": (date.today() - timedelta(days=3)).isoformat(),
        "summary": "12380 平台转来：反映其接受管理服务对象宴请。",
    }
    status, made = api(base_url, "POST", "/api/v1/negative-info", token, body)
    assert status == 201 and made["status_label"] == "待核实"

    log_in(page, "supervisor")
    page.goto(f"{base_url}/negative-info/{made['id']}")
    expect(page.get_by_text(made["number"]).first).to_be_visible()
    start = page.locator("#start-form")
    start.locator("#cadre-q").fill("财政")
    start.locator("#cadre-results button").first.click()
    start.get_by_role("button", name="开始核实").click()
    conclude = page.locator("#conclude-form")
    conclude.get_by_label("核实结论").select_option(label="属实")
    conclude.get_by_label("核实情况说明").fill("经向被反映人所在单位核实，情况属实。")
    conclude.get_by_role("button", name="办结").click()
    expect(page.get_by_text("核实已办结。")).to_be_visible()
    shot(page, "api-item-verified")
    log_out(page)

    status, read = api(base_url, "GET", f"/api/v1/negative-info/{made['id']}", token)
    assert status == 200
    assert (read["status"], read["conclusion"], read["concluded"]) == ("true", "属实", True)
    assert "经向被反映人所在单位核实" not in json.dumps(read, ensure_ascii=False)  # internal note
