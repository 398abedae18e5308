"""Issue 3's intake flow in the browser.

A liaison submits negative information; a supervisor picks the cadre, verifies it as 属实,
records a 提醒谈话 linked to it, downloads the 谈话记录表 (checked with python-docx) and finds
the report and the talk on the cadre's timeline; the auditor finds the download in the log.
"""

import re

from docx import Document
from playwright.sync_api import expect

from tests.browser.conftest import fill_talk, log_in, log_out, recent_talk_start


def cn_date(day) -> str:
    """Write a date the way the documents do: 2026年11月20日."""
    return f"{day.year}年{day.month}月{day.day}日"


def document_text(path) -> str:
    """Return every paragraph and table cell of a .docx as one string."""
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def submit_as_liaison(page, shot) -> str:
    """Submit a report for a cadre the liaison cannot pick; return its number."""
    log_in(page, "liaison")
    expect(page.get_by_role("link", name="负面信息台账")).to_have_count(0)
    page.get_by_role("link", name="报送负面信息").click()
    page.get_by_label("干部姓名").fill("钱多多")  # no such cadre: the supervisor will pick one
    page.get_by_label("干部所在单位").select_option(label="\u3000市财政局")
    page.get_by_label("信息类别（大类）").select_option(label="执法司法")
    # The cascade leaves only this category's situations to choose from.
    expect(page.locator("#situation optgroup:not([hidden])")).to_have_count(1)
    page.get_by_label("具体情形").select_option(label="酒驾醉驾")
    expect(page.locator("#situation-tier")).to_contain_text("二级预警")
    page.get_by_label("信息来源").select_option(label="公检法移送")
    page.get_by_label("发生时间").fill("2026-11-01")
    page.get_by_label("事实摘要").fill("11月1日晚酒后驾驶机动车被交警查获。")
    shot(page, "11-liaison-submit")
    page.get_by_role("button", name="报送").click()
    expect(page.get_by_text(re.compile(r"已报送，编号 FM-\d{4}-\d{4}"))).to_be_visible()
    number = re.search(r"FM-\d{4}-\d{4}", page.locator(".flash").inner_text()).group(0)
    page.get_by_role("link", name="我的报送", exact=True).click()
    expect(page.locator("table.list")).to_contain_text(number)
    log_out(page)
    return number


def verify_as_true(page, shot, number: str) -> str:
    """Pick the cadre and verify the report as 属实; return the cadre's name."""
    page.get_by_role("link", name="待核实信息").click()
    row = page.locator("table.list tbody tr", has_text=number)
    expect(row).to_contain_text("待确定干部")
    shot(page, "12-verification-queue")
    row.get_by_role("link", name=number).click()

    start = page.locator("#start-form")
    start.locator("#cadre-q").fill("财政")
    start.locator("#cadre-results button").first.click()
    expect(start.locator("#cadre-picked")).to_contain_text("财政局")
    start.get_by_role("button", name="开始核实").click()
    expect(page.get_by_text(re.compile("已开始核实，核实期限"))).to_be_visible()

    conclude = page.locator("#conclude-form")
    conclude.get_by_label("核实结论").select_option(label="属实")
    conclude.get_by_label("核实情况说明").fill("经向公安机关核实，情况属实。")
    conclude.get_by_role("button", name="办结").click()
    expect(page.get_by_text("核实已办结。")).to_be_visible()
    expect(page.locator("#history")).to_contain_text("核实中 → 属实")
    # From the verified report: record a talk about it, or propose a warning on it.
    expect(page.get_by_role("link", name="记录谈话")).to_be_visible()
    expect(page.get_by_role("link", name="发起预警")).to_be_visible()
    shot(page, "13-report-verified")
    return page.locator("section.card").first.get_by_role("link").first.inner_text()


def test_report_verified_talk_recorded_downloaded_and_on_the_timeline(page, shot, tmp_path):
    number = submit_as_liaison(page, shot)
    log_in(page, "supervisor")
    name = verify_as_true(page, shot, number)

    # 记录谈话 from the report: the cadre and the report are filled in already.
    page.get_by_role("link", name="记录谈话").click()
    expect(page.get_by_role("heading", name="新增谈话记录")).to_be_visible()
    expect(page.locator("#cadre_id option:checked")).to_contain_text(name)
    expect(page.locator("#negative_info_id option:checked")).to_contain_text(number)
    start = recent_talk_start()
    fill_talk(page, start, reason="酒后驾驶机动车，经核实属实。")
    page.get_by_label("本人表态").fill("深刻反思，坚决改正。")
    page.get_by_label("整改要求").fill("一个月内提交书面检查。")
    shot(page, "14-talk-form")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text(f"已保存谈话记录：{name}")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("谈话记录：.*提醒谈话"))).to_be_visible()
    expect(page.get_by_role("link", name=number)).to_be_visible()
    shot(page, "15-talk-detail")

    # The 谈话记录表 is filled from the talk and named after what and whom.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="谈话记录表（Word）").click()
    download = download_info.value
    assert download.suggested_filename == f"谈话记录表-{name}-{start:%Y-%m-%d}.docx"
    saved = tmp_path / "talk-record.docx"
    download.save_as(saved)
    text = document_text(saved)
    for expected in (
        "谈话记录表",
        name,
        cn_date(start.date()),
        f"{start:%H:%M}",
        "提醒谈话",
        number,
        "张部长",
        "市委组织部第一会议室",
        "深刻反思，坚决改正。",
    ):
        assert expected in text, expected

    # Both records on the cadre's timeline, each linking to its page.
    page.get_by_role("link", name=name).first.click()
    expect(page.get_by_role("heading", name=re.compile("干部画像"))).to_be_visible()
    timeline = page.locator("#timeline")
    expect(timeline.get_by_role("link", name=re.compile(number))).to_contain_text("酒驾醉驾")
    talk_entry = timeline.locator("li", has=page.get_by_role("link", name="提醒谈话"))
    expect(talk_entry).to_contain_text("酒后驾驶机动车，经核实属实。")
    expect(talk_entry.locator(".when")).to_have_text(f"{start:%Y-%m-%d}")
    shot(page, "16-cadre-timeline")
    log_out(page)

    # The download is in the operations log.
    log_in(page, "auditor")
    page.get_by_role("link", name="操作日志").click()
    page.get_by_label("操作").select_option(label="下载")
    page.get_by_role("button", name="查询").click()
    row = page.locator("table.list tbody tr", has_text=download.suggested_filename)
    expect(row).to_contain_text("supervisor")
    shot(page, "17-audit-download")
