"""Log the reads no view logs itself: lists and searches with their filters, and edit forms.

A declared registry of endpoints; after each successful GET of one of them, one access-log row
goes in the same short way `record_access` logs a record's page. Refused requests (403, 404
outside scope) are logged by the error pages (webapp/errors.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, request
from flask_login import current_user

from webapp.audit.services import record_access


@dataclass(frozen=True)
class LoggedRead:
    """What a GET of an endpoint reads: a list ("list"), an edit form ("edit") or a record."""

    action: str
    object_type: str
    id_arg: str = ""  # the view argument that names the record, for "edit" and "view"


def listing(object_type: str) -> LoggedRead:
    """Declare a list or search of a type's records."""
    return LoggedRead("list", object_type)


def edit_form(object_type: str, id_arg: str) -> LoggedRead:
    """Declare an edit form that shows a record's data."""
    return LoggedRead("edit", object_type, id_arg)


LOGGED_READS: dict[str, LoggedRead] = {
    "cadres.index": listing("Cadre"),
    "cadres.edit": edit_form("Cadre", "cadre_id"),
    "negative_info.index": listing("NegativeInfo"),
    "negative_info.queue": listing("NegativeInfo"),
    "negative_info.mine": listing("NegativeInfo"),
    "negative_info.cadre_search": listing("Cadre"),
    "negative_info.edit": edit_form("NegativeInfo", "info_id"),
    "negative_info.submission": LoggedRead("view", "NegativeInfo", "info_id"),
    "talks.index": listing("Talk"),
    "talks.cadre_search": listing("Cadre"),
    "talks.edit": edit_form("Talk", "talk_id"),
    "inquiries.index": listing("Inquiry"),
    "inquiries.edit": edit_form("Inquiry", "inquiry_id"),
    "warnings.index": listing("Warning"),
    "warnings.pending": listing("Warning"),
    "admin.users": listing("User"),
    "admin.user_edit": edit_form("User", "user_id"),
    "reminders_admin.record_list": listing("Notification"),
    "reminders_admin.record_detail": LoggedRead("view", "Notification", "notification_id"),
    # The auditor's own reading of the logs is logged too.
    "audit.operations": listing("AuditLog"),
    "audit.logins": listing("LoginLog"),
    "audit.accesses": listing("AccessLog"),
    "audit.verify": listing("LogChain"),
}


def query_filters() -> str:
    """Return the request's non-empty query arguments as one readable line."""
    return "&".join(f"{key}={value}" for key, value in request.args.items(multi=True) if value)


def log_read(response: Response) -> Response:
    """Write the access-log row of a successful GET to a registered endpoint."""
    read = LOGGED_READS.get(request.endpoint or "")
    if (
        read is None
        or request.method != "GET"
        or response.status_code != 200
        or not current_user.is_authenticated
    ):
        return response
    object_id = (request.view_args or {}).get(read.id_arg, "") if read.id_arg else ""
    record_access(read.object_type, object_id, read.action, query_filters())
    return response
