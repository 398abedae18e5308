"""Error pages (403/404/500) in the UI's language."""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

from webapp.extensions import db

SHOWN = (400, 403, 404, 405, 413, 429, 500)


def render_error(error: HTTPException):
    """Render the error page for an HTTP error code."""
    code = error.code or 500
    if code >= 500:
        db.session.rollback()
    return render_template("errors/error.html", code=code), code


def init_app(app: Flask) -> None:
    """Register the error pages."""
    for code in SHOWN:
        app.register_error_handler(code, render_error)
