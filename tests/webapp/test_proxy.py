"""Behind a trusted reverse proxy the client's own address is the one recorded."""

from __future__ import annotations

from flask import request

from webapp import create_app


def client_address(trusted: int) -> str:
    app = create_app("testing", {"TRUSTED_PROXIES": trusted})

    @app.get("/_probe")
    def probe():
        return request.remote_addr or ""

    headers = {"X-Forwarded-For": "10.1.2.3"}
    return (
        app.test_client()
        .get("/_probe", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
        .get_data(as_text=True)
    )


def test_forwarded_address_is_trusted_only_when_configured():
    assert client_address(0) == "127.0.0.1"
    assert client_address(1) == "10.1.2.3"
