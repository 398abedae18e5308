"""Issue 4's warning lifecycles in the browser.

(1) A tier-1 warning from a verified item: proposed, approved by 科长 and 分管领导, the reminder
talk recorded, the rectification report handed in, accepted by 科长: 已销号, the cadre green.
(2) A tier-2 warning escalated to tier 3 through 科长, 分管领导, 部长 and the party committee's
recorded decision, then referred: 已移送.
(3) An item found 失实 revokes the warning resting on it: 已撤销, clarification recorded, green.

The basis items (and, for 2 and 3, the warning's earlier life) are set up through the services
in the live server's app context; everything the tests are about happens in the browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.conftest import fill_talk, log_in, log_out, recent_talk_start
from webapp.clock import org_today
from webapp.extensions import db
from webapp.models import Cadre, NegativeInfo, User, Warning
from webapp.negative_info import services as negative_info
from webapp.warnings import services as warnings
from workflows.commands import Approve

YELLOW, ORANGE, RED, GREEN = (
    "一级预警（黄色）",
    "二级预警（橙色）",
    "三级预警（红色）",
    "正常（绿色）",
)


@dataclass(frozen=True)
class Setup:
    """What a test set up: the cadre, the basis item and perhaps a warning."""

    today: str
    cadre_id: int
    cadre_name: str
    info_id: int
    info_number: str
    warning_id: int | None = None
    warning_number: str | None = None


def user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def fresh_cadre() -> Cadre:
    """Return a demo cadre with no negative information and no warning yet."""
    busy = sa.union(sa.select(NegativeInfo.cadre_id), sa.select(Warning.cadre_id)).subquery()
    stmt = sa.select(Cadre).where(
        Cadre.id.not_in(sa.select(busy.c[0]).where(busy.c[0].is_not(None)))
    )
    return db.session.scalars(stmt.order_by(Cadre.id)).first()


def make_item(category: str, situation: str, conclusion: str | None) -> tuple[Cadre, NegativeInfo]:
    """Register an item for a fresh cadre and verify it (or leave it 核实中 if no conclusion)."""
    supervisor = user("supervisor")
    cadre = fresh_cadre()
    today = org_today()
    values = {
        "category": category,
        "situation": situation,
        "source_channel": "petition",
        "reporting_unit": "",
        "liaison_name": "",
        "source_document_number": "",
        "occurred_on": today - timedelta(days=30),
        "received_on": today - timedelta(days=20),
        "summary": "群众来信反映该同志存在问题。",
        "details": "",
        "handling_unit": "",
        "handling_result": "",
        "severity": "minor",
        "confidentiality": "internal",
    }
    info = negative_info.create_report(supervisor, cadre, values)
    negative_info.start_verification(info, supervisor, supervisor.id, info.version)
    if conclusion:
        negative_info.conclude_verification(
            info, supervisor, conclusion, today, "经调查核实，反映情况属实。", info.version
        )
    return cadre, info


def issue_warning(cadre: Cadre, info: NegativeInfo, tier: int, reason: str = "") -> Warning:
    """Propose a warning on the item and take it through its whole approval chain."""
    warning = warnings.create_warning(
        user("supervisor"), cadre.id, tier, [info.id], reason, submit=True
    )
    chain = {1: ["reviewer", "approver"], 2: ["reviewer", "approver", "minister"]}[tier]
    for username in chain:
        warnings.apply_event(warning.id, Approve(comment="同意。"), user(username), warning.version)
    assert warning.state == "issued"
    return warning


def set_up(app, category, situation, conclusion, tier=None, reason="") -> Setup:
    with app.app_context():
        cadre, info = make_item(category, situation, conclusion)
        warning = issue_warning(cadre, info, tier, reason) if tier else None
        setup = Setup(
            f"{org_today():%Y-%m-%d}",
            cadre.id,
            cadre.name,
            info.id,
            info.number,
            warning.id if warning else None,
            warning.number if warning else None,
        )
        db.session.remove()
    return setup


# ---------------------------------------------------------------------------------------------
# Acting on the warning detail page


def act(page, code: str, label: str, fields=None, choices=None) -> None:
    """Open the action `code`, fill its form (by labels) and submit it; check the flash."""
    action = page.locator(f'#actions details[data-event="{code}"]')
    action.evaluate("details => { details.open = true; }")
    form = action.locator("form")
    for name, value in (choices or {}).items():
        if isinstance(value, int):
            form.get_by_label(name).select_option(index=value)
        else:
            form.get_by_label(name).select_option(label=value)
    for name, value in (fields or {}).items():
        form.get_by_label(name).fill(value)
    form.get_by_role("button", name=label).click()
    expect(page.locator(".flash.success")).to_have_text(f"已执行「{label}」。")


def heading(page):
    return page.get_by_role("heading", level=1)


def approve_from_queue(page, number: str, step: str, comment: str = "同意。", **committee):
    """Open the 待审批 queue, find the warning at `step` and approve it."""
    page.get_by_role("link", name="待审批", exact=True).click()
    row = page.locator(f'#pending tr[data-number="{number}"]')
    expect(row).to_contain_text(step)
    row.get_by_role("link", name=number).click()
    act(
        page, "approve", "审批通过", {"审批意见" if not committee else "备注": comment, **committee}
    )


def cadre_status(page, setup: Setup, colour: str) -> None:
    """Open the cadre's profile and check the status colour in its heading."""
    page.goto(f"/cadres/{setup.cadre_id}")
    expect(heading(page)).to_contain_text(f"干部画像：{setup.cadre_name}")
    expect(heading(page).locator(".badge")).to_have_text(colour)


