"""Reminders: jobs, scheduler, lease, dispatcher and channels (the pure due rules are workflows.obligations)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing the alerts package starts nothing and loads no Flask
    from flask import Flask


def start_scheduler_thread(app: Flask):
    """Run the scheduler in a daemon thread of this process (embedded mode); return its runner."""
    from alerts.runner import start_in_thread

    return start_in_thread(app)


def init_app(app: Flask) -> None:
    """Register `flask alerts ...`; starts nothing (the scheduler is its own command or thread).

    The serving command finds the embedded-mode starter in ``app.extensions`` so the webapp
    never imports alerts (DESIGN §8).
    """
    from alerts import admin_hooks
    from alerts.cli import alerts_cli

    app.cli.add_command(alerts_cli)
    app.extensions["alerts.start_scheduler"] = start_scheduler_thread
    app.extensions["alerts.list_jobs"] = admin_hooks.list_jobs
    app.extensions["alerts.run_job"] = admin_hooks.run_job_now
    app.extensions["alerts.test_send"] = admin_hooks.test_send
