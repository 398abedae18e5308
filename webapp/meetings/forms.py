"""Forms of the meetings area: list filters, minutes, a decision, a link, a correction, the lists."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.forms_common import (
    DictSelectField,
    date_field,
    fill_dict_choices,
    int_or_zero,
    text_field,
)
from webapp.i18n import translate
from webapp.meetings.kinds import DECISION_DICT, KIND_DICT
from webapp.meetings.lists import LIST_LABELS
from webapp.models.meetings import MeetingStatus
from workflows.tiers import Tier


class MeetingFilterForm(FlaskForm):
    """Filter the meeting list by kind, status and date."""

    class Meta:
        csrf = False

    kind = DictSelectField(_l("会议类型"), KIND_DICT, validators=[Optional()])
    status = SelectField(_l("状态"), validators=[Optional()])
    held_from = date_field(_l("召开日期自"))
    held_to = date_field(_l("至"))

    def fill(self) -> MeetingFilterForm:
        """Load the choices."""
        fill_dict_choices(self, _l("全部"))
        self.status.choices = [("", str(_l("全部")))] + [
            (s.value, translate(s.label)) for s in MeetingStatus
        ]
        return self


class CheckboxListField(SelectMultipleField):
    """Several checkboxes, readable without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MinutesForm(FlaskForm):
    """The minutes: who was present and the opinions voiced."""

    present = CheckboxListField(_l("出席人员"), coerce=int, validators=[Optional()])
    opinions = text_field(_l("会议意见"), 5000, multiline=True)


class DecisionForm(FlaskForm):
    """A decision on one agenda line."""

    kind = DictSelectField(_l("决定"), DECISION_DICT)
    tier = SelectField(_l("预警等级（提出预警时）"), validators=[Optional()])
    note = text_field(_l("说明"), 1000, multiline=True)
    receiving_organ = text_field(_l("接收机关（移送时）"), 100)
    document_number = text_field(_l("文号（移送时）"), 100)

    def fill(self) -> DecisionForm:
        """Load the choices."""
        fill_dict_choices(self, _l("请选择"))
        self.tier.choices = [("", "")] + [(str(t.value), translate(t.label)) for t in Tier]
        return self


class CorrectionForm(FlaskForm):
    """A correction of a closed meeting's decision."""

    decision_id = HiddenField()
    note = text_field(_l("更正内容"), 1000, required=True, multiline=True)


class ListForm(FlaskForm):
    """Which list, unit and period."""

    class Meta:
        csrf = False

    kind = SelectField(_l("清单"))
    unit_id = SelectField(_l("单位"), coerce=int_or_zero)
    start = date_field(_l("期间自"), required=True)
    end = date_field(_l("至"), required=True)

    def fill(self, units: list[tuple[int, str]]) -> ListForm:
        """Load the choices: the three lists and the units in the user's scope."""
        self.kind.choices = [(k, translate(v)) for k, v in LIST_LABELS.items()]
        self.unit_id.choices = units
        return self


class SeriesForm(FlaskForm):
    """A meeting kind held for a unit: its secretary and attendees."""

    kind = DictSelectField(_l("会议类型"), KIND_DICT)
    unit_id = SelectField(_l("范围（单位）"), coerce=int_or_zero)
    secretary_id = SelectField(_l("记录人（秘书）"), coerce=int_or_zero)
    attendees = CheckboxListField(_l("参会人员"), coerce=int, validators=[Optional()])
    active = BooleanField(_l("启用"), default=True)

    def fill(self, units, people) -> SeriesForm:
        """Load the choices: kinds, the units in scope and the case-role users."""
        fill_dict_choices(self, _l("请选择"))
        self.unit_id.choices = units
        self.secretary_id.choices = [(0, str(_l("请选择"))), *people]
        self.attendees.choices = people
        return self
