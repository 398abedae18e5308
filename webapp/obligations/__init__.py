"""Obligations (待办/时限): the one source of what is due, kept in step by the areas' services."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Re-time open reminders when holiday data changes (after the areas move their dues)."""
    from webapp import signals
    from webapp.obligations import services

    signals.holidays_changed.connect(services.reschedule_open)
