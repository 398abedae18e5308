"""`flask warnings ...`: the daily work the scheduler (or cron) runs for warnings."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from webapp.extensions import db
from webapp.warnings.colours import refresh_status_colours
from webapp.warnings.scheduled import file_overdue_proposals

warnings_cli = AppGroup("warnings", help="预警事项的定时处理。")


@warnings_cli.command("sweep")
def sweep_command():
    """File escalation proposals for overdue warnings and refresh cadres' status colours."""
    proposals = file_overdue_proposals()
    changed = refresh_status_colours()
    db.session.commit()
    click.echo(f"新增升级建议 {len(proposals)} 条；干部预警状态变化 {changed} 人。")
