"""Each role's first screen (工作台) shows what waits for it, within scope, in a bounded number of queries."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.factories import make_report, make_user, make_warning
from tests.helpers import act, switch
from tests.statements import grown, statements_of_get
from webapp.extensions import db as _db
from webapp.models import (
    AccessLog,
    AuditLog,
    Clarification,
    DataScope,
    JobRun,
    LoginLog,
    Notification,
    Role,
    WarningProposal,
)
from webapp.models.notifications import ChannelCode, NotificationStatus
from webapp.obligations import services as obligations
from webapp.warnings import services
from workflows.obligations import ObligationKind

TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("webapp.main.routes.org_today", lambda: TODAY)


def panel(page: str, key: str) -> str:
    """Return one panel's HTML (empty if the screen has no such panel)."""
    found = re.search(
        rf'<section class="card desk-panel" id="panel-{key}".*?</section>', page, re.S
    )
    return found.group(0) if found else ""


def panels(page: str) -> list[str]:
    """Return the keys of the panels on the screen, in order."""
    return re.findall(r'data-panel="(\w+)"', page)


def dead_message(user_id: int, **fields) -> Notification:
    """Return a message given up after its retries (not added)."""
    values = {
        "kind": "verification_due",
        "subject": f"report:{user_id}",
        "stage": "due",
        "due_date": TODAY,
        "user_id": user_id,
        "channel": ChannelCode.EMAIL,
        "title": "标题",
        "body": "正文",
        "status": NotificationStatus.DEAD,
    }
    return Notification(**(values | fields))


def role_change(user_id: int, role_id: int, at: datetime) -> AuditLog:
    """Return the log row of a security admin giving an account a role (not added)."""
    return AuditLog(
        username="secadmin-desk",
        action="update",
        object_type="User",
        object_id=str(user_id),
        before={"role_id": 999},
        after={"role_id": role_id},
        at=at,
    )


def home(client, login, user) -> str:
    client.post("/auth/logout")
    login(user.username)
    return client.get("/").get_data(as_text=True)


# --------------------------------------------------------------------------- case roles


def test_a_panel_counts_up_to_its_cap_and_says_more(db, world, client, login, monkeypatch):
    # A province's 待核实 ran to 56,000 items: the panel counts to the cap, then reads 3+.
    monkeypatch.setattr("webapp.main.waiting.COUNT_CAP", 3)
    for _ in range(5):
        make_report(world.cadre, world.supervisor)
    db.session.commit()
    login(world.supervisor.username)
    statements = statements_of_get(client, "/")
    verification = panel(client.get("/").get_data(as_text=True), "verification")
    assert 'data-total="3+"' in verification and "查看全部（3+）" in verification
    counts = [s for s in statements if "count(*)" in s and "negative_info" in s]
    assert counts and all("LIMIT" in s for s in counts), counts

    make_report(world.cadre, world.supervisor, status="true")  # not waiting: counts as before
    db.session.commit()
    monkeypatch.setattr("webapp.main.waiting.COUNT_CAP", 5)
    verification = panel(client.get("/").get_data(as_text=True), "verification")
    assert 'data-total="5"' in verification


def test_a_supervisor_sees_items_to_verify_proposals_and_own_deadlines(db, world, client, login):
    mine = make_report(world.cadre, world.supervisor, verification_due=date(2026, 12, 4))
    far = make_report(world.far_cadre, world.outsider)
    done = make_report(world.cadre, world.supervisor, status="true")
    warning = make_warning(world.cadre, world.supervisor, "YJ-T-0001")
    far_warning = make_warning(world.far_cadre, world.outsider, "YJ-T-0002")
    for w in (warning, far_warning):
        db.session.add(
            WarningProposal(
                warning_id=w.id,
                from_tier=1,
                to_tier=2,
                overdue_workdays=6,
                reason_data="逾期",
                proposed_on=TODAY,
            )
        )
    talk_due = obligations.open_obligation(
        kind=ObligationKind.MANDATORY_TALK,
        subject_type="cadre_event",
        subject_id=1,
        cadre_id=world.cadre.id,
        start=date(2026, 11, 2),
        due=date(2026, 11, 30),
        total_workdays=20,
        today=TODAY,
        step_role="supervisor",
    )
    db.session.commit()

    page = home(client, login, world.supervisor)
    assert panels(page) == ["verification", "proposals"]
    # The 必谈 owed by the cadre's supervisors is among the deadlines, overdue.
    line = re.search(rf'<tr data-obligation="{talk_due.id}">.*?</tr>', page, re.S).group(0)
    assert "必谈" in line and "已逾期" in line and "已逾期 1" in page
    verification = panel(page, "verification")
    assert mine.number in verification and f'href="/negative-info/{mine.id}"' in verification
    assert far.number not in verification and done.number not in verification
    assert 'data-total="1"' in verification
    proposals = panel(page, "proposals")
    assert "YJ-T-0001" in proposals and "YJ-T-0002" not in proposals
    assert "逾期 6 个工作日，建议升级为二级预警（橙色）" in proposals
    assert f'href="/warnings/{warning.id}"' in proposals
    # Own deadlines by light, above the 我的待办 lines (the verification due is one of them).
    assert 'id="todo-lights"' in page
    assert "待审批" not in panels(page)


