"""Cadre and cadre-event forms; choices come from the dictionaries."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from stdnum.cn import ric
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional, ValidationError

from webapp.cadres.services import CadreFilters, id_number_in_scope
from webapp.extensions import db

# `X as X`: re-exported for the forms of other areas until they import webapp.forms_common.
from webapp.forms_common import BAD_DATE as BAD_DATE
from webapp.forms_common import REQUIRED as REQUIRED
from webapp.forms_common import DictSelectField as DictSelectField
from webapp.forms_common import (
    date_field,
    fill_dict_choices,
    required_marker,
    text_field,
    valid_id_number,
)
from webapp.lookups import dict_choices
from webapp.models import OrgUnit, User
from webapp.units import unit_in_scope
from webapp.units.fields import UnitPickerField


class CadreForm(FlaskForm):
    """Basic data of a cadre."""

    name = text_field(_l("姓名"), 50, required=True)
    gender = DictSelectField(_l("性别"), "gender")
    birth_date = date_field(_l("出生日期"), required=True, past_only=True)
    ethnicity = DictSelectField(_l("民族"), "ethnicity")
    political_status = DictSelectField(_l("政治面貌"), "political_status")
    education = DictSelectField(_l("学历"), "education")
    unit_id = SelectField(_l("单位"), coerce=int, validators=[required_marker()])
    position = text_field(_l("职务"), 100, required=True)
    rank = DictSelectField(_l("职级"), "cadre_rank")
    category = DictSelectField(_l("干部类别"), "cadre_category")
    is_young = BooleanField(_l("年轻干部"))
    id_number = StringField(
        _l("身份证号码"),
        validators=[
            required_marker(),
            Length(min=18, max=18, message=_l("身份证号码应为 18 位")),
            valid_id_number,
        ],
    )
    appointed_on = date_field(_l("任现职时间"), past_only=True)
    joined_work_on = date_field(_l("参加工作时间"), past_only=True)
    joined_party_on = date_field(_l("入党时间"), past_only=True)
    work_history = text_field(_l("工作经历"), 2000, multiline=True, plain=True)
    submit = SubmitField(_l("保存"))

    def __init__(self, *args, user=None, cadre_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.cadre_id = cadre_id

    def keep_id_number(self, stored: str) -> bool:
        """Take the stored ID number for one left blank on an edit; tell whether it was kept."""
        # The edit page shows no ID number (showing it is a logged 查看): blank means unchanged.
        if (self.id_number.data or "").strip():
            return False
        self.id_number.data = stored
        return True

    def validate_id_number(self, field):
        """Refuse an ID number another cadre in the user's scope already holds."""
        if id_number_in_scope(self.user, field.data or "", self.cadre_id):
            raise ValidationError(_l("该身份证号码已登记"))

    def validate_unit_id(self, field):
        """Refuse a unit outside the user's data scope."""
        unit = db.session.get(OrgUnit, field.data or 0)
        if unit is None or (self.user is not None and not unit_in_scope(self.user, unit)):
            raise ValidationError(_l("请选择您有权限的单位"))

    def fill_choices(self, units: list[tuple[int, str]]) -> CadreForm:
        """Load the dictionary and unit choices."""
        fill_dict_choices(self, _l("请选择"))
        self.unit_id.choices = [(0, str(_l("请选择"))), *units]
        return self

    def validate_birth_date(self, field):
        """Refuse a birth date that disagrees with the ID number."""
        id_number = (self.id_number.data or "").strip().upper()
        if field.data and ric.is_valid(id_number) and ric.get_birth_date(id_number) != field.data:
            raise ValidationError(_l("出生日期与身份证号码中的出生日期不一致"))

    def after_birth(self, field, message) -> None:
        """Refuse a career date on or before the birth date."""
        if field.data and self.birth_date.data and field.data <= self.birth_date.data:
            raise ValidationError(message)

    def validate_appointed_on(self, field):
        """Refuse an appointment before birth."""
        self.after_birth(field, _l("任现职时间应晚于出生日期"))

    def validate_joined_work_on(self, field):
        """Refuse a start of work before birth."""
        self.after_birth(field, _l("参加工作时间应晚于出生日期"))

    def validate_joined_party_on(self, field):
        """Refuse joining the party before birth."""
        self.after_birth(field, _l("入党时间应晚于出生日期"))


class CadreEventForm(FlaskForm):
    """A career event that may call for a mandatory talk."""

    kind = DictSelectField(_l("事件类型"), "cadre_event")
    occurred_on = date_field(_l("发生日期"), required=True, past_only=True)
    description = text_field(_l("说明"), 500)
    document_number = text_field(_l("文号"), 100)
    submit = SubmitField(_l("添加"))

    def fill_choices(self) -> CadreEventForm:
        """Load the event types."""
        fill_dict_choices(self, _l("请选择"))
        return self


class CadreSearchForm(FlaskForm):
    """Roster filters, read from the query string."""

    class Meta:
        csrf = False

    q = StringField(_l("姓名"), validators=[Optional(), Length(max=50)])
    unit_id = UnitPickerField(_l("单位（含下级）"))
    rank = SelectField(_l("职级"), validators=[Optional()])
    category = SelectField(_l("干部类别"), validators=[Optional()])
    status = SelectField(_l("预警状态"), validators=[Optional()])

    def fill_choices(self, user: User) -> CadreSearchForm:
        """Load the filter choices (the units: the top of the user's tree)."""
        everything = str(_l("全部"))
        self.unit_id.offer(user, everything)
        self.rank.choices = dict_choices("cadre_rank", blank=everything)
        self.category.choices = dict_choices("cadre_category", blank=everything)
        self.status.choices = dict_choices("cadre_status", blank=everything)
        return self

    def filters(self) -> CadreFilters:
        """Return the filters the query string asks for (none if it is invalid)."""
        if not self.validate():
            return CadreFilters()
        return CadreFilters(
            self.q.data or "",
            self.unit_id.data or 0,
            self.rank.data or "",
            self.category.data or "",
            self.status.data or "",
        )
