"""Cadre roster (台账), profile (画像) and career events."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint; recount provisional 必谈 dues when holiday data changes."""
    from webapp import signals
    from webapp.cadres.due import recompute_provisional_talks
    from webapp.cadres.routes import bp

    app.register_blueprint(bp)
    signals.holidays_changed.connect(recompute_provisional_talks)
