"""Review meetings (研判会商): rhythms, frozen agendas, decisions that fire the workflow, the three lists."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint."""
    from webapp.meetings.routes import bp

    app.register_blueprint(bp)
