"""The 定时任务 page: each declared job, its cron, last and next run, pause and run now.

The job list lives in alerts (DESIGN §8: the webapp does not import it). ``alerts.init_app``
may offer ``app.extensions["alerts.list_jobs"]`` (→ ``[(id, label, cron), ...]``) and
``app.extensions["alerts.run_job"]`` (job id → an outcome with ``result``, ``detail``,
``error``); without them the page falls back to the ``scheduler.*_cron`` parameters and
the recorded runs, and 立即执行 says it is unavailable.

Paused jobs are stored as the parameter ``scheduler.paused_jobs`` ("sweep,dispatch"); the
scheduler skips a paused job's scheduled runs (a manual run still runs).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from webapp.audit.services import record_operation
from webapp.cron import crontab_trigger
from webapp.extensions import db
from webapp.lookups import all_params, forget_cached
from webapp.models import Parameter
from webapp.models.base import utcnow
from webapp.models.scheduler import JobRun
from webapp.parameters import PARAMETER_DEFAULTS

PAUSED_KEY = "scheduler.paused_jobs"
# How a run was started (JobRun.trigger), as the page says it.
TRIGGER_LABELS = {
    "schedule": _l("按计划"),
    "catch_up": _l("补执行"),
    "manual": _l("手动执行"),
}
LIST_EXTENSION = "alerts.list_jobs"
RUN_EXTENSION = "alerts.run_job"
CRON_PREFIX, CRON_SUFFIX = "scheduler.", "_cron"

# The counts the jobs record (alerts.jobs and what they call), as the page names them.
DETAIL_LABELS = {
    "proposals": _l("升级建议"),
    "colours": _l("预警颜色更新"),
    "obligations": _l("到期事项"),
    "stages": _l("提醒节点"),
    "queued": _l("消息入队"),
    "unaddressed": _l("无人接收"),
    "suppressed": _l("暂停提醒"),
    "acknowledged": _l("已知悉未提醒"),
    "pruned": _l("清理运行记录"),
    "claimed": _l("取出"),
    "sent": _l("已发送"),
    "failed": _l("失败待重试"),
    "dead": _l("发送失败"),
    "deferred": _l("顺延"),
    "users": _l("用户"),
    "items": _l("事项"),
    "year": _l("年份"),
    "skipped": _l("跳过"),
}


class JobError(ValueError):
    """A request the page refuses (unknown job, nothing to run it with)."""


@dataclass(frozen=True)
class JobRow:
    """One line of the 定时任务 page."""

    id: str
    label: str
    cron: str
    paused: bool
    last: JobRun | None
    next_run: datetime | None


def declared_jobs() -> list[tuple[str, str, str]]:
    """Return (id, label, cron) of every job, from alerts when it offers them."""
    listed = current_app.extensions.get(LIST_EXTENSION)
    if listed is not None:
        return [(job_id, label, cron) for job_id, label, cron in listed()]
    params = all_params()
    jobs = {}
    for key, spec in PARAMETER_DEFAULTS.items():
        if key.startswith(CRON_PREFIX) and key.endswith(CRON_SUFFIX):
            job_id = key[len(CRON_PREFIX) : -len(CRON_SUFFIX)]
            jobs[job_id] = (job_id, spec.description, params.get(key) or spec.value)
    for job_id in db.session.scalars(select(JobRun.job_id).distinct()):
        jobs.setdefault(job_id, (job_id, job_id, ""))
    return sorted(jobs.values())


def next_fire(expression: str, after: datetime) -> datetime | None:
    """Return a cron expression's first fire time after an instant (None if unreadable)."""
    try:
        trigger = crontab_trigger(expression, UTC)
    except ValueError:
        return None
    return trigger.get_next_fire_time(None, after + timedelta(microseconds=1))


def trigger_label(trigger: str) -> str:
    """Return how a run was started, in words (the raw value if unknown)."""
    return str(TRIGGER_LABELS.get(trigger, trigger))


def detail_line(detail: dict | None) -> str:
    """Return what a run did as one line ("用户 2，事项 5，消息入队 3"), or "-"."""
    parts = [f"{DETAIL_LABELS.get(key, key)} {value}" for key, value in (detail or {}).items()]
    return "，".join(parts) or "-"


def latest_runs() -> dict[str, JobRun]:
    """Return each job's latest recorded run."""
    newest = select(func.max(JobRun.id)).group_by(JobRun.job_id)
    return {
        run.job_id: run for run in db.session.scalars(select(JobRun).where(JobRun.id.in_(newest)))
    }


def paused_jobs() -> set[str]:
    """Return the ids of the paused jobs."""
    return {part.strip() for part in all_params().get(PAUSED_KEY, "").split(",") if part.strip()}


def job_rows(now: datetime | None = None) -> list[JobRow]:
    """Return every job with its cron, pause state, last run and next run."""
    now = now or utcnow()
    latest, paused = latest_runs(), paused_jobs()
    return [
        JobRow(
            job_id,
            label,
            cron,
            job_id in paused,
            latest.get(job_id),
            None if job_id in paused or not cron else next_fire(cron, now),
        )
        for job_id, label, cron in declared_jobs()
    ]


def _known(job_id: str) -> None:
    if job_id not in {job_id for job_id, _label, _cron in declared_jobs()}:
        raise JobError(_("未知的定时任务：%(id)s", id=job_id))


def set_paused(job_id: str, paused: bool) -> None:
    """Pause or resume a job's scheduled runs and commit (the parameter row is audited)."""
    _known(job_id)
    ids = paused_jobs()
    ids = ids | {job_id} if paused else ids - {job_id}
    value = ",".join(sorted(ids))
    row = db.session.scalars(select(Parameter).where(Parameter.key == PAUSED_KEY)).first()
    if row is None:
        row = Parameter(
            key=PAUSED_KEY,
            value=value,
            value_type="list",
            group="提醒",
            description="已暂停的定时任务（任务ID，逗号分隔）",
        )
        db.session.add(row)
    row.value = value
    db.session.commit()
    forget_cached()


def run_now(job_id: str) -> str:
    """Run a job at once through alerts; return the result line to show."""
    _known(job_id)
    runner = current_app.extensions.get(RUN_EXTENSION)
    if runner is None:
        raise JobError(
            _(
                "当前进程未提供立即执行功能，请在服务器上运行 flask alerts run-job %(id)s。",
                id=job_id,
            )
        )
    record_operation("run_job", "JobRun", job_id, f"立即执行 {job_id}")
    db.session.commit()
    outcome = runner(job_id)
    if outcome.result == "ok":
        return _("已执行：%(detail)s", detail=detail_line(outcome.detail))
    raise JobError(_("执行出错：%(error)s", error=(outcome.error or "")[-300:]))
