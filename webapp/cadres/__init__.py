"""Cadre roster (台账), profile (画像) and career events."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint."""
    from webapp.cadres.routes import bp

    app.register_blueprint(bp)
