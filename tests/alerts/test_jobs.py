"""Job shells and the work they call: recorded runs, firing, the digest, the 节假日 reminder."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from alerts import jobs
from alerts.dispatcher import DispatchCounts
from alerts.firing import fire_due_obligations
from alerts.periodic import remind_holiday_schedule, send_daily_digest
from tests.alerts.params import set_param
from tests.factories import make_cadre, make_unit, make_user
from tests.helpers import AT_YELLOW, DUE, YELLOW, notifications, open_inquiry
from webapp.audit.recorder import actor
from webapp.extensions import db as _db
from webapp.holidays.services import reminder_year
from webapp.models import DataScope, JobRun, Obligation, OrgUnit
from webapp.models.notifications import ChannelCode
from webapp.obligations import services
from webapp.outbox import enqueue
from workflows.obligations import ObligationKind, Stage

# 函询 issued Fri 2026-02-06, 15 working days over 春节: 黄灯 Feb 25, due Mar 5, overdue Mar 6.


@pytest.fixture
def unit(db):
    return make_unit()


@pytest.fixture
def supervisor(db, unit):
    return make_user("supervisor", unit)


def test_run_job_records_an_ok_run_done_as_system(app, db):
    outcome = jobs.run_job(app, "probe", lambda now: {"who": actor()[1], "at": now.isoformat()})
    run = db.session.scalars(select(JobRun).where(JobRun.job_id == "probe")).one()
    assert outcome.result == "ok" == run.result
    assert run.detail["who"] == "system"
    assert run.detail["at"] == run.started_at.isoformat()
    assert run.finished_at >= run.started_at
    assert run.runner == jobs.runner_name()
    assert run.trigger == "schedule"
    assert run.error is None


def test_a_failing_job_is_recorded_and_its_writes_rolled_back(app, db):
    def work(now):
        _db.session.add(make_unit("失败任务写入的单位"))
        _db.session.flush()
        raise RuntimeError("boom")

    outcome = jobs.run_job(app, "probe", work, trigger="manual")
    assert outcome.result == "error"
    run = db.session.scalars(select(JobRun).where(JobRun.job_id == "probe")).one()
    assert run.result == "error" and run.trigger == "manual"
    assert "RuntimeError: boom" in run.error
    assert db.session.scalar(select(func.count()).where(OrgUnit.name == "失败任务写入的单位")) == 0


def test_firing_marks_the_stage_and_tells_the_responsible_person_once(db, unit, supervisor):
    cadre = make_cadre(unit, name="王建国")
    obligation = open_inquiry(cadre, responsible_user_id=supervisor.id)
    counts = fire_due_obligations(YELLOW, AT_YELLOW)
    assert counts.as_dict() == {"obligations": 1, "stages": 1, "queued": 1, "unaddressed": 0}
    assert obligation.fired == {Stage.YELLOW}
    assert obligation.next_fire_on == DUE
    (note,) = notifications(user_id=supervisor.id)
    assert (note.kind, note.subject, note.stage) == ("inquiry_reply_due", "inquiry:1", "yellow")
    assert note.channel is ChannelCode.INAPP and note.due_date == DUE
    assert "王建国" in note.body and note.link == "/inquiries/1"
    # The same day again: nothing is due any more, nothing doubles.
    assert fire_due_obligations(YELLOW, AT_YELLOW).stages == 0
    assert len(notifications(user_id=supervisor.id)) == 1


def test_a_late_sweep_fires_every_stage_that_came_meanwhile(db, unit, supervisor):
    open_inquiry(make_cadre(unit), responsible_user_id=supervisor.id)
    counts = fire_due_obligations(date(2026, 3, 9))
    assert counts.stages == 3
    assert [n.stage for n in notifications(user_id=supervisor.id)] == ["yellow", "due", "overdue"]


def test_a_stage_nobody_can_be_told_about_is_counted_unaddressed(db, unit):
    obligation = open_inquiry(make_cadre(unit), step_role="minister")  # no minister here
    counts = fire_due_obligations(YELLOW)
    assert (counts.stages, counts.queued, counts.unaddressed) == (1, 0, 1)
    assert obligation.fired == {Stage.YELLOW}


def test_without_a_responsible_person_the_roles_holders_covering_the_cadre_are_told(db, unit):
    elsewhere = make_unit()
    everywhere = make_user("approver", elsewhere, scope=DataScope.ALL)
    here = make_user("approver", unit, scope=DataScope.UNIT)
    make_user("approver", elsewhere, scope=DataScope.UNIT)  # the cadre is outside its scope
    make_user("supervisor", unit)  # another role
    open_inquiry(make_cadre(unit), step_role="approver")
    counts = fire_due_obligations(YELLOW)
    assert (counts.queued, counts.unaddressed) == (2, 0)
    assert {n.user_id for n in notifications(stage="yellow")} == {everywhere.id, here.id}


def test_the_sweep_job_fires_obligations_and_records_its_counts(app, db, unit, supervisor):
    open_inquiry(make_cadre(unit), responsible_user_id=supervisor.id)
    outcome = jobs.run_job(app, "sweep", jobs.sweep, now=AT_YELLOW)
    assert outcome.result == "ok", outcome.error
    assert outcome.detail["stages"] == 1 and outcome.detail["queued"] == 1
    assert {"proposals", "colours", "pruned"} <= outcome.detail.keys()
    assert len(notifications(user_id=supervisor.id, stage="yellow")) == 1


def test_a_user_with_twelve_due_items_gets_one_digest_listing_twelve(db, unit, supervisor):
    other = make_user("supervisor", unit)
    cadre = make_cadre(unit, name="李明")
    for n in range(12):
        open_inquiry(cadre, subject_id=n + 1, responsible_user_id=supervisor.id)
    # Not yet yellow on Feb 10: the other user's item stays out of the digest.
    open_inquiry(
        cadre, subject_id=99, responsible_user_id=other.id, start=YELLOW, due=date(2026, 4, 30)
    )
    result = send_daily_digest(YELLOW)
    assert result == {"users": 1, "items": 12, "queued": 1}
    (digest,) = notifications(kind="daily_digest")
    assert digest.user_id == supervisor.id and digest.due_date == YELLOW
    assert "12" in digest.title
    assert len(digest.body.splitlines()) == 12
    assert notifications(user_id=other.id) == []
    # A second run the same day adds nothing.
    assert send_daily_digest(YELLOW)["queued"] == 0


def test_closed_and_overdue_items_in_the_digest(db, unit, supervisor):
    cadre = make_cadre(unit)
    open_inquiry(cadre, subject_id=1, responsible_user_id=supervisor.id)
    open_inquiry(cadre, subject_id=2, responsible_user_id=supervisor.id)
    services.close_obligation(ObligationKind.INQUIRY_REPLY_DUE, "inquiry", 2, AT_YELLOW)
    _db.session.flush()
    assert send_daily_digest(date(2026, 3, 9))["items"] == 1
    (digest,) = notifications(kind="daily_digest")
    assert "已逾期" in digest.body


def test_the_holiday_reminder_asks_sysadmins_daily_from_november(db, unit, supervisor):
    admin = make_user("sysadmin", unit)
    assert remind_holiday_schedule(date(2026, 10, 31)) == {"year": 0, "queued": 0}
    day = date(2026, 11, 2)
    if reminder_year(day) is None:
        pytest.skip("2027 is already known to the calendar here")
    assert remind_holiday_schedule(day) == {"year": 2027, "queued": 1}
    assert remind_holiday_schedule(day)["queued"] == 0
    assert remind_holiday_schedule(date(2026, 11, 3))["queued"] == 1
    assert {n.user_id for n in notifications(kind="holiday_schedule")} == {admin.id}


def test_obligations_survive_a_run_job_session(app, db, unit, supervisor):
    obligation = open_inquiry(make_cadre(unit), responsible_user_id=supervisor.id)
    jobs.run_job(app, "sweep", jobs.sweep, now=AT_YELLOW)
    db.session.expire_all()
    assert db.session.get(Obligation, obligation.id).fired == {Stage.YELLOW}


def test_the_dispatch_job_retries_as_the_parameters_say(app, db, monkeypatch):
    seen = {}

    def fake_dispatch_once(now, *, policy, **_kw):
        seen["policy"] = policy
        return DispatchCounts(claimed=0)

    monkeypatch.setattr(jobs, "dispatch_once", fake_dispatch_once)
    set_param(db, "notify.max_attempts", "3")
    outcome = jobs.run_job(app, "dispatch", jobs.dispatch, now=AT_YELLOW)
    assert outcome.result == "ok" and outcome.detail["claimed"] == 0
    assert seen["policy"].max_attempts == 3
    assert seen["policy"].base_delay == timedelta(seconds=60)


def test_old_runs_are_pruned_but_each_jobs_latest_is_kept(db):
    def add(job_id, days_ago):
        run = JobRun(job_id=job_id, started_at=AT_YELLOW - timedelta(days=days_ago))
        db.session.add(run)
        db.session.flush()
        return run.id

    old_sweep, recent_sweep = add("sweep", 40), add("sweep", 1)
    lone_digest = add("daily_digest", 90)  # the only run of its job: kept
    assert jobs.prune_runs(AT_YELLOW) == 1
    db.session.expire_all()
    kept = set(db.session.scalars(select(JobRun.id)))
    assert kept == {recent_sweep, lone_digest}
    assert old_sweep not in kept


def test_a_paused_job_skips_scheduled_runs_but_runs_when_asked(app, db):
    calls = []
    set_param(db, "scheduler.paused_jobs", "sweep")
    paused = jobs.run_job(app, "sweep", lambda now: calls.append(now) or {}, trigger="schedule")
    assert paused.result == "paused" and calls == []
    manual = jobs.run_job(app, "sweep", lambda now: calls.append(now) or {}, trigger="manual")
    assert manual.result == "ok" and len(calls) == 1


def test_one_dispatch_run_drains_a_backlog_larger_than_a_pass(app, db):
    unit = make_unit("积压测试单位")
    user = make_user("supervisor", unit, DataScope.UNIT)
    for n in range(jobs.DISPATCH_BATCH * 2 + 50):
        enqueue(
            kind="verification_due",
            subject=f"negative_info:{n}",
            stage="due",
            due_date=date(2026, 3, 10),
            user_id=user.id,
            channel=ChannelCode.INAPP,
            label="核实到期",
            now=AT_YELLOW - timedelta(minutes=5),
        )
    db.session.commit()
    detail = jobs.dispatch(AT_YELLOW)
    assert detail["sent"] == jobs.DISPATCH_BATCH * 2 + 50
