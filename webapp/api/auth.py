"""Who is calling: the client a bearer token belongs to, checked on every request."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, g, request
from flask_babel import gettext as _

from webapp.api.problems import ApiProblem
from webapp.api_clients import services
from webapp.api_clients.permissions import ApiPermission
from webapp.clock import utc_now
from webapp.models import ApiClient

F = TypeVar("F", bound=Callable)
_UNSET: Any = object()
# Calls without a usable token are limited per address, so tokens cannot be guessed quickly.
ANONYMOUS_LIMIT = "30/minute"


def bearer_token() -> str:
    """Return the token of the Authorization header, or ""."""
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def token_client() -> ApiClient | None:
    """Return the client the request's token belongs to (looked up once per request)."""
    # Keyed by the token: a test's requests may share one app context, and so `g`.
    token = bearer_token()
    cached = g.get("api_token_client", _UNSET)
    if cached is _UNSET or cached[0] != token:
        cached = (token, services.find_by_token(token) if token else None)
        g.api_token_client = cached
    return cached[1]


def current_client() -> ApiClient:
    """Return the authenticated client of this request."""
    return g.api_client


def authenticate() -> None:
    """Let only a usable client, calling from an allowed address, past (before each request)."""
    for key in ("api_caller", "api_client", "api_record"):
        g.pop(key, None)
    if request.endpoint is None:
        return  # a 404 or 405 of the router answers as it is
    client = token_client()
    if client is None:
        raise ApiProblem(401, _("缺少令牌或令牌无效"))
    g.api_caller = client  # the audit names it even when refused below
    if not services.usable(client, utc_now()):
        raise ApiProblem(401, _("该接入系统已停用、已吊销或已过期"))
    if not services.address_allowed(client, request.remote_addr):
        raise ApiProblem(403, _("来源地址不在该接入系统允许的范围内"))
    g.api_client = client


def requires(permission: ApiPermission) -> Callable[[F], F]:
    """Let a view run only for a client granted the permission."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if permission.value not in (current_client().permissions or []):
                raise ApiProblem(403, _("该接入系统未被授予此接口权限：%(p)s", p=permission.value))
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def rate_key() -> str:
    """Key the rate limit by client, or by address for calls without a known token."""
    client = token_client()
    return f"api-client:{client.id}" if client else f"api-anonymous:{request.remote_addr}"


def rate_limit() -> str:
    """Return the calling client's rate limit."""
    client = token_client()
    return (
        client.rate_limit
        if client
        else current_app.config.get("API_ANONYMOUS_LIMIT", ANONYMOUS_LIMIT)
    )
