"""`flask audit ...`: check the logs' hash chains from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from webapp.audit.checks import check
from webapp.clock import utc_now
from webapp.extensions import db

audit_cli = AppGroup("audit", help="审计日志的校验。")


@audit_cli.command("verify")
def verify_command():
    """Verify every log's chain and its recorded head, record the heads; exit 1 on a break."""
    result = check(db.session.connection(), "cli", utc_now())
    db.session.rollback()
    for report in result.reports:
        broken = report.broken
        if broken is None:
            click.echo(
                f"{report.table}: 完好，共 {report.rows} 行，"
                f"末行 #{report.last_id}，链头 {report.head}"
            )
        elif broken.row_id is None:
            click.echo(f"{report.table}: 已损坏：{broken.message}", err=True)
        else:
            click.echo(f"{report.table}: 第 #{broken.row_id} 行损坏：{broken.message}", err=True)
    if result.head_error:
        click.echo(f"链头文件无法读写：{result.head_error}", err=True)
    elif result.path is not None:
        click.echo(f"链头已记录到 {result.path}")
    if not result.intact:
        raise SystemExit(1)
