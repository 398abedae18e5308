"""`flask alerts ...`: list-jobs, run-job, dispatch and run-scheduler's arguments."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from alerts import lease, schedule
from alerts.cli import alerts_cli
from alerts.schedule import JobSpec
from alerts.simulate import simulate
from tests.factories import make_cadre, make_unit, make_user
from webapp.models import JobRun, Notification
from webapp.models.notifications import ChannelCode, NotificationStatus
from webapp.obligations import services
from webapp.outbox import enqueue
from workflows.obligations import ObligationKind


@pytest.fixture
def cli(app, db):
    runner = app.test_cli_runner()

    def invoke(*args):
        return runner.invoke(alerts_cli, list(args))

    return invoke


def test_alerts_init_app_registers_the_group(app):
    import alerts

    alerts.init_app(app)
    assert app.cli.get_command(None, "alerts") is alerts_cli
    assert app.extensions["alerts.start_scheduler"] is alerts.start_scheduler_thread


def test_list_jobs_shows_every_job_with_its_schedule_and_last_run(cli, db):
    db.session.add(
        JobRun(job_id="sweep", started_at=datetime(2026, 12, 1, 0, 5, tzinfo=UTC), result="ok")
    )
    db.session.flush()
    result = cli("list-jobs")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for spec in schedule.JOBS:
        assert any(line.startswith(spec.id) and spec.default_cron in line for line in lines)
    sweep_line = next(line for line in lines if line.startswith("sweep"))
    assert "2026-12-01 08:05:00 ok" in sweep_line  # shown in Shanghai time, with its result
    assert "当前没有运行中的调度进程" in result.output


def test_list_jobs_names_the_active_scheduler(cli, db):
    lease.acquire("host:4242", timedelta(minutes=5))
    result = cli("list-jobs")
    assert "运行中的调度进程：host:4242" in result.output


def test_run_job_runs_it_now_and_records_a_manual_run(cli, db):
    result = cli("run-job", "sweep")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("sweep: ok")
    run = db.session.scalars(select(JobRun).where(JobRun.job_id == "sweep")).one()
    assert (run.trigger, run.result) == ("manual", "ok")


def test_run_job_refuses_an_unknown_id(cli):
    result = cli("run-job", "nope")
    assert result.exit_code == 2
    assert "nope" in result.output


def test_a_failing_run_job_exits_non_zero_with_the_error(cli, db, monkeypatch):
    def fail(now):
        raise RuntimeError("坏了")

    monkeypatch.setattr(schedule, "JOBS", (JobSpec("sweep", "巡检", fail, "* * * * *"),))
    result = cli("run-job", "sweep")
    assert result.exit_code == 1
    assert "RuntimeError: 坏了" in result.output
    run = db.session.scalars(select(JobRun).where(JobRun.job_id == "sweep")).one()
    assert run.result == "error"


def test_dispatch_sends_what_is_due(cli, db):
    user = make_user("supervisor", make_unit())
    enqueue(
        kind="action_due",
        subject="warning:1",
        stage="overdue",
        due_date=date(2026, 11, 30),
        user_id=user.id,
        channel=ChannelCode.INAPP,
        label="预警措施到期",
        now=datetime.now(UTC) - timedelta(minutes=1),
    )
    db.session.flush()
    result = cli("dispatch")
    assert result.exit_code == 0, result.output
    assert "'sent': 1" in result.output
    note = db.session.scalars(select(Notification)).one()
    db.session.refresh(note)
    assert note.status is NotificationStatus.SENT


@pytest.mark.parametrize(
    "args",
    [
        ["--cron", "nope=* * * * *"],
        ["--cron", "sweep"],
        ["--cron", "sweep=* *"],
        ["--only", "nope"],
    ],
)
def test_run_scheduler_refuses_bad_arguments_before_starting(cli, args):
    result = cli("run-scheduler", *args)
    assert result.exit_code == 2
    assert "调度进程" not in result.output


def test_simulate_lists_what_would_be_sent_and_writes_nothing(cli, db, monkeypatch):
    unit = make_unit()
    user = make_user("supervisor", unit, username="zhangsan")
    obligation = services.open_obligation(
        kind=ObligationKind.INQUIRY_REPLY_DUE,
        subject_type="inquiry",
        subject_id=1,
        cadre_id=make_cadre(unit).id,
        start=date(2026, 2, 6),
        due=date(2026, 3, 5),
        total_workdays=15,
        today=date(2026, 2, 6),
        responsible_user_id=user.id,
    )
    db.session.flush()
    monkeypatch.setattr("alerts.cli.org_today", lambda: date(2026, 2, 24))
    result = cli("simulate", "--days", "10")  # Feb 24 … Mar 5
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("2026-02-25  zhangsan") and "黄灯提醒" in lines[0]
    assert lines[1].startswith("2026-03-05  zhangsan") and "到期提醒" in lines[1]
    assert "共 2 条提醒" in lines[-1]
    db.session.refresh(obligation)
    assert obligation.fired_stages == {}
    assert db.session.scalars(select(Notification)).all() == []


def test_simulate_replays_stages_after_the_first_day(db):
    unit = make_unit()
    services.open_obligation(
        kind=ObligationKind.INQUIRY_REPLY_DUE,
        subject_type="inquiry",
        subject_id=1,
        cadre_id=make_cadre(unit).id,
        start=date(2026, 2, 6),
        due=date(2026, 3, 5),
        total_workdays=15,
        today=date(2026, 2, 6),
        step_role="supervisor",
    )
    db.session.flush()
    planned = simulate(date(2026, 3, 1), 10)
    assert [(p.day, p.stage.value, p.recipient) for p in planned] == [
        (date(2026, 3, 1), "yellow", "[supervisor]"),
        (date(2026, 3, 5), "due", "[supervisor]"),
        (date(2026, 3, 6), "overdue", "[supervisor]"),
    ]
