"""The REST API (/api/v1) for other systems, its OpenAPI 3.1 document and its docs page.

flask-smorest generates the document from the marshmallow schemas and the views, and works
with our plain Flask factory (APIFlask wants its own app class); its app-wide HTML-breaking
error handlers are left out: the API blueprint answers problem+json itself.
"""

from __future__ import annotations

import flask_smorest
from flask import Flask

from webapp.api.webhooks import WEBHOOKS

SPEC = {
    "API_TITLE": "干部监督预警系统接口",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {
            "description": (
                "供 12380 举报平台、信访系统、OA 等接入系统报送负面信息、查询干部与预警事项。"
                "令牌放在请求头 Authorization: Bearer 之后；错误以 application/problem+json 返回。"
            )
        },
        "security": [{"bearerAuth": []}],
        "webhooks": WEBHOOKS,
    },
}


class Api(flask_smorest.Api):
    """flask-smorest's Api without its app-wide error handlers (the pages keep theirs)."""

    def _register_error_handlers(self):
        pass


def init_app(app: Flask) -> None:
    """Register /api/v1 with its OpenAPI document, and the docs page."""
    from webapp.api.routes import bp, docs_bp

    for key, value in SPEC.items():
        app.config.setdefault(key, value)
    api = Api(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.register_blueprint(bp)
    app.register_blueprint(docs_bp)
