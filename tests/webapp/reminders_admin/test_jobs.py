"""定时任务: each job's cron, last and next run, pause and resume, run now."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import time_machine
from sqlalchemy import select

from webapp.lookups import all_params
from webapp.models import AuditLog, Parameter
from webapp.models.scheduler import JobRun
from webapp.reminders_admin import jobs

DECLARED = [
    ("sweep", "定时巡检", "*/5 * * * *"),
    ("dispatch", "发送消息", "* * * * *"),
    ("daily_digest", "每日待办汇总", "0 0 * * *"),
]


@dataclass
class FakeOutcome:
    result: str
    detail: dict = field(default_factory=dict)
    error: str | None = None


def declare(app, monkeypatch):
    monkeypatch.setitem(app.extensions, "alerts.list_jobs", lambda: DECLARED)


@time_machine.travel(datetime(2026, 12, 1, 3, 2, tzinfo=UTC), tick=False)
def test_each_job_shows_its_cron_last_run_and_next_run(
    app, db, client, sysadmin, login, monkeypatch
):
    # The fixture logged in at the real time: a session from another hour is ended.
    login(sysadmin.username)
    declare(app, monkeypatch)
    db.session.add(
        JobRun(
            job_id="sweep",
            started_at=datetime(2026, 12, 1, 3, 0, tzinfo=UTC),
            finished_at=datetime(2026, 12, 1, 3, 0, 5, tzinfo=UTC),
            result="error",
            error="ValueError: boom",
        )
    )
    db.session.commit()
    rows = {row.id: row for row in jobs.job_rows()}
    assert rows["sweep"].last.result == "error"
    assert rows["sweep"].next_run == datetime(2026, 12, 1, 3, 5, tzinfo=UTC)
    assert rows["daily_digest"].last is None
    assert rows["daily_digest"].next_run == datetime(2026, 12, 2, 0, 0, tzinfo=UTC)
    page = client.get("/admin/reminders/jobs").get_data(as_text=True)
    # Times in Asia/Shanghai: 03:00 UTC is 11:00.
    assert "2026-12-01 11:00" in page and "2026-12-01 11:05" in page
    assert "出错" in page and "ValueError: boom" in page and "从未执行" in page
    assert "*/5 * * * *" in page


def test_without_alerts_the_jobs_come_from_the_cron_parameters(app, db, sysadmin, monkeypatch):
    monkeypatch.delitem(app.extensions, "alerts.list_jobs", raising=False)
    ids = {row.id for row in jobs.job_rows()}
    assert {"sweep", "dispatch", "holiday_reminder"} <= ids


def test_pause_is_stored_as_a_parameter_audited_and_resume_takes_it_back(
    app, db, client, sysadmin, monkeypatch
):
    declare(app, monkeypatch)
    client.post("/admin/reminders/jobs/dispatch/pause")
    client.post("/admin/reminders/jobs/sweep/pause")
    row = db.session.scalars(
        select(Parameter).where(Parameter.key == "scheduler.paused_jobs")
    ).one()
    assert row.value == "dispatch,sweep"
    page = client.get("/admin/reminders/jobs").get_data(as_text=True)
    assert "已暂停" in page and "恢复" in page
    assert {r.id: r.next_run for r in jobs.job_rows()}["dispatch"] is None
    client.post("/admin/reminders/jobs/dispatch/resume")
    db.session.refresh(row)
    assert row.value == "sweep"
    assert all_params()["scheduler.paused_jobs"] == "sweep"
    audited = db.session.scalars(
        select(AuditLog).where(
            AuditLog.object_type == "Parameter", AuditLog.username == sysadmin.username
        )
    ).all()
    assert len(audited) == 3


def test_pausing_an_unknown_job_is_refused(app, db, client, sysadmin, monkeypatch):
    declare(app, monkeypatch)
    page = client.post("/admin/reminders/jobs/nope/pause", follow_redirects=True).get_data(
        as_text=True
    )
    assert "未知的定时任务：nope" in page
    row = db.session.scalars(
        select(Parameter).where(Parameter.key == "scheduler.paused_jobs")
    ).first()
    assert row is None or row.value == ""  # nothing paused


def test_run_now_calls_alerts_and_shows_the_outcome(app, db, client, sysadmin, monkeypatch):
    declare(app, monkeypatch)
    ran = []

    def fake_run(job_id):
        ran.append(job_id)
        return FakeOutcome("ok", {"sent": 3})

    monkeypatch.setitem(app.extensions, "alerts.run_job", fake_run)
    page = client.post("/admin/reminders/jobs/dispatch/run", follow_redirects=True).get_data(
        as_text=True
    )
    assert ran == ["dispatch"]
    assert "已执行：已发送 3" in page
    monkeypatch.setitem(
        app.extensions, "alerts.run_job", lambda job_id: FakeOutcome("error", error="Boom!")
    )
    page = client.post("/admin/reminders/jobs/sweep/run", follow_redirects=True).get_data(
        as_text=True
    )
    assert "执行出错：Boom!" in page
    assert db.session.scalars(select(AuditLog).where(AuditLog.action == "run_job")).all()


def test_run_now_without_alerts_says_how_to_run_it(app, db, client, sysadmin, monkeypatch):
    declare(app, monkeypatch)
    monkeypatch.delitem(app.extensions, "alerts.run_job", raising=False)
    page = client.post("/admin/reminders/jobs/sweep/run", follow_redirects=True).get_data(
        as_text=True
    )
    assert "flask alerts run-job sweep" in page


def test_next_fire_reads_six_fields_and_refuses_nonsense():
    after = datetime(2026, 12, 1, 3, 0, 0, tzinfo=UTC)
    assert jobs.next_fire("30 * * * * *", after) == datetime(2026, 12, 1, 3, 0, 30, tzinfo=UTC)
    assert jobs.next_fire("not a cron", after) is None
    assert jobs.next_fire("99 * * * *", after) is None


def test_run_now_records_a_manual_run_the_page_shows_with_its_result(app, db, client, sysadmin):
    page = client.post(
        "/admin/reminders/jobs/holiday_reminder/run", follow_redirects=True
    ).get_data(as_text=True)
    run = db.session.scalars(select(JobRun).where(JobRun.job_id == "holiday_reminder")).one()
    assert run.trigger == "manual" and run.result == "ok"
    assert set(run.detail) == {"year", "queued"}
    line = f"年份 {run.detail['year']}，消息入队 {run.detail['queued']}"
    assert f"已执行：{line}" in page
    start = page.index('data-job="holiday_reminder"')
    row = page[start : page.index("</tr>", start)]
    assert "手动执行" in row and "成功" in row and line in row
    assert "{" not in page[page.index("已执行：") :].split("<")[0]
