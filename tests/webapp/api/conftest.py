"""Fixtures for the API: the intake tests' clock and upload folder, clients with tokens."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from flask import Flask

from tests.databases import database_config, drop_postgres_schema
from tests.webapp.negative_info.conftest import frozen_clock, upload_dir  # noqa: F401 - same ones
from webapp import create_app
from webapp.api_clients import services
from webapp.api_clients.permissions import ApiPermission
from webapp.extensions import db
from webapp.models import DataScope
from webapp.seed.reference import ensure_reference_data

ALL_PERMISSIONS = tuple(p.value for p in ApiPermission)


@contextmanager
def own_app(kind: str, tmp_path, name: str, **overrides) -> Iterator[Flask]:
    """Yield an app on a database of its own, seeded, whose requests commit for real."""
    config = database_config(kind, tmp_path, name)
    app = create_app("testing", {**config, "UPLOAD_DIR": str(tmp_path / "uploads"), **overrides})
    with app.app_context():
        db.create_all()
        ensure_reference_data()
        db.session.commit()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if "PG_SCHEMA" in config:
            drop_postgres_schema(config["PG_SCHEMA"])


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
