"""Home page, health check, language switch."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint."""
    from webapp.main.routes import bp

    app.register_blueprint(bp)
