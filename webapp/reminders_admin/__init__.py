"""The reminder admin pages: 消息通道, 定时任务 and 发送记录 (sysadmin only, no case content)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint."""
    from webapp.reminders_admin.routes import bp

    app.register_blueprint(bp)
