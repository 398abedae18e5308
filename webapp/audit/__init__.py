"""Audit trail: operation, login and access logs and the auditor's pages."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint."""
    from webapp.audit.routes import bp

    app.register_blueprint(bp)
