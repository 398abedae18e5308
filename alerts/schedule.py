"""The one declared list of scheduled jobs: stable ids, cron expressions from parameters, UTC.

Each cron expression is read, in order, from the app's ``SCHEDULER_CRON`` mapping (tests and
`run-scheduler --cron`), the parameter ``scheduler.<id>_cron`` when it exists, a daily job's
local-time parameter (the digest's ``reminder.daily_digest_time``), or the default below. Five fields are a crontab (minute hour day month weekday); six put seconds first.
Times are UTC: the digest's 08:00 Asia/Shanghai is 00:00 UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from flask import current_app
from sqlalchemy import func, select

from alerts import jobs
from webapp.clock import org_zone
from webapp.cron import crontab_trigger
from webapp.extensions import db
from webapp.lookups import all_params
from webapp.models.scheduler import JobRun

# Every job: a missed run is made up once (coalesce), never two at once, never too late.
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}


@dataclass(frozen=True)
class JobSpec:
    """One scheduled job."""

    id: str
    label: str
    work: jobs.Work
    default_cron: str
    # A daily job whose time of day is a parameter in the organisation's zone ("08:00").
    local_time_param: str | None = None

    @property
    def param_key(self) -> str:
        """Return the parameter that may hold this job's cron expression."""
        return f"scheduler.{self.id}_cron"


JOBS: tuple[JobSpec, ...] = (
    JobSpec("sweep", "定时巡检（升级建议、预警状态、到期提醒）", jobs.sweep, "*/5 * * * *"),
    JobSpec("dispatch", "发送消息", jobs.dispatch, "* * * * *"),
    JobSpec(
        "daily_digest",
        "每日待办汇总",
        jobs.daily_digest,
        "0 0 * * *",
        local_time_param="reminder.daily_digest_time",
    ),
    JobSpec("holiday_reminder", "节假日安排录入提醒", jobs.holiday_reminder, "0 1 * * *"),
    # Often enough that a meeting appears minutes after its kind's rhythm (meeting.*_cron).
    JobSpec("meetings", "研判会商（按节奏生成会议和议程）", jobs.meetings, "*/10 * * * *"),
    # 00:30 Beijing time: the day's chain heads go to AUDIT_HEAD_FILE, out of the logs' reach.
    JobSpec("log_chain_heads", "校验日志链并记录链头", jobs.log_chain_heads, "30 16 * * *"),
)


def job(job_id: str) -> JobSpec:
    """Return the job with this id, or raise KeyError."""
    for spec in JOBS:
        if spec.id == job_id:
            return spec
    raise KeyError(job_id)


def cron_for(spec: JobSpec, overrides: Mapping[str, str] | None = None) -> str:
    """Return the cron expression in force for a job."""
    if overrides and spec.id in overrides:
        return overrides[spec.id]
    configured = current_app.config.get("SCHEDULER_CRON") or {}
    if spec.id in configured:
        return configured[spec.id]
    params = all_params()
    if params.get(spec.param_key):
        return params[spec.param_key]
    if spec.local_time_param and params.get(spec.local_time_param):
        return daily_utc_cron(params[spec.local_time_param], org_zone())
    return spec.default_cron


def daily_utc_cron(local_time: str, zone: ZoneInfo) -> str:
    """Return the UTC crontab of a daily local time ("08:00" in Asia/Shanghai → "0 0 * * *")."""
    # The zone's offset today: exact for zones without daylight saving, such as China's.
    hour, minute = (int(part) for part in local_time.split(":"))
    local = datetime.now(zone).replace(hour=hour, minute=minute, second=0, microsecond=0)
    at = local.astimezone(UTC)
    return f"{at.minute} {at.hour} * * *"


def trigger(expression: str) -> CronTrigger:
    """Return the UTC trigger of a cron expression (5 fields, or 6 with seconds first)."""
    return crontab_trigger(expression, UTC)


def next_fire(expression: str, after: datetime) -> datetime | None:
    """Return the first fire time strictly after an instant."""
    return trigger(expression).get_next_fire_time(None, after + timedelta(microseconds=1))


def last_runs() -> dict[str, datetime]:
    """Return each job's latest recorded start."""
    rows = db.session.execute(
        select(JobRun.job_id, func.max(JobRun.started_at)).group_by(JobRun.job_id)
    ).all()
    # max() over the UTC column comes back as the dialect's raw value; make it aware UTC.
    return {job_id: _aware(started) for job_id, started in rows if started is not None}


def latest_runs() -> dict[str, JobRun]:
    """Return each job's latest recorded run (for list-jobs and the 定时任务 page)."""
    newest = select(func.max(JobRun.id)).group_by(JobRun.job_id)
    return {
        run.job_id: run for run in db.session.scalars(select(JobRun).where(JobRun.id.in_(newest)))
    }


def missed(now: datetime, overrides: Mapping[str, str] | None = None, specs=JOBS) -> list[JobSpec]:
    """Return the jobs with a fire time between their last recorded run and now."""
    last = last_runs()
    out = []
    for spec in specs:
        ran = last.get(spec.id)
        if ran is None:
            out.append(spec)  # never ran here: run once on start
            continue
        due = next_fire(cron_for(spec, overrides), ran)
        if due is not None and due <= now:
            out.append(spec)
    return out


def _aware(value) -> datetime:
    if isinstance(value, str):  # SQLite hands aggregates back as text
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
