"""Locale choice: Simplified Chinese by default, English on request."""

from __future__ import annotations

import functools

from babel import Locale, support
from flask import Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_babel import Domain, get_locale, gettext
from flask_login import current_user
from wtforms.i18n import messages_path

from webapp.extensions import babel
from workflows.text import Listing, Text


def select_locale() -> Locale:
    """Pick the session's chosen locale, then the user's, then the default (zh_CN)."""
    return locale_of(_chosen_code())


def _chosen_code() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


@functools.cache
def locale_of(code: str) -> Locale:
    """Return the Babel locale of a language code, parsed once per process.

    Flask-Babel takes a Locale as it is; given the code, it parsed it anew on every request
    (a scan of Babel's list of locales, a fifth of a millisecond).
    """
    return Locale.parse(code)


@functools.cache
def form_catalogue(code: str) -> support.Translations:
    """Return WTForms' own messages (「此字段为必填项」…) in a language, read once per process."""
    return support.Translations.load(messages_path(), [code], domain="wtforms")


class FormTranslations:
    """WTForms' messages in the request's language, for Flask-WTF (the same for every request)."""

    def ugettext(self, string: str) -> str:
        """Translate a message."""
        return form_catalogue(str(get_locale())).ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        """Translate a message with a count."""
        return form_catalogue(str(get_locale())).ungettext(singular, plural, n)


FORM_TRANSLATIONS = FormTranslations()


def share_form_translations() -> None:
    """Hand Flask-WTF the catalogues read once per process.

    Flask-WTF looks for `request.wtforms_translations` and, missing, reads WTForms' catalogue
    from disk again for each request that builds a form (a file search and a parse, 0.4 ms).
    """
    request.wtforms_translations = FORM_TRANSLATIONS


class RequestDomain(Domain):
    """Flask-Babel's message domain, its catalogue found once a request, not once a message.

    Flask-Babel looks the catalogue up for every message (the request's locale, its name, a
    dictionary), some sixty times a page. The one found is held where Flask-Babel itself keeps
    the request's translations (`babel_translations`), which its `refresh()` and
    `force_locale()` clear and restore, so a language switched mid-request still shows.
    """

    def get_translations(self):
        """Return the request's catalogue."""
        if not has_app_context():
            return super().get_translations()
        held = getattr(g.get("_flask_babel"), "babel_translations", None)
        if held is None:
            held = super().get_translations()
            if "_flask_babel" in g:  # Flask-Babel's namespace for the request
                g._flask_babel.babel_translations = held
        return held


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
    """Hook Flask-Babel up with our locale selector, and Flask-WTF with the kept catalogues."""
    babel.init_app(app, locale_selector=select_locale)
    if not isinstance(babel.__dict__.get("domain_instance"), RequestDomain):
        babel.domain_instance = RequestDomain()  # the default "messages" domain, found faster
    app.before_request(share_form_translations)
