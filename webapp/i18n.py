"""Locale choice: Simplified Chinese by default, English on request."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, session
from flask_babel import gettext
from flask_login import current_user

from webapp.extensions import babel
from workflows.text import Listing, Text


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


def translate(value: object) -> str:
    """Return a label or message of `workflows` (marked with N_, Text, Listing) in the UI's language.

    The workflow layer cannot translate (it imports no Flask): its labels are Chinese source
    strings in the catalogue, so they are looked up here, at display time.
    """
    if isinstance(value, Text):
        return gettext(value.template) % {k: _param(v) for k, v in value.params.items()}
    if isinstance(value, Listing):
        return gettext(value.separator).join(translate(item) for item in value.items)
    if isinstance(value, str):
        # gettext("") would return the catalogue's header.
        return gettext(value) if value else value
    return "" if value is None else str(value)


def _param(value: object) -> object:
    # Numbers stay numbers (a template may format them); text is translated.
    return translate(value) if isinstance(value, str) else value


def init_app(app: Flask) -> None:
    """Hook Flask-Babel up with our locale selector."""
    babel.init_app(app, locale_selector=select_locale)
