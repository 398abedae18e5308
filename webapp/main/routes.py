"""Home page, health check and language switch."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session
from flask_login import current_user, login_required
from sqlalchemy import text

from webapp.auth.routes import safe_next
from webapp.extensions import db
from webapp.main.services import dashboard_counts

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def index():
    """Show the user's workbench."""
    return render_template("main/index.html", counts=dashboard_counts(current_user))


@bp.route("/healthz")
def healthz():
    """Answer whether the app and its database are up (no login, nothing sensitive)."""
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # any database failure means "down" here
        db.session.rollback()
        database = "error"
    status = 200 if database == "ok" else 503
    return jsonify(status="ok" if status == 200 else "degraded", database=database), status


@bp.route("/locale/<code>", methods=["POST"])
def set_locale(code: str):
    """Switch the interface language for this session."""
    if code in current_app.config["LANGUAGES"]:
        session["locale"] = code
    return redirect(safe_next(request.form.get("next")))
