"""One access-log row per API call: which client, which endpoint, which record, what result."""

from __future__ import annotations

from flask import Response, current_app, g, request
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db
from webapp.models import AccessLog

# AccessLog.action holds 16 characters: each endpoint's short name.
ACTIONS = {
    "api.submit": "api_submit",
    "api.submission": "api_status",
    "api.cadres": "api_cadres",
    "api.warnings": "api_warnings",
    "api.warning": "api_warning",
    "api.dictionary": "api_dictionary",
}


def mark_record(object_type: str, object_id: int | str) -> None:
    """Name the record this call touched, for its log row."""
    g.api_record = (object_type, str(object_id))


def log_call(response: Response) -> Response:
    """Write the call's row in a transaction of its own (after each API request)."""
    client = g.get("api_caller")
    object_type, object_id = g.get("api_record", ("ApiCall", ""))
    result = f"status={response.status_code}"
    if request.query_string:
        result += " " + request.query_string.decode("utf-8", "replace")
    try:
        db.session.rollback()  # a refused call keeps nothing; a served one has committed
        db.session.add(
            AccessLog(
                user_id=client.account_id if client else None,
                username=client.account.username if client else "",
                action=ACTIONS.get(request.endpoint or "", "api_call"),
                object_type=object_type,
                object_id=object_id[:64],
                path=f"{request.method} {request.path}"[:255],
                filters=(f"client={client.name} " if client else "client=- ") + result[:400],
                ip=request.remote_addr or "",
                denied=response.status_code >= 400,
            )
        )
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("could not log the API call on %s", request.path)
    return response
