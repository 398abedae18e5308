"""One active scheduler: the lease row, and real `flask alerts run-scheduler` processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from alerts import lease
from alerts.runner import Options, start_in_thread
from config import new_data_key
from tests.databases import DATABASES, database_config, drop_postgres_schema
from tests.factories import make_cadre, make_unit, make_user
from webapp import create_app
from webapp.clock import org_today
from webapp.extensions import db as _db
from webapp.models import DeliveryAttempt, JobRun, Notification, Obligation, SchedulerLease
from webapp.models.notifications import ChannelCode, NotificationStatus
from webapp.obligations import services
from webapp.outbox import enqueue
from webapp.seed.reference import ensure_reference_data
from workflows.obligations import ObligationKind

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
PERIOD = timedelta(seconds=30)


def test_the_first_holder_keeps_the_lease_and_renews_it(db):
    assert lease.acquire("a", PERIOD, T0)
    assert not lease.acquire("b", PERIOD, T0 + timedelta(seconds=10))
    assert lease.acquire("a", PERIOD, T0 + timedelta(seconds=20))  # renewed to T0+50s
    assert not lease.acquire("b", PERIOD, T0 + timedelta(seconds=40))
    held = lease.current()
    assert held.holder == "a"
    assert held.acquired_at == T0
    assert held.expires_at == T0 + timedelta(seconds=50)


def test_a_standby_takes_over_once_the_lease_expires(db):
    assert lease.acquire("a", PERIOD, T0)
    assert lease.acquire("b", PERIOD, T0 + PERIOD)
    assert lease.current().holder == "b"
    assert lease.current().acquired_at == T0 + PERIOD
    assert not lease.acquire("a", PERIOD, T0 + PERIOD + timedelta(seconds=1))


def test_release_frees_the_lease_at_once_and_only_for_its_holder(db):
    assert lease.acquire("a", PERIOD, T0)
    assert not lease.release("b", T0 + timedelta(seconds=1))
    assert lease.release("a", T0 + timedelta(seconds=1))
    assert lease.acquire("b", PERIOD, T0 + timedelta(seconds=1))


@pytest.fixture(params=DATABASES)
def shared_db(request, tmp_path):
    """A committed database (SQLite file or PostgreSQL schema) several processes can share."""
    # One data key for the suite's app and the processes (development refuses the suite's own).
    config = {**database_config(request.param, tmp_path, "scheduler"), "DATA_KEY": new_data_key()}
    app = create_app("testing", config)
    with app.app_context():
        _db.create_all()
        ensure_reference_data()
        _db.session.commit()
        _db.session.remove()
    env = {
        **os.environ,
        "APP_ENV": "development",
        "DATABASE_URL": str(app.config["SQLALCHEMY_DATABASE_URI"]),
        "DATA_KEY": app.config["DATA_KEY"],
    }
    if "PG_SCHEMA" in config:
        env["PGOPTIONS"] = f"-csearch_path={config['PG_SCHEMA']}"
    yield app, env
    with app.app_context():
        _db.engine.dispose()
    if "PG_SCHEMA" in config:
        drop_postgres_schema(config["PG_SCHEMA"])


def runs(app, job_id: str | None = None) -> list[JobRun]:
    with app.app_context():
        try:
            stmt = select(JobRun).order_by(JobRun.id)
            if job_id:
                stmt = stmt.where(JobRun.job_id == job_id)
            rows = _db.session.scalars(stmt).all()
            _db.session.expunge_all()
            return rows
        finally:
            _db.session.remove()


def wait_for(predicate, timeout: float, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not true within {timeout} s")


def test_a_run_missed_while_stopped_is_made_up_once_on_start(shared_db):
    app, _env = shared_db
    with app.app_context():
        # The digest last ran three days ago: three 00:00 UTC fire times were missed.
        _db.session.add(
            JobRun(job_id="daily_digest", started_at=datetime.now(UTC) - timedelta(days=3))
        )
        _db.session.commit()
        _db.session.remove()
    # The embedded mode's thread: the same runner as the service's.
    runner = start_in_thread(app, Options(lease_period=timedelta(seconds=3), only=["daily_digest"]))
    thread = runner.thread
    try:
        wait_for(lambda: len(runs(app, "daily_digest")) == 2, timeout=10)
        time.sleep(1.5)  # a second make-up would show by now
    finally:
        runner.stop()
        thread.join(timeout=10)
    assert not thread.is_alive()
    made_up = runs(app, "daily_digest")
    assert len(made_up) == 2 and made_up[-1].result == "ok"
    with app.app_context():
        held = lease.current()
        assert held.expires_at <= datetime.now(UTC)  # a clean stop gives the lease up
        _db.session.remove()


def start_scheduler(env, jobs=("dispatch",)) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "flask",
        "--app",
        "tests.alerts.scheduler_app:create",
        "alerts",
        "run-scheduler",
        "--lease-seconds",
        "4",
        "--poll-seconds",
        "0.3",
    ]
    for job_id in jobs:
        command += ["--only", job_id, "--cron", f"{job_id}=* * * * * *"]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def pid_of(run: JobRun) -> int:
    return int(run.runner.rsplit(":", 1)[1])


def overlapping(rows: list[JobRun]) -> list[tuple[int, int]]:
    """Return pairs of runs by two processes whose times overlap (two active schedulers)."""
    found = []
    for a in rows:
        for b in rows:
            if a.id < b.id and pid_of(a) != pid_of(b):
                a_end = a.finished_at or a.started_at
                b_end = b.finished_at or b.started_at
                if a.started_at < b_end and b.started_at < a_end:
                    found.append((a.id, b.id))
    return found


def test_two_scheduler_processes_run_jobs_one_at_a_time_and_a_standby_takes_over(shared_db):
    app, env = shared_db
    procs = {}
    try:
        for _ in range(2):
            proc = start_scheduler(env)
            procs[proc.pid] = proc
        wait_for(lambda: len(runs(app, "dispatch")) >= 4, timeout=30)
        time.sleep(1)
        first = runs(app, "dispatch")
        # Never two at once. (On a loaded machine a late renewal may hand the lease over
        # early; what must never happen is two processes running jobs at the same time.)
        assert overlapping(first) == [], "two processes ran jobs at once"
        active = pid_of(first[-1])
        assert active in procs
        (standby,) = set(procs) - {active}
        assert all(r.result == "ok" for r in first)

        procs[active].send_signal(signal.SIGKILL)
        procs[active].communicate(timeout=10)
        killed_at = time.monotonic()
        wait_for(lambda: any(pid_of(r) == standby for r in runs(app, "dispatch")), timeout=15)
        # Within one lease period (4 s) plus polling, a cron second and a loaded machine.
        assert time.monotonic() - killed_at < 12

        count = len(runs(app, "dispatch"))
        wait_for(lambda: len(runs(app, "dispatch")) >= count + 2, timeout=10)

        procs[standby].send_signal(signal.SIGTERM)
        output, _ = procs[standby].communicate(timeout=15)
        assert procs[standby].returncode == 0, output
        with app.app_context():
            held = _db.session.scalars(select(SchedulerLease)).one()
            assert held.holder.endswith(f":{standby}")
            assert held.expires_at <= datetime.now(UTC)
            _db.session.remove()
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.communicate(timeout=10)


def seed_due_work(app, users: int = 4) -> None:
    """Open obligations already due (fired by the sweep), and notifications due in 2 s."""
    with app.app_context():
        unit = make_unit()
        cadre = make_cadre(unit)
        today = org_today()
        for n in range(users):
            user = make_user("supervisor", unit)
            services.open_obligation(
                kind=ObligationKind.ACTION_DUE,
                subject_type="warning",
                subject_id=n + 1,
                cadre_id=cadre.id,
                start=today - timedelta(days=40),
                due=today - timedelta(days=10),
                total_workdays=20,
                today=today - timedelta(days=40),
                responsible_user_id=user.id,
            )
            enqueue(
                kind="approval_waiting",
                subject=f"approval:{n + 1}",
                stage="overdue",
                due_date=today,
                user_id=user.id,
                channel=ChannelCode.INAPP,
                label="审批等待",
                now=datetime.now(UTC) + timedelta(seconds=2),
            )
        _db.session.commit()
        _db.session.remove()


def delivery(app) -> tuple[list, dict[int, int], list[Obligation]]:
    with app.app_context():
        try:
            notes = _db.session.scalars(select(Notification)).all()
            attempts = dict(
                _db.session.execute(
                    select(DeliveryAttempt.notification_id, func.count()).group_by(
                        DeliveryAttempt.notification_id
                    )
                ).all()
            )
            obligations = _db.session.scalars(select(Obligation)).all()
            _db.session.expunge_all()
            return notes, attempts, obligations
        finally:
            _db.session.remove()


def test_three_schedulers_send_every_due_notification_once(shared_db):
    app, env = shared_db
    seed_due_work(app)
    procs = [start_scheduler(env, jobs=("sweep", "dispatch")) for _ in range(3)]
    try:

        def all_sent():
            notes, _, obligations = delivery(app)
            fired = sum(len(o.fired_stages) for o in obligations)
            return fired and len(notes) == 4 + fired and all(n.sent_at for n in notes)

        wait_for(all_sent, timeout=40)
        time.sleep(1.5)  # another pass by anyone would show now
        notes, attempts, obligations = delivery(app)
        assert all(o.fired_stages for o in obligations)
        for obligation in obligations:
            stages = [n.stage for n in notes if n.subject == f"warning:{obligation.subject_id}"]
            assert sorted(stages) == sorted(obligation.fired_stages)
        assert all(n.status is NotificationStatus.SENT for n in notes)
        assert set(attempts.values()) == {1} and len(attempts) == len(notes)
        assert overlapping(runs(app)) == [], "two processes ran jobs at once"
    finally:
        for proc in procs:
            proc.kill()
            proc.communicate(timeout=10)
