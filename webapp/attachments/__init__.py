"""Attachments (附件): content-checked uploads stored outside the static folder."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint."""
    from webapp.attachments.routes import bp

    app.register_blueprint(bp)
