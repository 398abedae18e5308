"""Word documents (文书) filled from the records, downloaded by users who may see them."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint."""
    from webapp.documents.routes import bp

    app.register_blueprint(bp)
