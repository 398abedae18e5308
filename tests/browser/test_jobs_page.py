"""The sysadmin pauses a job on 定时任务, runs it now, sees the run and its result, resumes it."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in

JOB = "daily_digest"


def test_sysadmin_pauses_runs_now_and_resumes_a_job(page, shot):
    log_in(page, "admin")
    page.get_by_role("link", name="定时任务").click()
    expect(page.get_by_role("heading", name="定时任务")).to_be_visible()
    row = page.locator(f'tr[data-job="{JOB}"]')
    expect(row).to_contain_text("每日待办汇总")
    expect(row.locator(".next-run")).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}"))

    row.get_by_role("button", name="暂停").click()
    expect(page.get_by_text("已暂停。")).to_be_visible()
    row = page.locator(f'tr[data-job="{JOB}"]')
    expect(row.locator(".next-run")).to_have_text("已暂停")
    expect(row.get_by_role("button", name="恢复")).to_be_visible()

    # A paused job still runs when asked; the run is recorded as manual, with what it did.
    row.get_by_role("button", name="立即执行").click()
    expect(
        page.get_by_text(re.compile(r"^已执行：用户 \d+，事项 \d+，消息入队 \d+$"))
    ).to_be_visible()
    row = page.locator(f'tr[data-job="{JOB}"]')
    expect(row.locator(".last-run")).to_contain_text("手动执行")
    expect(row.locator(".result .badge")).to_have_text("成功")
    expect(row.locator(".result .detail")).to_have_text(
        re.compile(r"^用户 \d+，事项 \d+，消息入队 \d+$")
    )
    expect(row.locator(".next-run")).to_have_text("已暂停")
    shot(page, "jobs-run-now")

    row.get_by_role("button", name="恢复").click()
    expect(page.get_by_text("已恢复。")).to_be_visible()
    row = page.locator(f'tr[data-job="{JOB}"]')
    expect(row.locator(".next-run")).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}"))
    expect(row.get_by_role("button", name="暂停")).to_be_visible()
