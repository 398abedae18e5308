"""Talk records (谈话记录)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint and connect the signals this area answers."""
    from webapp import signals
    from webapp.talks import services
    from webapp.talks.follow_up import follow_up_provisional
    from webapp.talks.routes import bp

    app.register_blueprint(bp)
    app.jinja_env.globals.update(follow_up_provisional=follow_up_provisional)
    signals.cadre_timeline.connect(services.talk_entries)
    signals.attachment_owners.connect(services.attachment_owners)
    signals.warning_sections.connect(services.warning_section)
