"""Security headers on every page of every blueprint, and templates that a strict CSP allows."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from tests.factories import make_user
from webapp import create_app
from webapp.models import DataScope

TEMPLATES = Path(__file__).resolve().parents[3] / "webapp" / "templates"
# What `script-src 'self'; style-src 'self'` would block: inline code and inline styles.
INLINE = {
    "inline script": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "event handler": re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE),
    "style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "javascript: link": re.compile(r"""=\s*["']\s*javascript:""", re.IGNORECASE),
}


def status_and_headers(client, url: str):
    response = client.get(url)
    response.close()
    return response


def page_urls(app) -> list[str]:
    """Return every GET route without path arguments, static files aside."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
    )


def assert_secure(response, url: str, *, cached: bool = False) -> None:
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp, url
    assert "frame-ancestors 'none'" in csp, url
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
    assert headers.get("X-Frame-Options") == "DENY", url
    assert headers.get("X-Content-Type-Options") == "nosniff", url
    assert headers.get("Referrer-Policy") in ("same-origin", "no-referrer"), url
    assert "Strict-Transport-Security" not in headers, url  # not in the testing mode
    if not cached:
        assert "no-store" in headers.get("Cache-Control", ""), url


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor", "supervisor", "approver"])
def test_every_page_of_every_blueprint_sends_the_headers(app, client, login, db, world, role):
    user = make_user(role, world.root, DataScope.ALL)
    db.session.commit()
    login(user.username)
    urls = page_urls(app)
    blueprints = {rule.endpoint.split(".")[0] for rule in app.url_map.iter_rules()}
    assert len(blueprints) > 10 and len(urls) > 30
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        assert_secure(response, url)
        if response.mimetype == "text/html":
            body = response.get_data(as_text=True)
            for what, pattern in INLINE.items():
                assert not pattern.search(body), f"{url}: {what}"
        response.close()


def test_error_and_anonymous_pages_send_the_headers(client):
    for url in ("/auth/login", "/no-such-page", "/warnings/"):
        response = status_and_headers(client, url)
        assert_secure(response, url)


def test_static_files_are_cacheable_but_still_protected(client):
    response = status_and_headers(client, "/static/css/app.css")
    assert response.status_code == 200
    assert_secure(response, "/static/css/app.css", cached=True)
    assert "no-store" not in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_no_template_has_inline_script_or_style(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [what for what, pattern in INLINE.items() if pattern.search(text)]
    assert found == [], f"{path.relative_to(TEMPLATES)}: {found}"


@pytest.fixture
def production(monkeypatch):
    """Build a production app (its config refuses a weak key) over an empty database."""

    def build(cookie_secure: str):
        monkeypatch.setenv("SECRET_KEY", "k" * 48)
        monkeypatch.setenv("DATA_KEY", base64.urlsafe_b64encode(b"k" * 32).decode())
        monkeypatch.setenv("SESSION_COOKIE_SECURE", cookie_secure)
        return create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})

    return build


def test_hsts_in_production_over_https(production):
    client = production("0").test_client()
    secure = status_and_headers(client, "https://localhost/static/css/app.css")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    plain = status_and_headers(client, "http://localhost/static/css/app.css")
    assert "Strict-Transport-Security" not in plain.headers


def test_hsts_in_production_when_the_config_says_https(production):
    client = production("1").test_client()
    response = status_and_headers(client, "http://localhost/static/css/app.css")
    assert "Strict-Transport-Security" in response.headers


def test_no_hsts_outside_production(client):
    response = status_and_headers(client, "https://localhost/static/css/app.css")
    assert "Strict-Transport-Security" not in response.headers
