"""A live server per database in a thread, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.databases import DATABASES, database_config, drop_postgres_schema
from webapp import create_app
from webapp.extensions import db
from webapp.seed.demo import seed_demo

CHROMIUM = "/usr/bin/chromium"
DEMO_PASSWORD = "Demo-Passw0rd!"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts" / "screenshots"
README_SHOTS = ROOT / "docs" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    """Launch Debian's chromium headless (skip, or fail under REQUIRE_BROWSER=1, if absent)."""
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} not found: install Debian's chromium to run the browser tests"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but " + message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module", params=DATABASES)
def live_server(request, tmp_path_factory):
    """Serve a demo-seeded app from a werkzeug thread on a free port; yield its base URL."""
    config = database_config(request.param, tmp_path_factory.mktemp("live"), "browser")
    app = create_app("testing", {**config, "DEMO_PASSWORD": DEMO_PASSWORD})
    app.config["DB_KIND"] = request.param
    with app.app_context():
        db.create_all()
        seed_demo(DEMO_PASSWORD, cadres=40)
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", request.param
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()
    if "PG_SCHEMA" in config:
        drop_postgres_schema(config["PG_SCHEMA"])


@pytest.fixture
def page(browser, live_server):
    """Open a fresh browser context in Chinese at the live server."""
    base_url, _kind = live_server
    context = browser.new_context(base_url=base_url, locale="zh-CN",
                                  viewport={"width": 1366, "height": 860})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shot(live_server):
    """Save a screenshot; with UPDATE_SCREENSHOTS=1 the SQLite run also refreshes the README's."""
    _base, kind = live_server

    def take(page, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}-{kind}.png"
        page.screenshot(path=str(path), full_page=True)
        if os.environ.get("UPDATE_SCREENSHOTS") == "1" and kind == "sqlite":
            README_SHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, README_SHOTS / f"{name}.png")
        return path

    return take


def log_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the login form."""
    page.goto("/auth/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
