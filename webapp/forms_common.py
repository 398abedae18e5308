"""Fields and validators shared by the forms, with messages in the UI's language.

One version of each building block the area forms use: the required marker, a date field,
a dictionary select, a cadre picker select, text fields with a Chinese length limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from stdnum.cn import ric
from wtforms import (
    DateField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import Select

from webapp.clock import org_today
from webapp.lookups import dict_choices

TAG = re.compile(r"<\s*/?\s*[a-zA-Z!]")
REQUIRED = _l("此项为必填项")
BAD_DATE = _l("日期格式应为 年-月-日，例如 2026-01-31")
DATE_FORMAT = "%Y-%m-%d"  # ISO 8601, what <input type="date"> posts
DATE_PLACEHOLDER = "2026-01-31"


def not_in_future(form, field) -> None:
    """Refuse a date later than today."""
    if field.data and field.data > org_today():
        raise ValidationError(_l("日期不能晚于今天"))


def valid_id_number(form, field) -> None:
    """Refuse an ID number that fails the GB 11643 checksum or birth date."""
    value = (field.data or "").strip().upper()
    field.data = value
    if value and not ric.is_valid(value):
        raise ValidationError(_l("身份证号码无效（位数、出生日期或校验位不正确）"))


def plain_text(form, field) -> None:
    """Refuse HTML markup in a short text field (it would be shown as text anyway)."""
    if field.data and TAG.search(field.data):
        raise ValidationError(_l("不能包含 HTML 标记或脚本"))


def mask_id_number(value: str | None) -> str:
    """Show an ID number as its 6 region digits only: 110105************.

    The birth date is shown beside it and the gender tells the sequence's parity, so every
    further digit shown (sequence or check digit) would cut the ~500 candidates left tenfold.
    """
    if not value:
        return ""
    return value[:6] + "*" * (len(value) - 6) if len(value) > 6 else "******"


def options(pairs) -> list[SelectChoice]:
    """Turn (value, label) pairs into the choices WTForms 3.3 expects in a field declaration."""
    return [SelectChoice(value, label) for value, label in pairs]


def required_marker() -> DataRequired:
    """Return the validator that makes a field required: the * beside its label, a Chinese error."""
    return DataRequired(REQUIRED)


def too_long(limit: int) -> Length:
    """Refuse text longer than `limit` characters, saying so in Chinese."""
    return Length(max=limit, message=_l("不能超过 %(max)d 个字"))


def text_field(
    label, limit: int, *, required: bool = False, multiline: bool = False, plain: bool | None = None
):
    """Build a text field with a Chinese length limit; `plain` refuses HTML markup.

    By default a one-line field is plain and a multi-line one is not: long text is stored as
    typed and always shown escaped, so markup is harmless there.
    """
    checks = [DataRequired(REQUIRED) if required else Optional(), too_long(limit)]
    if (not multiline) if plain is None else plain:
        checks.append(plain_text)
    return (TextAreaField if multiline else StringField)(label, validators=checks)


def date_field(
    label, *validators: Callable, required: bool = False, past_only: bool = False
) -> DateField:
    """Build an ISO date field (2026-01-31) with a Chinese format hint.

    `past_only` adds `not_in_future`: for dates that record something already done.
    """
    first = InputRequired(REQUIRED) if required else Optional()
    checks = [first, *([not_in_future] if past_only else []), *validators]
    return DateField(
        label,
        validators=checks,
        format=DATE_FORMAT,
        invalid_value_message=BAD_DATE,
        render_kw={"placeholder": DATE_PLACEHOLDER},
    )


class QuickSelect(Select):
    """WTForms' <select>, each plain option written directly (the same HTML, a third the time).

    WTForms writes every option through its generic attribute writer and looks up, once per
    select, which signature `render_option` has: a register's filters spent a millisecond on
    their options. Options with attributes of their own still go WTForms' way.
    """

    @classmethod
    def render_option(cls, choice, **kwargs):
        """Write one option, as WTForms would."""
        if kwargs or choice.render_kw or isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        label = escape(choice.label or choice.value)
        selected = "selected " if choice.selected else ""
        return Markup(f'<option {selected}value="{escape(choice.value)}">{label}</option>')

    @classmethod
    def _dispatch_render_option(cls):
        return cls.render_option  # ours takes the choice alone: nothing to look up


class DictSelectField(SelectField):
    """A select whose choices are a dictionary's items, loaded by `fill_dict_choices`."""

    widget = QuickSelect()

    def __init__(self, label, dict_code: str, *, blank=None, **kwargs):
        kwargs.setdefault("validators", [required_marker()])
        super().__init__(label, choices=[], **kwargs)
        self.dict_code = dict_code
        self.blank = blank  # label of the empty first option; None: the caller's default

    def pre_validate(self, form):
        if self.data and self.data not in {value for value, _ in self.choices}:
            raise ValidationError(_l("请从列表中选择"))


def fill_dict_choices(form, blank) -> None:
    """Load every dictionary select of a form, each led by its own or the given empty option."""
    for field in form:
        if isinstance(field, DictSelectField):
            first = field.blank if field.blank is not None else blank
            field.choices = dict_choices(field.dict_code, blank=str(first))


def int_or_zero(value) -> int:
    """Coerce a posted id, treating anything that is not a number as "nothing chosen"."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() else 0


def cadre_field(label) -> SelectField:
    """Build the cadre picker's select; scope is checked by the view (outside scope: 404)."""
    return SelectField(
        label,
        coerce=int_or_zero,
        validate_choice=False,  # the list holds only some cadres; the search finds the rest
        validators=[DataRequired(_l("请选择干部"))],
    )
