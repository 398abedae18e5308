"""Validators shared by the forms, with messages in the UI's language."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from stdnum.cn import ric
from wtforms import SelectChoice, ValidationError

from webapp.clock import org_today

TAG = re.compile(r"<\s*/?\s*[a-zA-Z!]")


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
    """Show an ID number as its first 6 and last 4 characters."""
    if not value:
        return ""
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else "******"


def options(pairs) -> list[SelectChoice]:
    """Turn (value, label) pairs into the choices WTForms 3.3 expects in a field declaration."""
    return [SelectChoice(value, label) for value, label in pairs]
