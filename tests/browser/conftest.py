"""A live server per database in a thread, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

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
SHANGHAI = ZoneInfo("Asia/Shanghai")
# The app behind each live server, by base URL, for tests that set data up through services.
LIVE_APPS = {}


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
    base_url = f"http://127.0.0.1:{server.server_port}"
    LIVE_APPS[base_url] = app
    yield base_url, request.param
    del LIVE_APPS[base_url]
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()
    if "PG_SCHEMA" in config:
        drop_postgres_schema(config["PG_SCHEMA"])


@pytest.fixture
def live_app(live_server):
    """Return the live server's app, to set data up in its context (commit what you add)."""
    return LIVE_APPS[live_server[0]]


@pytest.fixture
def page(browser, live_server):
    """Open a fresh browser context in Chinese at the live server."""
    base_url, _kind = live_server
    context = browser.new_context(
        base_url=base_url, locale="zh-CN", viewport={"width": 1366, "height": 860}
    )
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


def log_out(page) -> None:
    """Log out with the top bar's button."""
    page.get_by_role("button", name="退出").click()
    page.get_by_text("您已安全退出").wait_for()


def fill_talk(
    page, start, talk_type: str = "提醒谈话", reason: str = "经核实存在问题，进行提醒谈话。"
):
    """Fill the talk form's required fields for an hour's talk from `start` (a local time)."""
    end = start + timedelta(hours=1)
    page.get_by_label("谈话类型").select_option(label=talk_type)
    page.get_by_label("谈话方式").select_option(label="当面个别谈话")
    page.get_by_label("谈话人姓名").first.fill("张部长")
    page.get_by_label("单位职务").first.fill("市委组织部副部长")
    page.locator("#note_taker_name").fill("李监督")
    page.locator("#note_taker_position").fill("干部监督科干部")
    page.get_by_label("开始时间").fill(f"{start:%Y-%m-%dT%H:%M}")
    page.get_by_label("结束时间").fill(f"{end:%Y-%m-%dT%H:%M}")
    page.get_by_label("谈话地点").fill("市委组织部第一会议室")
    page.get_by_label("谈话事由").fill(reason)
    page.get_by_label("谈话内容").fill("指出问题，提醒其严守纪律规矩，认真整改。")


def recent_talk_start():
    """Return a talk start earlier today in Beijing time: up to two hours ago, never yesterday.

    The form refuses future times, and a talk dated before the day the test's warning was
    issued would be refused too (between 00:00 and 02:00 two hours ago is yesterday).
    """
    now = datetime.now(SHANGHAI)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return max(now - timedelta(hours=2), midnight).replace(second=0, microsecond=0)
