"""Working-day calendar from the database, and the holiday maintenance page (节假日维护)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint."""
    from webapp.holidays.routes import bp

    app.register_blueprint(bp)
