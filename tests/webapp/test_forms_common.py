"""Shared form pieces: the quick <select> writes what WTForms' own would."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectChoice, SelectField

from webapp.forms_common import QuickSelect, options

CHOICES = options([("", "全部"), ('a<"b', "A & B"), (3, "三"), ("x", "")])


class Both(Form):
    theirs = SelectField(choices=CHOICES)
    ours = SelectField(choices=CHOICES, widget=QuickSelect())


@pytest.mark.parametrize("chosen", ["", 'a<"b', "3", "x", "missing"])
def test_the_quick_select_writes_the_same_html(chosen):
    form = Both(MultiDict({"theirs": chosen, "ours": chosen}))
    theirs = str(form.theirs(class_="wide", required=True))
    ours = str(form.ours(class_="wide", required=True))
    assert ours.replace("ours", "theirs") == theirs


def test_an_option_with_attributes_of_its_own_is_written_by_wtforms():
    class WithAttributes(Form):
        choice = SelectChoice("1", "一", render_kw={"disabled": True})
        theirs = SelectField(choices=[choice])
        ours = SelectField(choices=[choice], widget=QuickSelect())

    form = WithAttributes()
    assert str(form.ours()).replace("ours", "theirs") == str(form.theirs())
