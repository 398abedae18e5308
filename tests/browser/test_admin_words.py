"""The sysadmin reads 参数管理 in words and edits a number with its unit; the auditor reads the change."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, log_out

pytestmark = pytest.mark.browser


def test_parameters_in_words_and_the_change_in_the_log(page, shot):
    log_in(page, "admin")
    page.get_by_role("link", name="参数管理").click()
    expect(page.get_by_role("heading", name="函询")).to_be_visible()
    row = page.locator('tr[data-key="inquiry.reply_workdays"]')
    expect(row).to_contain_text("函询回复期限")
    expect(row).to_contain_text("15 工作日")
    expect(page.locator('tr[data-key="scheduler.holiday_reminder_cron"]')).to_contain_text(
        "每天 09:00"
    )
    shot(page, "admin-parameters")

    row.get_by_role("link", name="修改").click()
    box = page.get_by_label("参数值")
    expect(box).to_have_attribute("type", "number")
    expect(page.locator(".unit")).to_have_text("工作日")
    box.fill("20")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存。")).to_be_visible()
    expect(page.locator('tr[data-key="inquiry.reply_workdays"]')).to_contain_text("20 工作日")
    log_out(page)

    log_in(page, "auditor")
    page.get_by_role("link", name="操作日志").click()
    page.get_by_label("对象类型").select_option(label="参数")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("ul.changes").first).to_contain_text("参数值：15 工作日 → 20 工作日")
    shot(page, "audit-parameter-change")
