"""Audit trail: operation, login and access logs, their hash chains and the auditor's pages."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the blueprint, the read logging, the chain's engine hook and `flask audit`."""
    from webapp.audit import chain, reads
    from webapp.audit.cli import audit_cli
    from webapp.audit.routes import bp
    from webapp.extensions import db

    app.register_blueprint(bp)
    app.after_request(reads.log_read)
    app.cli.add_command(audit_cli)
    with app.app_context():
        for engine in db.engines.values():
            chain.watch(engine)
