"""Administration: the system admin's accounts, units, dictionaries, parameters; 授权 pages."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint (the 授权 pages add their views to it) and `flask accounts`."""
    from webapp.admin import grant_routes  # noqa: F401  (its views join the blueprint)
    from webapp.admin.cli import accounts_cli
    from webapp.admin.routes import bp
    from webapp.admin.services import rhythm_of

    app.register_blueprint(bp)
    app.cli.add_command(accounts_cli)
    # When a cron expression runs, in words: 参数管理 and the 定时任务 page say it alike.
    app.jinja_env.globals.update(cron_rhythm=rhythm_of)
