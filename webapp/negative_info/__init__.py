"""Negative information (负面信息): intake, liaison submissions, verification, register."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint and connect the signals this area answers."""
    from webapp import signals
    from webapp.negative_info import imports, services, verification
    from webapp.negative_info.routes import bp

    app.register_blueprint(bp)
    signals.cadre_timeline.connect(services.report_entries)
    signals.holidays_changed.connect(verification.recompute_provisional_deadlines)
    signals.inquiry_concluded.connect(verification.verify_from_inquiry)
    signals.attachment_owners.connect(services.attachment_owners)
    signals.import_kinds.connect(imports.import_kinds)
