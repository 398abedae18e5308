"""Locale plumbing: parsed once per process, the catalogue found once a request, switches still seen."""

from __future__ import annotations

from flask import request
from flask_babel import force_locale, gettext, refresh
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired

from webapp.i18n import FORM_TRANSLATIONS, locale_of, select_locale


def test_the_selected_locale_is_parsed_once(app):
    with app.test_request_context("/"):
        assert select_locale() is select_locale() is locale_of("zh_CN")


def test_a_forced_or_refreshed_locale_changes_the_messages_mid_request(app):
    with app.test_request_context("/"):
        refresh()
        assert gettext("退出") == "退出"
        with force_locale("en"):
            assert gettext("退出") == "Log out"
        assert gettext("退出") == "退出"


def test_wtforms_messages_come_in_the_request_s_language(app):
    class Named(FlaskForm):
        class Meta:
            csrf = False

        name = StringField(validators=[InputRequired()])

    def errors() -> list[str]:
        form = Named(formdata=None)
        form.validate()
        return form.name.errors

    with app.test_request_context("/"):
        app.preprocess_request()
        assert request.wtforms_translations is FORM_TRANSLATIONS
        refresh()
        assert errors() == ["该字段是必填字段。"]
        with force_locale("en"):
            assert errors() == ["This field is required."]
        assert errors() == ["该字段是必填字段。"]
