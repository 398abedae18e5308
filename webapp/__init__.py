"""The application factory: it loads settings and wires extensions, blueprints and commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session as OrmSession
from werkzeug.middleware.proxy_fix import ProxyFix

from config import INSTANCE_DIR, config_for


def create_app(config_name: str | None = None, overrides: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app for a mode ("development", "testing", "production")."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.from_object(config_for(config_name))
    app.config.update(overrides or {})
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)  # as flaskr does
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from webapp import cli, converters, database, errors, i18n, templating
    from webapp.audit import recorder
    from webapp.auth import login
    from webapp.extensions import csrf, db, limiter, migrate
    from webapp.security import headers, scope, scope_unit

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    converters.init_app(app)  # before the blueprints: their <int:...> rules use it
    headers.init_app(app)
    scope.register(OrmSession)  # a unit's write forgets the subtrees read
    scope_unit.register(OrmSession)  # ahead of the audit's look at each flush
    recorder.register(OrmSession)

    # The areas, each registering its blueprint and connecting the signals it answers
    # (webapp/signals.py): a web worker and a scheduler process get the same wiring.
    from webapp import (
        admin,
        api,
        api_clients,
        attachments,
        audit,
        auth,
        cadres,
        dashboard,
        documents,
        holidays,
        imports,
        inbox,
        inquiries,
        main,
        meetings,
        negative_info,
        obligations,
        reminders_admin,
        settings_self,
        talks,
        units,
        warnings,
    )

    for area in (
        main,
        auth,
        cadres,
        admin,
        audit,
        negative_info,
        attachments,
        talks,
        inquiries,
        documents,
        imports,
        holidays,
        warnings,
        meetings,
        dashboard,
        inbox,
        reminders_admin,
        settings_self,
        obligations,
        api_clients,
        api,
        units,
    ):
        area.init_app(app)
    # Reminders plug in here only: the webapp never imports alerts elsewhere (DESIGN §8).
    import alerts

    alerts.init_app(app)
    cli.init_app(app)
    return app
