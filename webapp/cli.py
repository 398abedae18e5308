"""Flask commands: reference data, demo data, serving."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from webapp.security.passwords import generate_password, password_problems
from webapp.seed.demo import DEMO_USERS, DatabaseNotEmpty, holds_data, seed_demo
from webapp.seed.reference import ensure_reference_data


@click.command("seed-defaults")
@with_appcontext
def seed_defaults_command():
    """Insert missing roles, dictionaries and parameters (safe to repeat)."""
    ensure_reference_data()
    click.echo("默认角色、字典和参数已就绪。")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) if data exists.")
@click.option("--cadres", default=300, show_default=True, help="How many demo cadres.")
@with_appcontext
def seed_demo_command(if_empty: bool, cadres: int):
    """Fill an empty database with the demo city, its cadres, one user per role and casework."""
    saved = Path(current_app.instance_path) / "demo-password.txt"
    if if_empty and holds_data():
        click.echo("数据库已有数据，跳过演示数据。")
        if saved.exists():
            click.echo(
                f"演示账号：{', '.join(u for u, *_ in DEMO_USERS)}；"
                f"密码：{saved.read_text().strip()}"
            )
        return
    password = current_app.config["DEMO_PASSWORD"] or generate_password()
    problems = password_problems(password, 10)
    if problems:
        raise click.ClickException("DEMO_PASSWORD 不符合密码策略：" + "；".join(problems))
    try:
        accounts = seed_demo(password, cadres=cadres)
    except DatabaseNotEmpty as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("演示数据已生成。登录账号（密码相同）：")
    for username, role in accounts.items():
        click.echo(f"  {username:<12} {role}")
    click.echo(f"  密码：{password}")
    if not current_app.config["DEMO_PASSWORD"]:
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(password + "\n")
        saved.chmod(0o600)


@click.command("sync-due")
@with_appcontext
def sync_due_command():
    """Declare what every record owes (待办时限): after an upgrade, or to repair the obligations."""
    from webapp.extensions import db
    from webapp.obligations.sync import sync_all_due

    count = sync_all_due()
    db.session.commit()
    click.echo(f"已核对待办时限：{count} 条记录。")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@with_appcontext
def serve_command(host: str, port: int, threads: int):
    """Serve the app with waitress, a production WSGI server (embedded mode)."""
    from waitress import serve

    from webapp.serving import freeze_startup_objects

    start = current_app.extensions.get("alerts.start_scheduler")
    if start and current_app.config["SCHEDULER_ENABLED"]:
        # Embedded mode: one process serves and reminds (a lease keeps it to one scheduler).
        start(current_app._get_current_object())
        click.echo("提醒调度已在本进程中运行。")
    click.echo(f"干部监督预警系统已启动：http://{host}:{port}/  （按 Ctrl+C 停止）")
    freeze_startup_objects()
    serve(current_app._get_current_object(), host=host, port=port, threads=threads, ident="ganbu")


def init_app(app: Flask) -> None:
    """Register the commands."""
    for command in (seed_defaults_command, seed_demo_command, sync_due_command, serve_command):
        app.cli.add_command(command)
    try:
        from bench.cli import bench_cli  # light: the generator loads when `flask bench seed` runs
    except ImportError:  # an installed copy ships without bench/
        return
    app.cli.add_command(bench_cli)
