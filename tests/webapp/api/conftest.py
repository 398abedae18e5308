"""Fixtures for the API: a frozen clock, an upload folder, and clients with tokens."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from webapp.api_clients import services
from webapp.api_clients.permissions import ApiPermission
from webapp.models import DataScope

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ALL_PERMISSIONS = tuple(p.value for p in ApiPermission)


@pytest.fixture(autouse=True)
def frozen_clock():
    """Fix today's date so dates and expiries are predictable."""
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def upload_dir(app, tmp_path, monkeypatch):
    """Store uploads in a fresh folder per test."""
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(folder))
    return folder


def make_client(
    world,
    name: str = "12380举报平台",
    permissions=ALL_PERMISSIONS,
    scope: DataScope = DataScope.UNIT_AND_BELOW,
    unit=None,
    addresses: str = "127.0.0.1\n10.0.0.0/8",
    expires_on: date | None = date(2026, 12, 31),
):
    """Create a granted client with a token; return (client, token)."""
    client = services.create_client(
        services.ClientDetails(name, (unit or world.mine).id, addresses, expires_on, "60/minute")
    )
    services.apply_grant(world.reviewer, client, services.ClientGrant(tuple(permissions), scope))
    return client, services.issue_token(client)


def bearer(token: str) -> dict[str, str]:
    """Return the header that carries a token."""
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def api_client(world):
    """A client over the world's own unit and below, holding every API permission."""
    return make_client(world)


@pytest.fixture
def call(client, api_client):
    """Call the API with the client's token."""
    token = api_client[1]

    def do(method: str, path: str, **kwargs):
        headers = {**bearer(token), **kwargs.pop("headers", {})}
        return client.open(path, method=method, headers=headers, **kwargs)

    return do


def submission(world, **changes) -> dict:
    """Return a valid submission body about the world's cadre, with changes."""
    body = {
        "external_id": "XF-2026-0001",
        "source_channel": "petition",
        "source_document_number": "信访〔2026〕12号",
        "cadre": {"name": world.cadre.name, "unit_code": world.mine.code},
        "category": "supervision",
        "situation": "general_petition",
        "occurred_on": "2026-03-01",
        "summary": "群众反映其工作作风简单粗暴。",
        "details": "",
    }
    body.update(changes)
    return body
