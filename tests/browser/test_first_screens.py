"""Each role logs in and lands on its own first screen (工作台), with what waits for it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, log_out
from webapp.clock import utc_now
from webapp.extensions import db
from webapp.models import JobRun

LOCKED = "district"  # a demo account that is locked by failed logins before the screens


@pytest.fixture(scope="module")
def troubles(live_server):
    """Give the administrators something to see: a failed job run (set up once per server)."""
    from tests.browser.conftest import LIVE_APPS

    app = LIVE_APPS[live_server[0]]
    with app.app_context():
        now = utc_now()
        db.session.add(
            JobRun(
                job_id="daily_digest",
                started_at=now - timedelta(minutes=3),
                finished_at=now - timedelta(minutes=2),
                result="error",
                error="Traceback\nConnectionRefusedError: 邮件服务器拒绝连接",
            )
        )
        db.session.commit()
        db.session.remove()


def lock_out(page) -> None:
    """Fail the demo district supervisor's password until the account locks."""
    for _ in range(5):
        log_in(page, LOCKED, "wrong-Passw0rd!")
    expect(page.get_by_text("锁定")).to_be_visible()


# (demo username, screenshot name, panels the screen shows)
SCREENS = [
    ("supervisor", "30-home-supervisor", ["verification", "proposals"]),
    (
        "reviewer",
        "31-home-reviewer",
        ["approvals", "reviews", "clarifications", "verification", "proposals"],
    ),
    ("approver", "32-home-approver", ["approvals"]),
    ("minister", "33-home-minister", ["approvals"]),
    ("viewer", "34-home-viewer", []),
    ("liaison", "35-home-liaison", ["submissions"]),
    ("admin", "36-home-sysadmin", ["jobs", "deliveries", "holidays", "locked"]),
    ("secadmin", "37-home-secadmin", ["locked"]),
    ("auditor", "38-home-auditor", ["security"]),
]


@pytest.mark.browser
def test_every_role_lands_on_its_own_first_screen(page, shot, troubles):
    lock_out(page)
    for username, name, panels in SCREENS:
        log_in(page, username)
        expect(page.get_by_role("heading", name="工作台")).to_be_visible()
        expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
        shown = page.locator("section.desk-panel").evaluate_all(
            "els => els.map(e => e.dataset.panel)"
        )
        assert shown == panels, username
        # Never an empty page: every screen offers its main links.
        expect(page.locator("#main-links a").first).to_be_visible()
        if username == "liaison":
            expect(page.get_by_role("link", name="我要报送")).to_be_visible()
        if username == "admin":
            jobs = page.locator("#panel-jobs")
            expect(jobs).to_contain_text("邮件服务器拒绝连接")
            expect(page.locator("#panel-locked")).to_contain_text(LOCKED)
        if username == "secadmin":
            expect(page.locator("#panel-locked")).to_contain_text(LOCKED)
        if username == "auditor":
            expect(page.locator("#panel-security")).to_contain_text("账号锁定")
            expect(page.locator("#panel-security")).to_contain_text(LOCKED)
        if username == "viewer":
            expect(page.get_by_text("干部预警晴雨表")).to_be_visible()
        shot(page, name)
        # Each line leads where it is handled: the first one opens a page that is not 404.
        first = page.locator("ul.desk-lines li a").first
        if first.count():
            href = first.get_attribute("href")
            response = page.request.get(href)
            assert response.status == 200, (username, href)
        log_out(page)


def storied_cadre(live_app) -> int:
    """Return the demo cadre whose warnings have the longest history."""
    import sqlalchemy as sa

    from webapp.models import Warning, WarningEvent

    with live_app.app_context():
        cadre_id = db.session.scalar(
            sa.select(Warning.cadre_id)
            .join(WarningEvent, WarningEvent.warning_id == Warning.id)
            .group_by(Warning.cadre_id)
            .order_by(sa.func.count().desc(), Warning.cadre_id)
            .limit(1)
        )
        db.session.remove()
    return cadre_id


@pytest.mark.browser
def test_the_profile_shows_the_portrait_strip(page, shot, live_app):
    cadre_id = storied_cadre(live_app)
    log_in(page, "supervisor")
    page.goto(f"/cadres/{cadre_id}")
    portrait = page.locator("#portrait")
    expect(portrait.get_by_role("heading", name="监督画像")).to_be_visible()
    expect(portrait.locator("#portrait-line")).to_contain_text("负面信息")
    # More than one colour over two years: the strip draws each stretch.
    assert portrait.locator("svg.strip rect.seg").count() >= 2
    portrait.scroll_into_view_if_needed()
    shot(page, "39-cadre-portrait")