def test_reviewer_and_approvers_see_the_steps_and_reviews_waiting_for_them(
    db, world, client, login
):
    pending = services.create_warning(world.supervisor, world.cadre.id, 2, [], "经研判需预警")
    act(pending, "submit", world.supervisor)
    make_warning(world.cadre, world.supervisor, "YJ-T-0101", state="reviewing")
    cleared = make_warning(world.cadre, world.supervisor, "YJ-T-0102", state="revoked")
    db.session.add(Clarification(warning_id=cleared.id, method="", automatic=True))
    # The reviewer's scope is everything: the far cadre's review waits for them too.
    make_warning(world.far_cadre, world.outsider, "YJ-T-0103", state="reviewing")
    db.session.commit()

    page = home(client, login, world.reviewer)
    assert panels(page)[:3] == ["approvals", "reviews", "clarifications"]
    assert pending.number in panel(page, "approvals")
    assert "第 1 步" in panel(page, "approvals")
    assert f'href="/warnings/{pending.id}#actions"' in panel(page, "approvals")
    reviews = panel(page, "reviews")
    assert "YJ-T-0101" in reviews and 'data-total="2"' in reviews
    assert 'href="/warnings/?state=reviewing"' in reviews
    assert "YJ-T-0102" in panel(page, "clarifications")

    # The approver's step comes after the reviewer's: nothing yet, then the warning.
    page = home(client, login, world.approver)
    assert panels(page) == ["approvals"]
    assert pending.number not in panel(page, "approvals") and "暂无。" in panel(page, "approvals")
    act(pending, "approve", world.reviewer, comment="同意")
    act(pending, "approve", world.approver, comment="同意")
    db.session.commit()
    page = home(client, login, world.minister)
    assert pending.number in panel(page, "approvals") and "第 3 步" in panel(page, "approvals")
    page = home(client, login, world.approver)
    assert pending.number not in panel(page, "approvals")


def test_a_liaison_sees_own_submissions_and_the_report_button(db, world, client, login):
    liaison = make_user("liaison", world.mine, DataScope.SELF)
    other = make_user("liaison", world.mine, DataScope.SELF)
    own = make_report(world.cadre, liaison, via_liaison=True)
    taken = make_report(world.cadre, liaison, via_liaison=True, status="verifying")
    theirs = make_report(world.cadre, other, via_liaison=True)
    db.session.commit()

    page = home(client, login, liaison)
    assert panels(page) == ["submissions"]
    assert '<a class="btn" href="/negative-info/submit">我要报送</a>' in page
    submissions = panel(page, "submissions")
    assert own.number in submissions and taken.number in submissions
    assert theirs.number not in submissions
    assert f'href="/negative-info/mine/{own.id}"' in submissions
    assert "已报送" in submissions and "已受理" in submissions
    assert "核实中" not in submissions  # a liaison learns it was taken up, not how it is judged
    assert "我的时限" not in page  # no obligations table for a role without cadres


def test_a_viewer_with_nothing_waiting_gets_a_friendly_line_and_main_links(
    db, world, client, login
):
    page = home(client, login, world.viewer)
    assert "暂无待办，可从下列常用操作开始工作。" in page
    links = page[page.index('id="main-links"') :]
    assert '<a class="btn secondary" href="/cadres/">查询干部</a>' in links
    assert "登记谈话" not in links  # a viewer records nothing
    assert "干部预警晴雨表" in page  # the overview below the to-dos


# --------------------------------------------------------------------------- administrators


@pytest.fixture
def admins(db, world):
    """The three administrators, in the world's root unit (committed)."""
    unit = world.root
    built = {
        code: make_user(code, unit, username=f"{code}-desk")
        for code in ("sysadmin", "secadmin", "auditor")
    }
    _db.session.commit()
    return built


