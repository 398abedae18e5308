"""The shared form helpers: one version of each, with Chinese messages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.validators import Optional

from webapp.forms_common import (
    DictSelectField,
    cadre_field,
    date_field,
    fill_dict_choices,
    int_or_zero,
    required_marker,
    text_field,
)


class Sample(Form):
    on = date_field("日期", required=True, past_only=True)
    plan = date_field("计划日期")
    title = text_field("标题", 5, required=True)
    notes = text_field("说明", 10, multiline=True)
    history = text_field("经历", 10, multiline=True, plain=True)
    gender = DictSelectField("性别", "gender")
    mode = DictSelectField("谈话方式", "talk_mode", blank="无", validators=[Optional()])
    cadre_id = cadre_field("干部")


VALID = {
    "on": "2026-01-31",
    "plan": "",
    "title": "标题",
    "notes": "",
    "history": "",
    "gender": "male",
    "mode": "",
    "cadre_id": "7",
}


@pytest.fixture
def ctx(app, db):
    with app.test_request_context():
        yield


def check(**changes) -> Sample:
    form = Sample(MultiDict({**VALID, **changes}))
    fill_dict_choices(form, "请选择")
    form.validate()
    return form


def messages(form: Sample, name: str) -> str:
    return " ".join(str(e) for e in form[name].errors)


def test_valid_input_passes(ctx):
    form = check()
    assert form.errors == {}
    assert form.on.data == date(2026, 1, 31) and form.cadre_id.data == 7


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"on": ""}, "on", "此项为必填项"),
        ({"on": "2026/01/31"}, "on", "日期格式应为 年-月-日，例如 2026-01-31"),
        ({"plan": "31.01.2026"}, "plan", "日期格式应为 年-月-日"),
        ({"title": "六个字的标题"}, "title", "不能超过 5 个字"),
        ({"title": "<b>x</b>"}, "title", "不能包含 HTML 标记或脚本"),
        ({"history": "<i>x</i>"}, "history", "不能包含 HTML 标记或脚本"),
        ({"notes": "长" * 11}, "notes", "不能超过 10 个字"),
        ({"gender": "nonsense"}, "gender", "请从列表中选择"),
        ({"gender": ""}, "gender", "此项为必填项"),
        ({"cadre_id": "abc"}, "cadre_id", "请选择干部"),
    ],
)
def test_bad_input_gets_its_chinese_message(ctx, changes, field, message):
    assert message in messages(check(**changes), field)


def test_past_only_refuses_tomorrow_but_not_a_plan(ctx):
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    form = check(on=tomorrow, plan=tomorrow)
    assert "日期不能晚于今天" in messages(form, "on")
    assert form.plan.errors == []


def test_multiline_text_keeps_markup_as_typed(ctx):
    form = check(notes="<b>x</b>")
    assert form.notes.errors == [] and form.notes.data == "<b>x</b>"


def test_required_fields_carry_the_marker_flag(ctx):
    form = check()
    assert form.on.flags.required and form.title.flags.required and form.gender.flags.required
    assert not form.plan.flags.required and not form.notes.flags.required
    assert required_marker().message == "此项为必填项"


def test_dictionary_selects_lead_with_their_own_blank(ctx):
    form = check()
    assert form.gender.choices[0] == ("", "请选择")
    assert form.mode.choices[0] == ("", "无")
    assert ("male", "男") in form.gender.choices


@pytest.mark.parametrize(
    ("value", "expected"), [("12", 12), (" 3 ", 3), ("", 0), (None, 0), ("x", 0)]
)
def test_int_or_zero(value, expected):
    assert int_or_zero(value) == expected
