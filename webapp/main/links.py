"""Where an obligation leads: its record's page, as a path, or as a full URL for pushed messages.

Paths are built from the URL map, so they work inside a request and in a scheduled job alike.
A message that leaves the system (email, 企业微信, 钉钉, webhook) needs an absolute URL: it is
the configured ``PUBLIC_BASE_URL`` (the address users open the system at, with any path
prefix) followed by the path; without it, ``SERVER_NAME`` with ``PREFERRED_URL_SCHEME``, and
without either the bare path.
"""

from __future__ import annotations

from flask import current_app

from webapp.models.obligations import Obligation

# The page each subject type (the areas' due.SUBJECT) leads to: (endpoint, its id argument);
# others (cadre_event) lead to the cadre's profile.
SUBJECT_PAGES = {
    "warning": ("warnings.detail", "warning_id"),
    "inquiry": ("inquiries.detail", "inquiry_id"),
    "talk": ("talks.detail", "talk_id"),
    "negative_info": ("negative_info.detail", "info_id"),
}
TODO_ANCHOR = "todo"


def path_for(endpoint: str, **values) -> str:
    """Return an endpoint's path from the site root, with or without a request."""
    anchor = values.pop("_anchor", None)
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return f"{path}#{anchor}" if anchor else path


def record_endpoint(obligation: Obligation) -> tuple[str, dict[str, int]]:
    """Return the endpoint and arguments of the record the obligation is about."""
    page = SUBJECT_PAGES.get(obligation.subject_type)
    if page is None:
        return "cadres.profile", {"cadre_id": obligation.cadre_id}
    endpoint, argument = page
    return endpoint, {argument: obligation.subject_id}


def record_path(obligation: Obligation) -> str:
    """Return the path of the record the obligation is about (the cadre's profile if none)."""
    endpoint, values = record_endpoint(obligation)
    return path_for(endpoint, **values)


def warning_path(warning_id: int) -> str:
    """Return the path of a warning's page."""
    return path_for("warnings.detail", warning_id=warning_id)


def todo_path() -> str:
    """Return the path of 我的待办 (on the workbench)."""
    return path_for("main.index", _anchor=TODO_ANCHOR)


def public_base() -> str:
    """Return the configured address of the system without a trailing slash ("" if none)."""
    config = current_app.config
    base = config["PUBLIC_BASE_URL"]
    if not base and config.get("SERVER_NAME"):
        scheme = config.get("PREFERRED_URL_SCHEME") or "http"
        root = (config.get("APPLICATION_ROOT") or "/").rstrip("/")
        base = f"{scheme}://{config['SERVER_NAME']}{root}"
    return base.rstrip("/")


def public_url(path: str) -> str:
    """Return a path as the absolute URL a pushed message carries."""
    return public_base() + path
