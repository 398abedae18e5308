"""The per-client rate limit, and `flask api-clients create` printing a working token once."""

from __future__ import annotations

import re

import pytest

from tests.helpers import WorldNames, build_world
from tests.webapp.api.conftest import bearer, make_client, own_app
from webapp.extensions import db, limiter
from webapp.models import AccessLog


@pytest.fixture
def limited_app(app, tmp_path):
    """An app with rate limits on (the testing config turns them off), on its own SQLite file."""
    if app.config["DB_KIND"] != "sqlite":
        pytest.skip("the limiter's store is memory here: one database shows it")
    # The limiter is one object per process: init_app with limits on turns them on for the
    # suite's other app too, so every later login of this test process would be counted.
    was_enabled = limiter.enabled
    try:
        with own_app("sqlite", tmp_path, "rate", RATELIMIT_ENABLED=True) as limited:
            yield limited
    finally:
        limiter.enabled = was_enabled


def test_a_client_past_its_rate_limit_gets_429_and_another_client_does_not(limited_app):
    with limited_app.app_context():
        world = build_world(WorldNames())
        db.session.commit()
        busy, busy_token = make_client(world)
        busy.rate_limit = "3/minute"
        db.session.commit()
        other_token = make_client(world, name="OA")[1]
    web = limited_app.test_client()
    codes = [
        web.get("/api/v1/dictionaries/source_channel", headers=bearer(busy_token)).status_code
        for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    limited = web.get("/api/v1/dictionaries/source_channel", headers=bearer(busy_token))
    assert limited.mimetype == "application/problem+json"
    assert (
        web.get("/api/v1/dictionaries/source_channel", headers=bearer(other_token)).status_code
        == 200
    )
    with limited_app.app_context():
        assert (
            db.session.query(AccessLog).filter(AccessLog.filters.contains("status=429")).count()
            == 2
        )


def test_the_cli_creates_a_granted_client_and_prints_its_token(app, world, client):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "api-clients",
            "create",
            "OA 系统",
            "--unit",
            world.mine.code,
            "--address",
            "127.0.0.1",
            "--expires",
            "2026-12-31",
            "--permission",
            "warnings:read",
            "--scope",
            "all",
        ]
    )
    assert result.exit_code == 0, result.output
    token = re.search(r"token=(\S+)", result.output).group(1)
    assert client.get("/api/v1/warnings", headers=bearer(token)).status_code == 200
    assert client.get("/api/v1/cadres?q=王", headers=bearer(token)).status_code == 403
