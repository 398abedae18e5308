"""Locale choice: Simplified Chinese by default, English on request."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, session
from flask_login import current_user

from webapp.extensions import babel


def select_locale() -> str:
    """Pick the session's chosen locale, then the user's, then the default (zh_CN)."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    """Hook Flask-Babel up with our locale selector."""
    babel.init_app(app, locale_selector=select_locale)
