"""Job shells: each run gets its own app context, acts as "system", commits and is recorded.

The work itself lives in tested functions (the warnings area's scheduled work, the firing
pass, the dispatcher, the digest); a shell only wires them to a time and records a `JobRun`.
"""

from __future__ import annotations

import logging
import os
import socket
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import Flask
from sqlalchemy import delete, func, select, text

from alerts.dispatcher import RetryPolicy, dispatch_once
from alerts.firing import fire_due_obligations
from alerts.periodic import remind_holiday_schedule, send_daily_digest
from webapp.audit.checks import daily_record
from webapp.audit.recorder import acting_as
from webapp.clock import org_zone
from webapp.extensions import db
from webapp.lookups import all_params, param_int
from webapp.meetings.scheduling import create_due_meetings
from webapp.models.base import utcnow
from webapp.models.scheduler import JobRun
from webapp.warnings.colours import refresh_status_colours
from webapp.warnings.due import advance_paused, close_ended_influences
from webapp.warnings.scheduled import file_overdue_proposals

log = logging.getLogger(__name__)

Work = Callable[[datetime], dict]
# The sweeps' PostgreSQL advisory lock, keyed per schema: locks are database-wide, and two
# installations (or two test processes) in schemas of one database must not block each other.
SWEEP_LOCK = text(
    "SELECT pg_try_advisory_xact_lock(hashtextextended('ganbu-sweep:' || current_schema(), 0))"
)
# A dispatch run a minute is half a million rows a year: keep a month for the 定时任务 page.
RUNS_KEPT = timedelta(days=30)


@dataclass
class Outcome:
    """How one run ended."""

    job_id: str
    result: str
    detail: dict = field(default_factory=dict)
    error: str | None = None


def runner_name() -> str:
    """Return host:pid, the name this process signs its runs and lease with."""
    return f"{socket.gethostname()}:{os.getpid()}"


# One dispatch run sends pass after pass of this many rows, for at most this long.
DISPATCH_BATCH = 200
DISPATCH_BUDGET = timedelta(seconds=40)


def org_date(now: datetime) -> date:
    """Return the organisation's date at an instant."""
    return now.astimezone(org_zone()).date()


def run_job(
    app: Flask, job_id: str, work: Work, *, trigger: str = "schedule", now: datetime | None = None
) -> Outcome:
    """Run one job's work in its own app context as "system", commit, and record the run.

    A job paused on 定时任务 (parameter `scheduler.paused_jobs`) skips its scheduled and
    catch-up runs, recording nothing, so its missed run is made up once it is resumed; a
    manual run still runs.
    """
    with app.app_context():
        if trigger != "manual" and job_id in paused_jobs():
            db.session.remove()
            return Outcome(job_id, "paused", {})
        try:
            with acting_as("system"):
                started = now or utcnow()
                run = JobRun(job_id=job_id, trigger=trigger, runner=runner_name())
                run.started_at = started
                db.session.add(run)
                db.session.commit()
                run_id = run.id
                try:
                    outcome = Outcome(job_id, "ok", work(started) or {})
                    db.session.commit()
                except Exception as exc:  # a job's failure is recorded, never kills the scheduler
                    db.session.rollback()
                    log.exception("job %s failed", job_id)
                    error = "".join(traceback.format_exception(exc, limit=8))[-4000:]
                    outcome = Outcome(job_id, "error", {}, error)
                run = db.session.get(JobRun, run_id)
                run.finished_at = utcnow()
                run.result, run.detail, run.error = outcome.result, outcome.detail, outcome.error
                db.session.commit()
                log.info("job %s: %s %s", job_id, outcome.result, outcome.detail)
                return outcome
        finally:
            db.session.remove()


def paused_jobs() -> set[str]:
    """Return the ids of the jobs paused on 定时任务."""
    text = all_params().get("scheduler.paused_jobs", "")
    return {part.strip() for part in text.split(",") if part.strip()}


def sweep_lock() -> bool:
    """Take the sweep's transaction-scoped lock on PostgreSQL; False if another sweep holds it."""
    # SQLite needs none: BEGIN IMMEDIATE already makes writers take turns.
    if db.session.get_bind().dialect.name != "postgresql":
        return True
    return bool(db.session.execute(SWEEP_LOCK).scalar())


def sweep(now: datetime) -> dict:
    """File overdue escalation proposals, refresh cadre colours, fire due obligations."""
    if not sweep_lock():
        return {"skipped": "another sweep is running"}
    today = org_date(now)
    proposals = file_overdue_proposals(today)
    # Time moves what warnings owe: paused clocks' obligations move on, ended influence
    # periods stop being owed; both before anything fires.
    advance_paused(today, now)
    close_ended_influences(today, now)
    colours = refresh_status_colours(today)
    fired = fire_due_obligations(today, now)
    pruned = prune_runs(now)
    return {"proposals": len(proposals), "colours": colours, **fired.as_dict(), "pruned": pruned}


def prune_runs(now: datetime, keep: timedelta = RUNS_KEPT) -> int:
    """Delete runs older than the kept period, except each job's latest; return how many."""
    # The latest run stays whatever its age: the catch-up on start compares against it.
    latest = select(func.max(JobRun.id)).group_by(JobRun.job_id)
    result = db.session.execute(
        delete(JobRun)
        .where(JobRun.started_at < now - keep, JobRun.id.not_in(latest))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def retry_policy() -> RetryPolicy:
    """Return the retry policy the parameters set (tries, backoff base)."""
    return RetryPolicy(
        max_attempts=param_int("notify.max_attempts"),
        base_delay=timedelta(seconds=param_int("notify.backoff_seconds")),
    )


def dispatch(now: datetime, *, budget: timedelta = DISPATCH_BUDGET) -> dict:
    """Send the notifications that are due: pass after pass until a pass finds fewer than a
    full batch or the run's time budget is spent (a backlog drains within one run)."""
    totals: dict[str, int] = {}
    deadline = utcnow() + budget
    while True:
        counts = dispatch_once(now, batch_size=DISPATCH_BATCH, policy=retry_policy())
        db.session.commit()
        for key, value in counts.as_dict().items():
            totals[key] = totals.get(key, 0) + value
        if counts.claimed < DISPATCH_BATCH or utcnow() >= deadline:
            return totals
        now = utcnow()


def daily_digest(now: datetime) -> dict:
    """Queue each user's to-do digest for the day."""
    return send_daily_digest(org_date(now), now)


def holiday_reminder(now: datetime) -> dict:
    """Remind sysadmins to enter next year's 节假日 schedule (from 1 November)."""
    return remind_holiday_schedule(org_date(now), now)


def log_chain_heads(now: datetime) -> dict:
    """Verify the logs' hash chains and record their heads outside the database (daily)."""
    return daily_record(now)


def meetings(now: datetime) -> dict:
    """Create the review meetings whose rhythm has come, with agenda and notices (once each)."""
    return create_due_meetings(now)
