"""Errors of /api/v1 as application/problem+json (RFC 9457), with field paths, in Chinese."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from flask import g, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from webapp.extensions import db
from webapp.security.scope import OutOfScope

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "/api/v1/problems/"
# The error statuses the API answers with (each has a title below).
STATUSES = (400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500)


def titles() -> dict[int, str]:
    """Return the title of each status the API answers with."""
    return {
        400: _("请求格式有误"),
        401: _("未认证：缺少令牌、令牌无效或接入系统已停用"),
        403: _("无权访问"),
        404: _("未找到"),
        405: _("不支持该请求方法"),
        409: _("与当前记录冲突"),
        413: _("请求内容过大"),
        415: _("不支持的内容类型"),
        422: _("请求内容有误"),
        429: _("调用过于频繁，请稍后再试"),
        500: _("服务器内部错误"),
    }


class ApiProblem(HTTPException):
    """A refusal the API answers with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str = "",
        errors: list[dict[str, str]] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(description=detail)
        self.code = status
        self.errors = errors or []
        self.extra = extra


def invalid(pointer: str, detail: str) -> ApiProblem:
    """Return a 422 for one field."""
    return ApiProblem(422, _("请求内容有误"), [{"pointer": pointer, "detail": str(detail)}])


def pointers(messages: Any, path: str = "") -> Iterator[dict[str, str]]:
    """Flatten marshmallow's nested messages into JSON Pointer / message pairs."""
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            key = str(key)
            # `_schema` holds an object-level message; point at the object itself.
            yield from pointers(value, path if key == "_schema" else f"{path}/{key}")
    elif isinstance(messages, list | tuple):
        for message in messages:
            yield from pointers(message, path)
    else:  # one message (a lazy string)
        yield {"pointer": path or "/", "detail": str(messages)}


def parser_errors(exc: HTTPException) -> list[dict[str, str]]:
    """Return the field errors webargs attached to a 422, paths without their location."""
    messages = (getattr(exc, "data", None) or {}).get("messages") or {}
    found = []
    for location, fields in messages.items():
        prefix = "" if location == "json" else f"/{location}"
        found.extend(pointers(fields, prefix))
    return found


def body(exc: HTTPException) -> dict[str, Any]:
    """Return the problem document of an HTTP error."""
    status = exc.code or 500
    doc: dict[str, Any] = {
        "type": TYPE_BASE + str(status),
        "title": titles().get(status, exc.name),
        "status": status,
        "instance": request.path,
    }
    if isinstance(exc, ApiProblem):
        if exc.description:
            doc["detail"] = exc.description
        if exc.errors:
            doc["errors"] = exc.errors
        doc.update(exc.extra)
    elif status == 422:
        doc["errors"] = parser_errors(exc)
    return doc


def handle(exc: HTTPException):
    """Answer an HTTP error of the API as a problem document; nothing of the request is kept."""
    db.session.rollback()
    if isinstance(exc, OutOfScope):
        g.api_record = (exc.object_type, exc.object_id)
    doc = body(exc)
    response = jsonify(doc)
    response.status_code = doc["status"]
    response.mimetype = MEDIA_TYPE
    if doc["status"] == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def handle_unexpected(exc: Exception):
    """Answer an unexpected failure as a 500 problem, logged with its traceback."""
    from flask import current_app

    current_app.logger.exception("API failure on %s", request.path)
    return handle(ApiProblem(500))
