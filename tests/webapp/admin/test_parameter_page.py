"""参数管理 speaks the users' words: areas, Chinese names and help, numbers with units, cron in words."""

import re

from tests.webapp.admin.parameter_rows import param, row_of
from webapp.parameters import DEFAULT_PARAMETERS, GROUP_ORDER, unit_of


def outside_key_lines(html: str) -> str:
    """Return the page's text less the small secondary line that names each internal key."""
    html = re.sub(r'<(div|span) class="param-key muted">.*?</\1>', "", html, flags=re.S)
    return re.sub(r"<[^>]+>", "", html)  # attributes (data-key, links) are no label


def test_parameters_are_grouped_by_area_in_order(client, admin):
    page = client.get("/admin/parameters").get_data(as_text=True)
    headings = re.findall(r"<h2>([^<]+)</h2>", page)
    assert headings == [g for g in GROUP_ORDER if g in headings]
    assert {"预警", "安全", "提醒", "研判会商"} <= set(headings)
    assert "<th>分组</th>" not in page


def test_no_internal_key_is_shown_as_a_label(client, admin):
    page = client.get("/admin/parameters").get_data(as_text=True)
    shown = outside_key_lines(page)
    for spec in DEFAULT_PARAMETERS:
        assert spec.key not in shown
    chain = row_of(page, "warning.tier2.approval_chain")
    assert "二级预警审批链" in chain and "科长（审核） → 分管领导（审定） → 部长（审定）" in chain
    assert "<code>warning.tier2.approval_chain</code>" in chain  # still there, small


def test_numbers_show_their_unit_and_help(client, admin):
    page = client.get("/admin/parameters").get_data(as_text=True)
    reply = row_of(page, "inquiry.reply_workdays")
    assert "15 工作日" in reply and "1 – 60 工作日" in reply and "从发函之日起算" in reply
    assert "90 天" in row_of(page, "report.duplicate_window_days")
    assert "12 个月" in row_of(page, "warning.influence_months.adjust")


def test_every_numeric_parameter_has_a_unit():
    numeric = [d.key for d in DEFAULT_PARAMETERS if d.value_type == "int"]
    assert numeric and all(unit_of(key) for key in numeric)


def test_cron_rhythms_read_as_local_times(client, admin):
    page = client.get("/admin/parameters").get_data(as_text=True)
    assert "每天 09:00" in row_of(page, "scheduler.holiday_reminder_cron")
    assert "每 5 分钟" in row_of(page, "scheduler.sweep_cron")
    assert "每周一 09:00" in row_of(page, "meeting.weekly_cron")
    assert "每月 1 日、16 日 10:00" in row_of(page, "meeting.biweekly_cron")


def test_number_editor_is_a_number_box_with_its_unit(client, admin, db):
    reply = param(db, "inquiry.reply_workdays")
    page = client.get(f"/admin/parameters/{reply.id}").get_data(as_text=True)
    box = re.search(r'<input[^>]*name="value"[^>]*>', page).group(0)
    assert 'type="number"' in box and 'min="1"' in box and 'max="60"' in box
    assert '<span class="unit">工作日</span>' in page
    refused = client.post(f"/admin/parameters/{reply.id}", data={"value": "61"})
    assert "不能大于 60" in refused.get_data(as_text=True)
    refused = client.post(f"/admin/parameters/{reply.id}", data={"value": "十五"})
    assert "请输入整数" in refused.get_data(as_text=True)
    db.session.refresh(reply)
    assert reply.value == "15"
    assert client.post(f"/admin/parameters/{reply.id}", data={"value": "20"}).status_code == 302
    db.session.refresh(reply)
    assert reply.value == "20"


def test_cron_editor_says_when_it_runs_and_refuses_nonsense(client, admin, db):
    cron = param(db, "scheduler.holiday_reminder_cron")
    page = client.get(f"/admin/parameters/{cron.id}").get_data(as_text=True)
    assert "当前：每天 09:00" in page
    refused = client.post(f"/admin/parameters/{cron.id}", data={"value": "每天早上"})
    assert "应为五段式 cron 表达式" in refused.get_data(as_text=True)
    assert client.post(f"/admin/parameters/{cron.id}", data={"value": "30 0 * * 1-5"}).status_code
    db.session.refresh(cron)
    assert cron.value == "30 0 * * 1-5"
    page = client.get("/admin/parameters").get_data(as_text=True)
    assert "每周一至周五 08:30" in row_of(page, "scheduler.holiday_reminder_cron")


def test_time_editor_is_a_time_box(client, admin, db):
    digest = param(db, "reminder.daily_digest_time")
    page = client.get(f"/admin/parameters/{digest.id}").get_data(as_text=True)
    assert re.search(r'<input[^>]*type="time"[^>]*name="value"', page) or re.search(
        r'<input[^>]*name="value"[^>]*type="time"', page
    )
    refused = client.post(f"/admin/parameters/{digest.id}", data={"value": "25:00"})
    assert "时间格式应为 时:分" in refused.get_data(as_text=True)


def test_the_two_factor_list_offers_every_role_and_saves_its_default(client, admin, db):
    totp = param(db, "auth.totp_required_roles")
    page = client.get(f"/admin/parameters/{totp.id}").get_data(as_text=True)
    assert 'value="sysadmin"' in page and 'value="auditor"' in page
    assert 'value="unassigned"' not in page
    listed = row_of(client.get("/admin/parameters").get_data(as_text=True), totp.key)
    assert "系统管理员" in listed and "sysadmin" not in outside_key_lines(listed)
    saved = client.post(f"/admin/parameters/{totp.id}", data={"roles": totp.value.split(",")})
    assert saved.status_code == 302


def test_a_case_role_list_still_offers_no_administrator(client, admin, db):
    recorders = param(db, "warning.committee_recorder_roles")
    page = client.get(f"/admin/parameters/{recorders.id}").get_data(as_text=True)
    assert 'value="sysadmin"' not in page and 'value="reviewer"' in page


def test_paused_jobs_are_ticked_by_name_and_none_is_allowed(client, admin, db):
    paused = param(db, "scheduler.paused_jobs")
    page = client.get(f"/admin/parameters/{paused.id}").get_data(as_text=True)
    boxes = re.findall(r'<input[^>]*name="jobs"[^>]*value="(\w+)"', page)
    assert "sweep" in boxes and 'name="value"' not in page
    assert client.post(f"/admin/parameters/{paused.id}", data={"jobs": ["sweep"]}).status_code
    db.session.refresh(paused)
    assert paused.value == "sweep"
    listed = row_of(client.get("/admin/parameters").get_data(as_text=True), paused.key)
    assert "sweep" not in outside_key_lines(listed) and "巡检" in listed
    refused = client.post(f"/admin/parameters/{paused.id}", data={"jobs": ["nosuchjob"]})
    assert "未知任务：nosuchjob" in refused.get_data(as_text=True)
    saved = client.post(f"/admin/parameters/{paused.id}", data={"submit": "保存"})
    assert saved.status_code == 302
    db.session.refresh(paused)
    assert paused.value == ""


def test_declared_bounds_hold_even_where_the_stored_row_has_none(client, admin, db):
    removal = param(db, "warning.influence_months.removal")
    removal.min_value = removal.max_value = None  # a row seeded before the bounds were declared
    db.session.commit()
    assert "0 – 60 个月" in row_of(
        client.get("/admin/parameters").get_data(as_text=True), removal.key
    )
    refused = client.post(f"/admin/parameters/{removal.id}", data={"value": "61"})
    assert "不能大于 60" in refused.get_data(as_text=True)
    db.session.refresh(removal)
    assert removal.value == "24"
