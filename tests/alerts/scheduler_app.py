"""The app a scheduler subprocess of the tests runs: the factory's app with `flask alerts`."""

from __future__ import annotations

import alerts
from webapp import create_app


def create():
    """Build the app from the environment (DATABASE_URL) with the alerts commands."""
    app = create_app()
    alerts.init_app(app)  # until create_app calls it itself; registering twice is harmless
    return app
