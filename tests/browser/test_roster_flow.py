"""A supervisor logs in, searches the roster, adds a cadre, opens the profile and logs out."""

import re
from datetime import date

from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import id_number


def test_supervisor_roster_flow(page, shot):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/auth/login"))
    shot(page, "01-login")

    log_in(page, "supervisor")
    expect(page.get_by_text("干部预警晴雨表")).to_be_visible()
    shot(page, "02-workbench")

    page.get_by_role("link", name="干部信息").click()
    expect(page.get_by_role("heading", name="干部信息台账")).to_be_visible()
    first_name = page.locator("table.list tbody tr td a").first.inner_text()
    page.get_by_placeholder("输入姓名").fill(first_name)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("table.list tbody tr").first).to_contain_text(first_name)
    shot(page, "03-roster-search")

    page.get_by_role("link", name="新增干部").click()
    page.get_by_label("姓名").fill("欧阳明远")
    page.get_by_label("性别").select_option(label="男")
    page.get_by_label("出生日期").fill("1985-06-18")
    page.get_by_label("民族").select_option(label="汉族")
    page.get_by_label("政治面貌").select_option(label="中共党员")
    page.get_by_label("学历").select_option(label="硕士研究生")
    page.get_by_label("身份证号码").fill("110105198506181234")  # wrong checksum first
    page.get_by_label("单位").select_option(label="\u3000市财政局")
    page.get_by_label("职务").fill("市财政局副局长")
    page.get_by_label("职级").select_option(label="副处级")
    page.get_by_label("干部类别").select_option(label="市管干部")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#id_number-errors")).to_contain_text("身份证号码无效")
    expect(page.get_by_label("姓名")).to_have_value("欧阳明远")  # nothing typed is lost
    shot(page, "04-cadre-form-error")

    page.get_by_label("身份证号码").fill(id_number(date(1985, 6, 18), 321))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已新增干部：欧阳明远")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("干部画像"))).to_be_visible()
    expect(page.get_by_text("三龄二历一身份")).to_be_visible()
    shot(page, "05-cadre-profile")

    page.get_by_role("button", name="退出").click()
    expect(page.get_by_text("您已安全退出")).to_be_visible()
    page.goto("/cadres/")
    expect(page).to_have_url(re.compile(r"/auth/login"))
