"""Login, logout, lockout, idle timeout and password change."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint."""
    from webapp.auth.routes import bp

    app.register_blueprint(bp)
