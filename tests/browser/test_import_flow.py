"""Excel import in the browser (template, errors, progress, confirm) and holiday maintenance."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import log_in, log_out
from tests.webapp.imports.xlsx import CADRE_HEADERS, write_xlsx

RUNNER_WAIT_MS = 30_000


class Unit:
    """The demo unit the rows are filed under (only its name is written)."""

    name = "市财政局"


def rows(count: int, first_birth: date) -> list[dict]:
    from tests.webapp.imports.xlsx import cadre_row

    return [
        cadre_row(Unit, birth=first_birth + timedelta(days=i), 姓名=f"导入{i:03d}")
        for i in range(count)
    ]


@pytest.fixture
def background(live_app, tmp_path, monkeypatch):
    """Send every upload through the background thread, so the progress page is used."""
    monkeypatch.setitem(live_app.config, "IMPORT_SYNC_MAX_BYTES", 0)
    monkeypatch.setitem(live_app.config, "IMPORT_DIR", str(tmp_path / "imports"))


def test_supervisor_imports_cadres_from_excel(page, shot, background, tmp_path):
    log_in(page, "supervisor")
    page.get_by_role("link", name="干部信息").click()
    page.get_by_role("link", name="导入", exact=True).click()
    expect(page.get_by_role("heading", name="导入干部信息")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="下载模板").click()
    template = tmp_path / "模板.xlsx"
    download.value.save_as(template)
    assert [c.value for c in load_workbook(template)["干部信息"][1]] == CADRE_HEADERS
    shot(page, "40-import-upload")

    bad = rows(3, date(1975, 1, 1))
    good = bad[1]["身份证号码"]
    bad[1]["身份证号码"] = good[:-1] + ("1" if good[-1] == "0" else "0")  # a wrong check digit
    bad[2]["单位"] = "不存在的单位"
    page.get_by_label("Excel 文件").set_input_files(
        write_xlsx(tmp_path / "有错误.xlsx", CADRE_HEADERS, bad)
    )
    page.get_by_role("button", name="上传并预览").click()
    errors = page.locator("table.import-errors")
    # The check runs in a runner process of its own (webapp/imports/runner.py): allow its start.
    expect(errors).to_contain_text("第 3 行", timeout=RUNNER_WAIT_MS)
    expect(errors).to_contain_text("身份证号码无效")
    expect(errors).to_contain_text("单位“不存在的单位”不存在")
    expect(page.get_by_text("没有写入任何数据")).to_be_visible()
    shot(page, "41-import-errors")

    page.get_by_role("link", name="重新上传").click()
    page.get_by_label("Excel 文件").set_input_files(
        write_xlsx(tmp_path / "干部.xlsx", CADRE_HEADERS, rows(120, date(1976, 1, 1)))
    )
    page.get_by_role("button", name="上传并预览").click()
    # The page polls the job and reloads itself once the background check is done.
    expect(page.get_by_text(re.compile("检查通过：共 120 行，将新增 120 条"))).to_be_visible(
        timeout=RUNNER_WAIT_MS
    )
    shot(page, "42-import-preview")
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("导入完成：新增 120 条，更新 0 条。")).to_be_visible(
        timeout=RUNNER_WAIT_MS
    )
    page.get_by_role("link", name="返回列表").click()
    page.get_by_placeholder("输入姓名").fill("导入119")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("table.list tbody tr").first).to_contain_text("导入119")


def test_sysadmin_enters_next_years_holidays(page, shot):
    log_in(page, "admin")
    page.get_by_role("link", name="节假日维护").click()
    expect(page.get_by_role("heading", name="节假日维护")).to_be_visible()
    page.goto("/admin/holidays/2027")
    page.get_by_label("批量录入（每行一天）").fill("2027-01-01 休 元旦\n2027-01-04 班 错误的一行")
    page.get_by_role("button", name="批量保存").click()
    expect(page.locator(".bulk-errors")).to_contain_text("本来就是工作日")
    page.get_by_label("批量录入（每行一天）").fill(
        "2027-01-01 休 元旦\n2027-02-06 休 春节\n2027-02-07 班 春节调休"
    )
    page.get_by_role("button", name="批量保存").click()
    expect(page.get_by_text("已新增 3 天，更新 0 天。")).to_be_visible()
    expect(page.get_by_text("已录入完整", exact=True)).to_be_visible()
    shot(page, "43-holidays-2027")
    log_out(page)
