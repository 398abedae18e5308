"""Forms: create a warning, one form per workflow event, the register filters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.forms_common import REQUIRED, date_field, not_in_future, text_field
from webapp.i18n import translate
from webapp.models import User
from webapp.units.fields import UnitPickerField
from workflows.states import State
from workflows.tiers import Tier


def _date(label, *validators, required: bool = True):
    """Build a date field (required by default) with the shared ISO format and hint."""
    return date_field(label, *validators, required=required)


def _text(label, *, required: bool = True, max_length: int = 2000, area: bool = True):
    """Build a text field (required by default; multi-line unless `area` is False)."""
    return text_field(label, max_length, required=required, multiline=area)


def tier_choices(blank: str | None = None) -> list[tuple[str, str]]:
    """Return (value, label) pairs for the three tiers."""
    choices = [(str(t.value), translate(t.label)) for t in Tier]
    return [("", blank), *choices] if blank is not None else choices


class CheckboxListField(SelectMultipleField):
    """Several checkboxes (the basis items), readable without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CreateWarningForm(FlaskForm):
    """A new warning: basis items, the tier (suggested by default) and the reason."""

    items = CheckboxListField(_l("预警依据（负面信息）"), coerce=int, validators=[Optional()])
    tier = SelectField(_l("预警等级"), validators=[DataRequired(REQUIRED)])
    reason = _text(_l("理由（与系统建议等级不一致或无建议时必填）"), required=False)
    recalc = SubmitField(_l("按所选依据重新计算建议"))
    save = SubmitField(_l("保存为拟预警"))
    save_submit = SubmitField(_l("保存并送审"))

    def fill_choices(self, items) -> CreateWarningForm:
        """Offer the cadre's items that are not untrue, and the tiers."""
        from webapp.lookups import dict_label

        self.items.choices = [
            (
                item.id,
                f"{item.number} {dict_label('negative_situation', item.situation)}"
                f"（{dict_label('verification_status', item.status)}）",
            )
            for item in items
        ]
        self.tier.choices = tier_choices(str(_l("请选择")))
        return self


class RegisterFilterForm(FlaskForm):
    """Register filters, read from the query string."""

    class Meta:
        csrf = False

    q = StringField(_l("干部姓名或编号"), validators=[Optional(), Length(max=50)])
    tier = SelectField(_l("预警等级"), validators=[Optional()])
    state = SelectField(_l("状态"), validators=[Optional()])
    unit_id = UnitPickerField(_l("单位（含下级）"))
    overdue = BooleanField(_l("仅看超期"))
    created_from = _date(_l("提出日期自"), required=False)
    created_to = _date(_l("提出日期至"), required=False)
    issued_from = _date(_l("下达日期自"), required=False)
    issued_to = _date(_l("下达日期至"), required=False)
    # Set by the 晴雨表's links (no field on the register's form): in force, closed, clarified.
    active = BooleanField(_l("仅看生效中"))
    closed_from = _date(_l("办结日期自"), required=False)
    closed_to = _date(_l("办结日期至"), required=False)
    clarified_from = _date(_l("澄清日期自"), required=False)
    clarified_to = _date(_l("澄清日期至"), required=False)

    def fill_choices(self, user: User) -> RegisterFilterForm:
        """Load the filter choices (the units: the top of the user's tree)."""
        everything = str(_l("全部"))
        self.tier.choices = tier_choices(everything)
        self.state.choices = [("", everything)] + [(s.value, translate(s.label)) for s in State]
        self.unit_id.offer(user, everything)
        return self


class AsOfForm(FlaskForm):
    """The date to rebuild a warning or a cadre on."""

    class Meta:
        csrf = False

    on = _date(_l("查询日期"), not_in_future)
