"""Reminders: pure rules, jobs, scheduler, dispatcher and channels."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register `flask alerts ...` (starts nothing: the scheduler is its own command)."""
    from alerts.cli import alerts_cli

    app.cli.add_command(alerts_cli)
