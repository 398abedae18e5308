"""API clients (接入系统): created by the system admin, granted by the security admin."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the client pages and `flask api-clients`."""
    from webapp.api_clients.cli import api_clients_cli
    from webapp.api_clients.routes import bp

    app.register_blueprint(bp)
    app.cli.add_command(api_clients_cli)
