"""Cadre and cadre-event forms; choices come from the dictionaries."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from stdnum.cn import ric
from wtforms import BooleanField, DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from webapp.cadres.services import CadreFilters, id_number_taken
from webapp.extensions import db
from webapp.forms_common import not_in_future, plain_text, valid_id_number
from webapp.lookups import dict_choices
from webapp.models import OrgUnit
from webapp.units import unit_in_scope

REQUIRED = _l("此项为必填项")
BAD_DATE = _l("日期格式应为 年-月-日，例如 2026-01-31")


def required_date(label):
    """Build a required date field that may not lie in the future."""
    return DateField(
        label,
        validators=[InputRequired(REQUIRED), not_in_future],
        format="%Y-%m-%d",
        render_kw={"placeholder": "2026-01-31"},
    )


def optional_date(label):
    """Build an optional date field that may not lie in the future."""
    return DateField(
        label,
        validators=[Optional(), not_in_future],
        format="%Y-%m-%d",
        render_kw={"placeholder": "2026-01-31"},
    )


class DictSelectField(SelectField):
    """A select whose choices are a dictionary's items, loaded when the form is built."""

    def __init__(self, label, dict_code: str, **kwargs):
        kwargs.setdefault("validators", [DataRequired(REQUIRED)])
        super().__init__(label, choices=[], **kwargs)
        self.dict_code = dict_code

    def pre_validate(self, form):
        if self.data and self.data not in {value for value, _ in self.choices}:
            raise ValidationError(_l("请从列表中选择"))


class CadreForm(FlaskForm):
    """Basic data of a cadre."""

    name = StringField(_l("姓名"), validators=[DataRequired(REQUIRED), Length(max=50), plain_text])
    gender = DictSelectField(_l("性别"), "gender")
    birth_date = required_date(_l("出生日期"))
    ethnicity = DictSelectField(_l("民族"), "ethnicity")
    political_status = DictSelectField(_l("政治面貌"), "political_status")
    education = DictSelectField(_l("学历"), "education")
    unit_id = SelectField(_l("单位"), coerce=int, validators=[DataRequired(REQUIRED)])
    position = StringField(
        _l("职务"), validators=[DataRequired(REQUIRED), Length(max=100), plain_text]
    )
    rank = DictSelectField(_l("职级"), "cadre_rank")
    category = DictSelectField(_l("干部类别"), "cadre_category")
    is_young = BooleanField(_l("年轻干部"))
    id_number = StringField(
        _l("身份证号码"),
        validators=[
            DataRequired(REQUIRED),
            Length(min=18, max=18, message=_l("身份证号码应为 18 位")),
            valid_id_number,
        ],
    )
    appointed_on = optional_date(_l("任现职时间"))
    joined_work_on = optional_date(_l("参加工作时间"))
    joined_party_on = optional_date(_l("入党时间"))
    work_history = TextAreaField(
        _l("工作经历"), validators=[Optional(), Length(max=2000), plain_text]
    )
    submit = SubmitField(_l("保存"))

    def __init__(self, *args, user=None, cadre_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.cadre_id = cadre_id

    def validate_id_number(self, field):
        """Refuse an ID number another cadre already holds."""
        if id_number_taken(field.data or "", self.cadre_id):
            raise ValidationError(_l("该身份证号码已登记"))

    def validate_unit_id(self, field):
        """Refuse a unit outside the user's data scope."""
        unit = db.session.get(OrgUnit, field.data or 0)
        if unit is None or (self.user is not None and not unit_in_scope(self.user, unit)):
            raise ValidationError(_l("请选择您有权限的单位"))

    def fill_choices(self, units: list[tuple[int, str]]) -> CadreForm:
        """Load the dictionary and unit choices."""
        for field in self:
            if isinstance(field, DictSelectField):
                field.choices = dict_choices(field.dict_code, blank=str(_l("请选择")))
        self.unit_id.choices = [(0, str(_l("请选择"))), *units]
        return self

    def validate_birth_date(self, field):
        """Refuse a birth date that disagrees with the ID number."""
        id_number = (self.id_number.data or "").strip().upper()
        if field.data and ric.is_valid(id_number) and ric.get_birth_date(id_number) != field.data:
            raise ValidationError(_l("出生日期与身份证号码中的出生日期不一致"))

    def validate_joined_work_on(self, field):
        """Refuse a start of work before birth."""
        if field.data and self.birth_date.data and field.data <= self.birth_date.data:
            raise ValidationError(_l("参加工作时间应晚于出生日期"))

    def validate_joined_party_on(self, field):
        """Refuse joining the party before birth."""
        if field.data and self.birth_date.data and field.data <= self.birth_date.data:
            raise ValidationError(_l("入党时间应晚于出生日期"))


class CadreEventForm(FlaskForm):
    """A career event that may call for a mandatory talk."""

    kind = DictSelectField(_l("事件类型"), "cadre_event")
    occurred_on = required_date(_l("发生日期"))
    description = StringField(_l("说明"), validators=[Optional(), Length(max=500), plain_text])
    document_number = StringField(_l("文号"), validators=[Optional(), Length(max=100), plain_text])
    submit = SubmitField(_l("添加"))

    def fill_choices(self) -> CadreEventForm:
        """Load the event types."""
        self.kind.choices = dict_choices("cadre_event", blank=str(_l("请选择")))
        return self


class CadreSearchForm(FlaskForm):
    """Roster filters, read from the query string."""

    class Meta:
        csrf = False

    q = StringField(_l("姓名"), validators=[Optional(), Length(max=50)])
    unit_id = SelectField(_l("单位（含下级）"), coerce=int, validators=[Optional()])
    rank = SelectField(_l("职级"), validators=[Optional()])
    category = SelectField(_l("干部类别"), validators=[Optional()])
    status = SelectField(_l("预警状态"), validators=[Optional()])

    def fill_choices(self, units: list[tuple[int, str]]) -> CadreSearchForm:
        """Load the filter choices."""
        everything = str(_l("全部"))
        self.unit_id.choices = [(0, everything), *units]
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
