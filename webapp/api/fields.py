"""Marshmallow fields that refuse bad input in Chinese, as the pages do."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields

from webapp.forms_common import REQUIRED

COMMON = {"required": REQUIRED, "null": _l("不能为空"), "validator_failed": _l("取值不正确")}


class Str(fields.String):
    """Text the databases can store: no NUL character, no lone surrogate."""

    default_error_messages = {  # noqa: RUF012
        **COMMON,
        "invalid": _l("应为文本"),
        "invalid_utf8": _l("应为文本"),
        "unstorable": _l("含有不能保存的字符"),
    }

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise self.make_error("unstorable") from None
        if "\x00" in text:
            raise self.make_error("unstorable")
        return text


class Int(fields.Integer):
    """A whole number."""

    default_error_messages = {**COMMON, "invalid": _l("应为整数"), "too_large": _l("数值过大")}  # noqa: RUF012


class Bool(fields.Boolean):
    """true or false."""

    default_error_messages = {**COMMON, "invalid": _l("应为 true 或 false")}  # noqa: RUF012


class Date(fields.Date):
    """An ISO date (2026-01-31)."""

    default_error_messages = {  # noqa: RUF012
        **COMMON,
        "invalid": _l("日期格式应为 年-月-日，例如 2026-01-31"),
        "format": _l("日期格式应为 年-月-日，例如 2026-01-31"),
    }


class DateTime(fields.AwareDateTime):
    """An ISO date and time with its offset (2026-01-31T08:00:00+08:00)."""

    default_error_messages = {  # noqa: RUF012
        **COMMON,
        "invalid": _l("时间格式应为 ISO 8601，例如 2026-01-31T08:00:00+08:00"),
        "invalid_awareness": _l("时间须带时区，例如 2026-01-31T08:00:00+08:00"),
        "format": _l("时间格式应为 ISO 8601，例如 2026-01-31T08:00:00+08:00"),
    }


class List(fields.List):
    """A list."""

    default_error_messages = {**COMMON, "invalid": _l("应为数组")}  # noqa: RUF012


class Nested(fields.Nested):
    """An object."""

    default_error_messages = {**COMMON, "type": _l("应为对象")}  # noqa: RUF012


class StrictSchema(Schema):
    """A schema that refuses unknown fields and non-objects in Chinese."""

    error_messages = {"unknown": _l("不认识的字段"), "type": _l("应为 JSON 对象")}  # noqa: RUF012
