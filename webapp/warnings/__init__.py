"""Warnings (预警事项): the workflow's pages, its one state writer and its consequences."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint and connect the signals this area answers."""
    from webapp import signals
    from webapp.warnings import consequences, owners, queries, scheduled, templating
    from webapp.warnings.routes import bp

    templating.init_app(app)

    app.register_blueprint(bp)
    signals.cadre_timeline.connect(queries.warning_entries)
    signals.cadre_profile_sections.connect(templating.cadre_section)
    signals.negative_info_sections.connect(templating.negative_info_section)
    signals.verification_concluded.connect(consequences.on_verification_concluded)
    signals.holidays_changed.connect(scheduled.recompute_provisional_deadlines)
    signals.attachment_owners.connect(owners.attachment_owners)
