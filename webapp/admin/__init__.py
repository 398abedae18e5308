"""System administration: users, units, dictionaries, parameters."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint."""
    from webapp.admin.routes import bp

    app.register_blueprint(bp)
