"""The application factory: it loads settings and wires extensions, blueprints and commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session as OrmSession

from config import INSTANCE_DIR, config_for


def create_app(config_name: str | None = None, overrides: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app for a mode ("development", "testing", "production")."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.from_object(config_for(config_name))
    app.config.update(overrides or {})
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)  # as flaskr does

    from webapp import cli, database, errors, i18n, templating
    from webapp.audit import recorder
    from webapp.auth import login
    from webapp.extensions import csrf, db, limiter, migrate

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    recorder.register(OrmSession)

    from webapp.admin.routes import bp as admin_bp
    from webapp.attachments.routes import bp as attachments_bp
    from webapp.audit.routes import bp as audit_bp
    from webapp.auth.routes import bp as auth_bp
    from webapp.cadres.routes import bp as cadres_bp
    from webapp.documents.routes import bp as documents_bp
    from webapp.holidays.routes import bp as holidays_bp
    from webapp.imports.routes import bp as imports_bp
    from webapp.inquiries.routes import bp as inquiries_bp
    from webapp.main.routes import bp as main_bp
    from webapp.negative_info.routes import bp as negative_info_bp
    from webapp.talks.routes import bp as talks_bp
    from webapp.warnings.routes import bp as warnings_bp

    for blueprint in (
        main_bp,
        auth_bp,
        cadres_bp,
        admin_bp,
        audit_bp,
        negative_info_bp,
        attachments_bp,
    ):
        app.register_blueprint(blueprint)
    for blueprint in (talks_bp, inquiries_bp, documents_bp):
        app.register_blueprint(blueprint)
    for blueprint in (imports_bp, holidays_bp, warnings_bp):
        app.register_blueprint(blueprint)
    cli.init_app(app)
    return app
