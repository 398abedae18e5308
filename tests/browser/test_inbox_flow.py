"""A supervisor with an unread message sees the badge, opens 我的待办 and acknowledges an item."""

import re
from datetime import date, timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import log_in
from webapp.clock import org_today
from webapp.extensions import db
from webapp.models import Cadre, User
from webapp.models.notifications import ChannelCode
from webapp.obligations.services import open_obligation
from webapp.outbox import enqueue
from webapp.security.scope import scoped
from workflows.obligations import ObligationKind

SUBJECT_ID = 900_001  # clear of anything the demo data declares


def set_up(live_app) -> tuple[int, str, date]:
    """Give the demo supervisor one open obligation and its unread in-app reminder."""
    with live_app.app_context():
        user = db.session.scalars(select(User).where(User.username == "supervisor")).one()
        cadre = db.session.scalars(scoped(select(Cadre).order_by(Cadre.id), Cadre, user)).first()
        today = org_today()
        obligation = open_obligation(
            kind=ObligationKind.INQUIRY_REPLY_DUE,
            subject_type="cadre_event",
            subject_id=SUBJECT_ID,
            cadre_id=cadre.id,
            start=today - timedelta(days=21),
            due=today + timedelta(days=3),
            total_workdays=15,
            today=today,
            responsible_user_id=user.id,
        )
        enqueue(
            kind=obligation.kind.value,
            subject=f"cadre_event:{SUBJECT_ID}",
            stage="yellow",
            due_date=obligation.due_on,
            user_id=user.id,
            channel=ChannelCode.INAPP,
            label="函询回复到期·黄灯",
            detail=f"{cadre.name}：函询回复到期·黄灯",
            link=f"/cadres/{cadre.id}",
        )
        db.session.commit()
        ident, name = obligation.id, cadre.name
        db.session.remove()
    return ident, name, today


def test_supervisor_sees_the_badge_and_acknowledges_a_todo(page, shot, live_app):
    obligation_id, cadre_name, today = set_up(live_app)
    log_in(page, "supervisor")

    badge = page.locator(".topbar .inbox-badge")
    expect(badge).to_have_text(re.compile(r"^\d+$"))
    unread = int(badge.inner_text())
    assert unread >= 1

    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
    line = page.locator(f'tr[data-obligation="{obligation_id}"]')
    expect(line).to_contain_text("函询回复到期")
    expect(line).to_contain_text(cadre_name)
    expect(line).to_contain_text("黄灯")

    # A date already past is refused next to the field, and what was typed stays.
    yesterday = (today - timedelta(days=1)).isoformat()
    line.locator("input[type=date]").fill(yesterday)
    line.get_by_role("button", name="已知悉").click()
    line = page.locator(f'tr[data-obligation="{obligation_id}"]')
    expect(line.locator(".errors")).to_have_text("计划完成日期不能早于今天。")
    expect(line.locator("input[type=date]")).to_have_value(yesterday)

    planned = (today + timedelta(days=7)).isoformat()
    line.locator("input[type=date]").fill(planned)
    line.get_by_role("button", name="已知悉").click()
    expect(page.get_by_text(f"已知悉，计划于 {planned} 完成。")).to_be_visible()
    line = page.locator(f'tr[data-obligation="{obligation_id}"]')
    expect(line.locator(".planned")).to_have_text(f"已知悉，计划于 {planned} 完成")
    shot(page, "inbox-todo")

    # The message leads to its record and no longer counts as unread.
    page.locator(".topbar .inbox-link").click()
    expect(page.get_by_role("heading", name="站内消息")).to_be_visible()
    page.get_by_role("link", name="函询回复到期·黄灯").first.click()
    expect(page).to_have_url(re.compile(r"/cadres/\d+$"))
    after = page.locator(".topbar .inbox-badge")
    if unread == 1:
        expect(after).to_have_count(0)
    else:
        expect(after).to_have_text(str(unread - 1))
