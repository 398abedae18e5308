"""Written inquiries (函询)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint and connect the signals this area answers."""
    from webapp import signals
    from webapp.inquiries import services
    from webapp.inquiries.routes import bp

    app.register_blueprint(bp)
    signals.cadre_timeline.connect(services.inquiry_entries)
    signals.holidays_changed.connect(services.recompute_provisional_replies)
    signals.negative_info_sections.connect(services.negative_info_section)
