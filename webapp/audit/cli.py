"""`flask audit ...`: check the logs' hash chains from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from webapp.audit.verify import verify_all
from webapp.extensions import db

audit_cli = AppGroup("audit", help="审计日志的校验。")


@audit_cli.command("verify")
def verify_command():
    """Verify the hash chain of every log; exit 1 naming the first broken row of each."""
    reports = verify_all(db.session.connection())
    db.session.rollback()
    for report in reports:
        if report.intact:
            click.echo(f"{report.table}: 完好，共 {report.rows} 行，链头 {report.head}")
        else:
            broken = report.broken
            click.echo(f"{report.table}: 第 #{broken.row_id} 行损坏：{broken.message}", err=True)
    if not all(report.intact for report in reports):
        raise SystemExit(1)