# ---------------------------------------------------------------------------------------------


def test_tier1_warning_approved_acted_on_and_lifted(page, shot, live_app):
    setup = set_up(live_app, "supervision", "general_petition", "true")
    today = setup.today

    # 监督员 proposes from the verified item; the system suggests tier 1 and says why.
    log_in(page, "supervisor")
    page.goto(f"/negative-info/{setup.info_id}")
    page.get_by_role("link", name="发起预警").click()
    expect(heading(page)).to_contain_text(f"发起预警：{setup.cadre_name}")
    expect(page.get_by_label(re.compile(setup.info_number))).to_be_checked()
    expect(page.locator("#suggestion")).to_contain_text(YELLOW)
    expect(page.locator("#suggestion .reasons")).to_contain_text(setup.info_number)
    expect(page.get_by_label("预警等级")).to_have_value("1")
    shot(page, "21-warning-proposal")
    page.get_by_role("button", name="保存并送审").click()
    flash = page.locator(".flash.success")
    expect(flash).to_have_text(re.compile(r"已发起预警 YJ-\d{4}-\d{4}。"))
    number = re.search(r"YJ-\d{4}-\d{4}", flash.inner_text()).group(0)
    expect(heading(page)).to_contain_text(YELLOW)
    expect(heading(page)).to_contain_text("待审批")
    log_out(page)

    # 科长, then 分管领导, approve from their 待审批 queues.
    log_in(page, "reviewer")
    page.get_by_role("link", name="待审批", exact=True).click()
    expect(page.locator(f'#pending tr[data-number="{number}"]')).to_contain_text(setup.cadre_name)
    shot(page, "22-approval-queue")
    approve_from_queue(page, number, "第 1 步")
    expect(page.locator("dl.info").first).to_contain_text("第 2 步")
    log_out(page)
    log_in(page, "approver")
    approve_from_queue(page, number, "第 2 步")
    expect(heading(page)).to_contain_text("已下达")
    expect(page.locator('#deadlines tr[data-kind="action"]')).to_contain_text("处置期限")
    # Approval is over: 分管领导 is offered only what fits an issued tier-1 warning.
    expect(page.locator("#actions details")).to_have_count(1)
    expect(page.locator("#actions summary")).to_have_text("容错")
    shot(page, "23-warning-detail")
    cadre_status(page, setup, YELLOW)
    log_out(page)

    # 监督员 records the reminder talk, then the measure, then the rectification report.
    log_in(page, "supervisor")
    page.goto(f"/cadres/{setup.cadre_id}")
    page.locator("p.actions").get_by_role("link", name="记录谈话").click()
    start = recent_talk_start()
    fill_talk(page, start, reason="经核实存在一般性信访反映问题，进行提醒谈话。")
    page.get_by_label("关联负面信息").select_option(index=1)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text(f"已保存谈话记录：{setup.cadre_name}")).to_be_visible()
    page.goto(f"/cadres/{setup.cadre_id}")
    page.locator("#warnings").get_by_role("link", name=number).click()
    act(
        page,
        "record_action",
        "记录处置",
        {"处置日期": f"{start:%Y-%m-%d}", "整改要求": "三个月内提交整改报告。"},
        {"处置方式": "提醒谈话", "关联谈话记录": 1},  # the talk just recorded
    )
    expect(heading(page)).to_contain_text("整改中")
    rectification = page.locator("#rectification")
    expect(rectification).to_contain_text("提醒谈话")
    expect(rectification.get_by_role("link", name="谈话记录")).to_be_visible()
    act(page, "submit_report", "提交整改报告", {"整改报告": "已深刻反思，逐项整改到位。"})
    expect(heading(page)).to_contain_text("待复核")
    log_out(page)

    # 科长 accepts the report: the warning is closed (已销号) and the cadre turns green.
    log_in(page, "reviewer")
    page.goto("/warnings/")
    page.get_by_role("link", name=number).click()
    act(page, "accept", "复核通过", {"复核意见": "整改到位，同意销号。"})
    expect(heading(page)).to_contain_text("已销号")
    expect(page.locator("dl.info dt:text-is('办结日期') + dd")).to_have_text(today)
    history = page.locator("#history li")
    expect(history).to_have_count(7)
    expect(page.locator("#history")).to_contain_text("复核通过")
    expect(history.first).to_contain_text("待复核 → 已销号")
    for event in ("发起", "送审", "审批通过", "记录处置", "提交整改报告"):
        expect(page.locator("#history")).to_contain_text(event)
    shot(page, "24-warning-lifted")
    cadre_status(page, setup, GREEN)
    expect(page.locator("#warnings tr", has_text=number)).to_contain_text("已销号")


