"""`flask alerts ...`: list and run the scheduled jobs, dispatch, run the scheduler service."""

from __future__ import annotations

import signal
import sys
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from alerts import lease, schedule
from alerts.jobs import run_job
from alerts.runner import Options, Runner
from alerts.simulate import simulate
from webapp.clock import org_today, to_org
from webapp.models.base import utcnow

alerts_cli = AppGroup("alerts", help="提醒、定时任务与消息发送。")


def _parse_crons(values: tuple[str, ...]) -> dict[str, str]:
    crons = {}
    for value in values:
        job_id, sep, expression = value.partition("=")
        if not sep or job_id not in {s.id for s in schedule.JOBS}:
            raise click.BadParameter(f"应为 任务ID=cron表达式，且任务ID存在：{value!r}")
        try:
            schedule.trigger(expression)
        except ValueError as exc:
            raise click.BadParameter(f"cron 表达式无效：{expression!r}（{exc}）") from exc
        crons[job_id] = expression
    return crons


def _when(value) -> str:
    return to_org(value).strftime("%Y-%m-%d %H:%M:%S") if value else "-"


@alerts_cli.command("list-jobs")
def list_jobs_command():
    """List each job with its schedule, last run and next run (times in the org's zone)."""
    latest = schedule.latest_runs()
    now = utcnow()
    for spec in schedule.JOBS:
        cron = schedule.cron_for(spec)
        run = latest.get(spec.id)
        click.echo(
            f"{spec.id:<18} {cron:<15} 上次 {_when(run and run.started_at):<19} "
            f"{run.result if run else '-':<7} "
            f"下次 {_when(schedule.next_fire(cron, now)):<19} {spec.label}"
        )
    held = lease.current()
    if held is not None and held.holder and held.expires_at > now:
        click.echo(f"运行中的调度进程：{held.holder}（租约至 {_when(held.expires_at)}）")
    else:
        click.echo("当前没有运行中的调度进程。")


@alerts_cli.command("run-job")
@click.argument("job_id", type=click.Choice([s.id for s in schedule.JOBS]))
def run_job_command(job_id: str):
    """Run one job now, record the run, and print what it did."""
    spec = schedule.job(job_id)
    outcome = run_job(current_app._get_current_object(), spec.id, spec.work, trigger="manual")
    click.echo(f"{spec.id}: {outcome.result} {outcome.detail}")
    if outcome.result != "ok":
        click.echo(outcome.error or "", err=True)
        sys.exit(1)


@alerts_cli.command("dispatch")
def dispatch_command():
    """Send the notifications that are due now (one dispatcher pass, recorded as a run)."""
    spec = schedule.job("dispatch")
    outcome = run_job(current_app._get_current_object(), spec.id, spec.work, trigger="manual")
    click.echo(f"dispatch: {outcome.result} {outcome.detail}")
    if outcome.result != "ok":
        click.echo(outcome.error or "", err=True)
        sys.exit(1)


@alerts_cli.command("simulate")
@click.option("--days", default=7, show_default=True, type=click.IntRange(1, 366))
def simulate_command(days: int):
    """Show what the sweep would send to whom on each of the next days (writes nothing)."""
    planned = simulate(org_today(), days)
    for item in planned:
        click.echo(
            f"{item.day.isoformat()}  {item.recipient:<16} {item.label}·{item.stage.label}"
            f"（#{item.obligation_id}）"
        )
    click.echo(f"共 {len(planned)} 条提醒（演练，未写入、未发送）。")


@alerts_cli.command("run-scheduler")
@click.option("--lease-seconds", default=60.0, show_default=True, help="Lease period.")
@click.option("--poll-seconds", type=float, help="Standby polling (default: a third of the lease).")
@click.option("--cron", "crons", multiple=True, metavar="ID=EXPR", help="Override a job's cron.")
@click.option("--only", multiple=True, metavar="ID", help="Run only these jobs (repeatable).")
def run_scheduler_command(
    lease_seconds: float, poll_seconds: float | None, crons: tuple[str, ...], only: tuple[str, ...]
):
    """Run the jobs while this process holds the lease; stand by otherwise (a service)."""
    unknown = set(only) - {s.id for s in schedule.JOBS}
    if unknown:
        raise click.BadParameter(f"未知任务：{', '.join(sorted(unknown))}")
    options = Options(
        lease_period=timedelta(seconds=lease_seconds),
        poll=timedelta(seconds=poll_seconds) if poll_seconds else None,
        crons=_parse_crons(crons),
        only=only,
    )
    runner = Runner(current_app._get_current_object(), options)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: runner.stop())
    click.echo(f"调度进程 {runner.holder} 已启动（租约 {lease_seconds:g} 秒）。")
    runner.run()
    click.echo(f"调度进程 {runner.holder} 已停止。")
