"""The unit filter of the registers: a searchable tree in the browser, a short <select> without.

The page carries only the top of the user's tree and the unit chosen; the script
(static/js/unit_picker.js) turns the <select> into a search box and a tree it loads level by
level from `units.picker`, and fills a hidden `unit_id`, so the query parameter is unchanged.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import ValidationError

from webapp.forms_common import QuickSelect, int_or_zero
from webapp.models import User
from webapp.units.picker import pickable_unit, select_choices


class UnitPickerField(SelectField):
    """A unit (and the units below it) to filter by, from the user's data scope."""

    widget = QuickSelect()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, coerce=int_or_zero, validate_choice=False, **kwargs)
        self.user: User | None = None

    def offer(self, user: User, blank: str) -> UnitPickerField:
        """Offer the top of the user's tree, and the unit chosen, as the plain <select>."""
        self.user = user
        self.choices = [(0, blank), *select_choices(user, self.data or 0)]
        return self

    def pre_validate(self, form) -> None:
        """Refuse a unit outside the user's data scope (the picker never offers one)."""
        if self.data and (self.user is None or pickable_unit(self.user, self.data) is None):
            raise ValidationError(_l("请选择您有权限的单位"))

    def __call__(self, **kwargs):
        kwargs.setdefault("data-unit-picker", url_for("units.picker"))
        kwargs.setdefault("data-search-label", _l("输入单位名称搜索"))
        kwargs.setdefault("data-empty-label", _l("没有符合条件的单位"))
        return super().__call__(**kwargs)