def test_a_sysadmin_sees_failed_jobs_dead_deliveries_holidays_and_locked_accounts(
    db, world, client, login, admins, monkeypatch
):
    now = datetime.now(UTC)
    db.session.add(
        JobRun(
            job_id="sweep",
            started_at=now - timedelta(minutes=5),
            finished_at=now - timedelta(minutes=4),
            result="error",
            error="Traceback\nRuntimeError: 邮件服务器无法连接",
        )
    )
    db.session.add(JobRun(job_id="daily_digest", started_at=now, finished_at=now, result="ok"))
    dead = dead_message(
        world.supervisor.id, title="关于王建国同志问题的核实", last_error="SMTP 550"
    )
    db.session.add(dead)
    world.viewer.locked_until = now + timedelta(minutes=20)
    world.approver.locked_until = now - timedelta(minutes=1)  # the lock has passed
    db.session.commit()
    monkeypatch.setattr("webapp.main.desk.reminder_year", lambda today: 2027)

    page = home(client, login, admins["sysadmin"])
    assert panels(page) == ["jobs", "deliveries", "holidays", "locked"]
    jobs = panel(page, "jobs")
    assert "RuntimeError: 邮件服务器无法连接" in jobs and 'data-total="1"' in jobs
    deliveries = panel(page, "deliveries")
    assert f"#{dead.id} 核实到期 · 到期提醒" in deliveries and "SMTP 550" in deliveries
    assert "王建国" not in page  # no case content for an administrator
    assert 'href="/admin/reminders/records?status=dead"' in deliveries
    holidays = panel(page, "holidays")
    assert "2027 年节假日安排尚未录入" in holidays and 'href="/admin/holidays/2027"' in holidays
    locked = panel(page, "locked")
    assert world.viewer.username in locked and world.approver.username not in locked
    assert f'href="/admin/users/{world.viewer.id}"' in locked
    assert "我的时限" not in page and "干部预警晴雨表" not in page

    # The security administrator unlocks: the line opens the 授权 page.
    page = home(client, login, admins["secadmin"])
    assert panels(page) == ["locked"]
    assert f'href="/admin/grants/{world.viewer.id}"' in panel(page, "locked")


def test_an_auditor_sees_recent_lockouts_denied_accesses_and_role_grants(
    db, world, client, login, admins
):
    now = datetime.now(UTC)
    supervisor_role = db.session.query(Role).filter_by(code="supervisor").one()
    db.session.add_all(
        [
            LoginLog(username="zhangsan", user_id=None, success=False, reason="lockout", at=now),
            LoginLog(username="old", success=False, reason="lockout", at=now - timedelta(days=9)),
            AccessLog(
                username=world.outsider.username,
                object_type="Cadre",
                object_id=str(world.cadre.id),
                path=f"/cadres/{world.cadre.id}",
                denied=True,
                at=now,
            ),
            role_change(world.viewer.id, supervisor_role.id, now),
            AuditLog(
                username=world.viewer.username,
                action="update",
                object_type="User",
                object_id=str(world.viewer.id),
                before={"last_login_at": None},
                after={"last_login_at": "2026-12-01T01:00:00"},
                at=now,
            ),
        ]
    )
    db.session.commit()

    page = home(client, login, admins["auditor"])
    assert panels(page) == ["security"]
    security = panel(page, "security")
    assert "账号锁定" in security and "zhangsan" in security and "old" not in security
    assert "越权访问被拒绝" in security and f"/cadres/{world.cadre.id}" in security
    assert 'href="/audit/accesses?result=denied"' in security
    assert "角色授权变更" in security
    assert f"{world.viewer.username} → {supervisor_role.name}" in security
    assert security.count("<li>") == 3  # the login's row is no role change


# --------------------------------------------------------------------------- bounded queries


def test_the_first_screen_runs_the_same_number_of_statements_however_much_waits(
    db, world, client, login
):
    def add_work(n: int) -> None:
        for _ in range(n):
            make_report(world.cadre, world.supervisor)
            w = services.create_warning(world.supervisor, world.cadre.id, 1, [], "经研判需预警")
            act(w, "submit", world.supervisor)
            make_warning(world.cadre, world.supervisor, f"YJ-R-{w.id:04d}", state="reviewing")
        db.session.commit()

    add_work(1)
    switch(client, login, world.reviewer)
    few = statements_of_get(client, "/")
    add_work(6)
    many = statements_of_get(client, "/")
    assert len(many) == len(few), grown(few, many)
    page = client.get("/").get_data(as_text=True)
    assert 'data-total="7"' in panel(page, "approvals")


@pytest.mark.parametrize("role", ["sysadmin", "auditor"])
def test_the_administrators_screens_run_the_same_statements_however_much_waits(
    db, world, client, login, admins, role
):
    supervisor_role = db.session.query(Role).filter_by(code="supervisor").one()

    def add_trouble(n: int) -> None:
        now = datetime.now(UTC)
        for i in range(n):
            user = make_user("viewer", world.mine)
            user.locked_until = now + timedelta(minutes=10)
            db.session.add(dead_message(user.id))
            db.session.add(role_change(user.id, supervisor_role.id, now))
            db.session.add(LoginLog(username=f"x{i}", success=False, reason="lockout", at=now))
        db.session.commit()

    add_trouble(1)
    switch(client, login, admins[role])
    few = statements_of_get(client, "/")
    add_trouble(6)
    many = statements_of_get(client, "/")
    assert len(many) == len(few), grown(few, many)
