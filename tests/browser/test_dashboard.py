"""The 晴雨表 in the browser: a leader opens it, clicks a unit of the heat map and lands on that
unit's register of warnings in force, then opens the 驾驶舱 on a 1920×1080 screen."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import make_warning
from webapp.clock import org_today
from webapp.extensions import db
from webapp.models import Cadre, OrgUnit, User

pytestmark = pytest.mark.browser


def issue_warning(app) -> tuple[int, str, str]:
    """Put a tier-2 warning in force on a demo cadre; return its cell's unit id and name, and number."""
    with app.app_context():
        cadre = db.session.scalars(
            sa.select(Cadre).join(OrgUnit).where(OrgUnit.parent_id.is_not(None)).order_by(Cadre.id)
        ).first()
        proposer = db.session.scalar(sa.select(User).where(User.username == "supervisor"))
        number = f"YJ-DASH-{cadre.id}"
        warning = make_warning(cadre, proposer, number, tier=2, state="issued")
        warning.issued_on = org_today()
        cell_id = int(cadre.unit.path.strip("/").split("/")[1])
        cell = db.session.get(OrgUnit, cell_id)
        db.session.commit()
        return cell.id, cell.name, number


def test_heat_map_leads_to_the_register_and_the_cockpit_fits_the_screen(
    page, live_app, shot, browser, live_server
):
    cell_id, cell_name, number = issue_warning(live_app)
    log_in(page, "viewer")
    page.locator("nav.sidebar").get_by_role("link", name="晴雨表", exact=True).click()
    expect(page.get_by_role("heading", name="干部监督晴雨表")).to_be_visible()
    expect(page.get_by_role("heading", name="单位热力图")).to_be_visible()
    # Each chart carries its numbers in a table beneath it.
    expect(page.locator("figure.chart-box svg.chart")).to_have_count(5)
    expect(page.locator("figure.chart-box table.numbers")).to_have_count(5)
    shot(page, "20-barometer")

    cell = page.locator(f'a.heat-link[data-unit="{cell_id}"]')
    expect(cell).to_contain_text(cell_name)
    cell.click()
    expect(page).to_have_url(re.compile(rf"/warnings/\?.*unit_id={cell_id}"))
    expect(page.get_by_role("heading", name="预警事项台账")).to_be_visible()
    expect(page.get_by_label("仅看生效中")).to_be_checked()
    expect(page.get_by_role("link", name=number)).to_be_visible()

    base_url, _kind = live_server
    screen = browser.new_context(
        base_url=base_url, locale="zh-CN", viewport={"width": 1920, "height": 1080}
    )
    try:
        wall = screen.new_page()
        log_in(wall, "viewer")
        wall.goto("/dashboard/screen")
        expect(wall.get_by_role("heading", name="干部日常管理监督驾驶舱")).to_be_visible()
        assert wall.locator('meta[http-equiv="refresh"]').get_attribute("content") == "300"
        assert wall.locator("form").count() == 0  # read-only: nothing to submit
        height = wall.evaluate("document.documentElement.scrollHeight")
        width = wall.evaluate("document.documentElement.scrollWidth")
        assert height <= 1080 and width <= 1920, (width, height)
        shot(wall, "21-cockpit")
    finally:
        screen.close()
