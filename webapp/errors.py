"""Error pages (403/404/500) in the UI's language; refused attempts go to the access log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, render_template, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from webapp.audit.services import record_denied
from webapp.extensions import db
from webapp.security.scope import OutOfScope

SHOWN = (400, 403, 404, 405, 413, 429, 500)


def denial(error: HTTPException) -> tuple[str, str] | None:
    """Return (object type, object id) of a refused attempt, or None for another error."""
    if isinstance(error, OutOfScope):
        return error.object_type, error.object_id
    if error.code == 403:
        return "endpoint", request.endpoint or ""
    return None


def log_denial(object_type: str, object_id: str) -> None:
    """Write the denied row in a transaction of its own, after dropping the refused request's."""
    # Nothing of a refused request is kept; rolling back first also frees SQLite's write lock.
    db.session.rollback()
    try:
        record_denied(object_type, object_id)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("could not log a denied attempt on %s", request.path)


# URL prefixes whose errors an area answers itself (the API's problem+json), even where no
# endpoint matched, so no blueprint's own handler could run.
PREFIX_HANDLERS: dict[str, Callable[[HTTPException], Any]] = {}


def answer_under(prefix: str, handler: Callable[[HTTPException], Any]) -> None:
    """Let an area answer the errors of every URL under a prefix (e.g. an unknown API path)."""
    PREFIX_HANDLERS[prefix] = handler


def render_error(error: HTTPException):
    """Render the error page for an HTTP error code."""
    for prefix, handler in PREFIX_HANDLERS.items():
        if request.path.startswith(prefix):
            return handler(error)
    code = error.code or 500
    denied = denial(error)
    if denied is not None:
        log_denial(*denied)
    elif code >= 500:
        db.session.rollback()
    return render_template("errors/error.html", code=code), code


def init_app(app: Flask) -> None:
    """Register the error pages."""
    for code in SHOWN:
        app.register_error_handler(code, render_error)
