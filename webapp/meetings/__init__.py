"""Review meetings (研判会商): rhythms, frozen agendas, decisions that fire the workflow, the three lists."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint; show on a talk's page the meeting decision it answers."""
    from webapp import signals
    from webapp.meetings.queries import talk_section
    from webapp.meetings.routes import bp

    app.register_blueprint(bp)
    signals.talk_sections.connect(talk_section)