def test_tier2_warning_escalated_to_tier3_and_referred(page, shot, live_app):
    setup = set_up(live_app, "law", "drunk_driving", "true", tier=2)
    number = setup.warning_number
    today = setup.today

    log_in(page, "supervisor")
    page.goto(f"/warnings/{setup.warning_id}")
    expect(heading(page)).to_contain_text(ORANGE)
    expect(heading(page)).to_contain_text("已下达")
    act(page, "escalate", "升级", {"理由": "整改期间再次酒后驾驶，情节严重，提请升级。"})
    expect(heading(page)).to_contain_text(RED)
    expect(heading(page)).to_contain_text("待审批")
    expect(page.locator("dl.info").first).to_contain_text(f"现行：{ORANGE}")
    log_out(page)

    # The tier-3 chain: 科长, 分管领导, 部长, then the party committee's decision.
    for username, step in (
        ("reviewer", "第 1 步"),
        ("approver", "第 2 步"),
        ("minister", "第 3 步"),
    ):
        log_in(page, username)
        approve_from_queue(page, number, step)
        log_out(page)
    log_in(page, "reviewer")
    approve_from_queue(
        page,
        number,
        "第 4 步",
        "经市委常委会研究决定。",
        **{
            "党委决定文号": "市委〔2026〕12号",
            "决定日期": today,
            "决定内容摘要": "同意移送纪检监察机关。",
        },
    )
    expect(heading(page)).to_contain_text("已下达")
    expect(page.locator("#approvals")).to_contain_text("党委决定：市委〔2026〕12号")
    expect(page.locator("#approvals tbody tr")).to_have_count(7)  # 3 for tier 2, 4 for tier 3
    log_out(page)

    # 分管领导 refers the case; the cadre stays red for the influence period.
    log_in(page, "approver")
    page.goto(f"/warnings/{setup.warning_id}")
    act(
        page,
        "refer",
        "移送",
        {"接收机关": "市纪委监委", "移送文号": "市委组移〔2026〕3号", "移送日期": today},
    )
    expect(heading(page)).to_contain_text("已移送")
    expect(heading(page)).to_contain_text(RED)
    expect(page.locator("#tolerance")).to_contain_text("移送 市纪委监委，文号 市委组移〔2026〕3号")
    escalation = page.locator('#history li[data-event="escalate"]')
    expect(escalation).to_contain_text(f"已下达 → 待审批 {ORANGE} → {RED}")
    expect(page.locator("#history li").first).to_contain_text("已下达 → 已移送")
    shot(page, "26-warning-referred")
    cadre_status(page, setup, RED)
    expect(page.locator("#warnings .influence")).to_contain_text(number)

    page.goto("/warnings/help")
    expect(page.locator(".diagram svg")).to_be_visible()
    shot(page, "25-state-diagram")


def test_untrue_finding_clears_the_warning(page, shot, live_app):
    setup = set_up(
        live_app,
        "supervision",
        "general_petition",
        None,
        tier=1,
        reason="反映问题较具体，先行提醒。",
    )
    number = setup.warning_number
    today = setup.today

    log_in(page, "reviewer")
    cadre_status(page, setup, YELLOW)
    page.goto(f"/negative-info/{setup.info_id}")
    related = page.locator("#warnings")
    expect(related.locator("tr", has_text=number)).to_contain_text("已下达")
    conclude = page.locator("#conclude-form")
    conclude.get_by_label("核实结论").select_option(label="失实")
    conclude.get_by_label("核实情况说明").fill("经调查核实，反映问题与事实不符。")
    conclude.get_by_role("button", name="办结").click()
    expect(page.get_by_text("核实已办结。")).to_be_visible()
    expect(related.locator("tr", has_text=number)).to_contain_text("已撤销")
    expect(page.get_by_role("link", name="发起预警")).to_have_count(0)
    shot(page, "27-report-untrue")

    related.get_by_role("link", name=number).click()
    expect(heading(page)).to_contain_text("已撤销")
    expect(page.locator("#no-actions")).to_be_visible()
    cleared = page.locator('#history li[data-event="clarify"]')
    expect(cleared).to_contain_text("已下达 → 已撤销")
    expect(cleared).to_contain_text(f"{setup.info_number} 经核实失实")
    clarifications = page.locator("#clarifications")
    expect(clarifications).to_contain_text("澄清方式待登记")
    clarifications.get_by_label("澄清方式").select_option(label="当面澄清")
    clarifications.get_by_label("澄清日期").fill(today)
    clarifications.get_by_label("澄清范围").fill("本人及所在单位党组织")
    clarifications.get_by_role("button", name="保存澄清记录").click()
    expect(page.locator(".flash.success")).to_have_text("已保存澄清正名记录。")
    expect(clarifications).to_contain_text(f"当面澄清（{today}）本人及所在单位党组织")
    expect(clarifications).not_to_contain_text("澄清方式待登记")
    shot(page, "28-warning-cleared")
    cadre_status(page, setup, GREEN)
    expect(page.locator("#warnings tr", has_text=number)).to_contain_text("已撤销")
