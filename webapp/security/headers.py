"""Security headers on every response (等保 2.0 / ASVS V14): CSP, framing, sniffing, caching.

One `after_request` hook rather than a library: the policy is short, the app serves only its own
files (no CDN, no inline script or style, no frames), and HSTS must follow our own idea of
production instead of a library's forced HTTPS redirect.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

# Everything comes from this origin; nothing may frame the pages or run inline code.
CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

FIXED = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

HSTS = "max-age=31536000; includeSubDomains"


def wants_hsts() -> bool:
    """Tell whether this response may pin HTTPS: production, over HTTPS or configured so."""
    config = current_app.config
    if config.get("ENV_NAME") != "production":
        return False
    return request.is_secure or bool(config.get("SESSION_COOKIE_SECURE"))


def add_security_headers(response: Response) -> Response:
    """Set the fixed headers; keep every page but static files out of any cache."""
    response.headers.update(FIXED)
    if wants_hsts():
        response.headers["Strict-Transport-Security"] = HSTS
    if request.endpoint != "static":
        # Case data must not stay in a browser's or proxy's cache (back button after logout).
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def init_app(app: Flask) -> None:
    """Register the headers hook."""
    app.after_request(add_security_headers)
