"""站内消息: the user's in-app notifications, read and marked read, and the top bar's badge."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint and the badge's template global."""
    from webapp.inbox.routes import bp, unread_badge

    app.register_blueprint(bp)
    app.jinja_env.globals.update(inbox_unread=unread_badge)
