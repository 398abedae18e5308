"""通知设置: each user chooses the channels his reminders reach him on."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint."""
    from webapp.settings_self.routes import bp

    app.register_blueprint(bp)
