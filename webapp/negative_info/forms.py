"""Forms for negative information: intake, liaison submission, verification and filters."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from webapp.attachments.services import parse_ids
from webapp.clock import org_today
from webapp.converters import INT_MAX
from webapp.extensions import db
from webapp.forms_common import (
    REQUIRED,
    DictSelectField,
    date_field,
    plain_text,
)
from webapp.lookups import dict_choices, param_int
from webapp.models import Cadre, NegativeInfo, OrgUnit, User
from webapp.negative_info.queries import ReportFilters, cadre_in_scope
from webapp.negative_info.records import LIAISON_FIELDS, REPORT_FIELDS, categories, situations
from webapp.negative_info.sealing import unsealing_refused
from webapp.security.permissions import Permission
from webapp.units import ordered_units
from webapp.units.fields import UnitPickerField
from workflows.verification import dates_in_order

DATE_MESSAGES = {
    "occurred_in_future": _l("发生时间不能晚于今天"),
    "received_in_future": _l("收到时间不能晚于今天"),
    "occurred_after_received": _l("发生时间不能晚于收到时间"),
}
DETAILS_MAX = 10000
NOTE_MAX = 2000


def required_date(label):
    """Build a required date field that may not lie in the future."""
    return date_field(label, required=True, past_only=True)


class SituationField(SelectField):
    """The 具体情形 select; the template groups it under categories for the cascade."""

    def pre_validate(self, form):
        if self.data and self.data not in {value for value, _label in self.choices}:
            raise ValidationError(_l("请从列表中选择"))


def summary_field():
    """Build the 事实摘要 textarea; its length limit is a parameter, checked in the form."""
    return TextAreaField(_l("事实摘要"), validators=[DataRequired(REQUIRED)])


class ReportBase(FlaskForm):
    """Fields shared by the supervisor's and the liaison's forms."""

    category = SelectField(_l("信息类别（大类）"), validators=[DataRequired(REQUIRED)])
    situation = SituationField(_l("具体情形"), validators=[DataRequired(REQUIRED)])
    source_channel = DictSelectField(_l("信息来源"), "source_channel")
    source_document_number = StringField(
        _l("来源文号"), validators=[Optional(), Length(max=100), plain_text]
    )
    occurred_on = required_date(_l("发生时间"))
    summary = summary_field()
    # Long text is stored as typed and always shown escaped, so markup is harmless here.
    details = TextAreaField(_l("详细情况"), validators=[Optional(), Length(max=DETAILS_MAX)])
    details_has_identity = BooleanField(_l("详细情况含来源身份信息（按举报人信息加密保护）"))
    attachments = MultipleFileField(_l("附件"))
    staged_ids = HiddenField()

    def fill_choices(self):
        """Load categories, situations and dictionary choices."""
        please = str(_l("请选择"))
        self.category.choices = [("", please), *categories()]
        self.situation.choices = [
            ("", please),
            *((s.value, s.label) for s in situations().values()),
        ]
        for field in self:
            if isinstance(field, DictSelectField):
                field.choices = dict_choices(field.dict_code, blank=please)
        return self

    def situation_groups(self) -> list[tuple[str, str, list[tuple[str, str, int]]]]:
        """Return categories with their situations, for the grouped select."""
        by_category: dict[str, list[tuple[str, str, int]]] = {}
        for s in situations().values():
            by_category.setdefault(s.category, []).append((s.value, s.label, s.tier))
        return [(value, label, by_category.get(value, [])) for value, label in categories()]

    def validate_situation(self, field):
        """Refuse a situation that does not belong to the chosen category."""
        situation = situations().get(field.data or "")
        if (
            situation is not None
            and self.category.data
            and situation.category != self.category.data
        ):
            raise ValidationError(_l("所选具体情形不属于该信息类别"))

    def validate_summary(self, field):
        """Refuse a summary longer than the parameter allows (default 1000 字)."""
        limit = param_int("report.summary_max_chars")
        if field.data and len(field.data) > limit:
            raise ValidationError(
                _l("事实摘要不能超过 %(n)s 字（现有 %(m)s 字）", n=limit, m=len(field.data))
            )

    def staged(self) -> list[int]:
        """Return the ids of files kept from an earlier, unsaved submission."""
        return parse_ids(self.staged_ids.data)

    def values(self, names: tuple[str, ...]) -> dict[str, Any]:
        """Return the typed values of the named fields, stripped, empty text as ""."""
        result = {}
        for name in names:
            value = self[name].data
            result[name] = value.strip() if isinstance(value, str) else value
        return result


class ReportForm(ReportBase):
    """The supervisor's full form."""

    cadre_id = IntegerField(_l("干部"), validators=[InputRequired(_l("请选择干部"))])
    reporting_unit = StringField(
        _l("报送单位"), validators=[Optional(), Length(max=100), plain_text]
    )
    liaison_name = StringField(_l("联络员"), validators=[Optional(), Length(max=50), plain_text])
    reporter_name = StringField(_l("举报人"), validators=[Optional(), Length(max=50), plain_text])
    reporter_contact = StringField(
        _l("举报人联系方式"), validators=[Optional(), Length(max=100), plain_text]
    )
    received_on = required_date(_l("收到时间"))
    handling_unit = StringField(
        _l("查处单位"), validators=[Optional(), Length(max=100), plain_text]
    )
    handling_result = TextAreaField(
        _l("处理情况"), validators=[Optional(), Length(max=500)], render_kw={"rows": 2}
    )
    severity = DictSelectField(_l("严重程度"), "severity")
    confidentiality = DictSelectField(_l("密级"), "confidentiality", default="internal")
    version = HiddenField()
    # "link" or "continue": the user's answer once possible duplicates were shown.
    duplicate_decision = HiddenField()
    duplicate_of = IntegerField(
        _l("关联为重复信息"),
        validators=[Optional(), NumberRange(1, INT_MAX, _l("请选择列出的信息"))],
    )
    submit = SubmitField(_l("保存"))

    def __init__(self, *args, user=None, info: NegativeInfo | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.info = info
        self.cadre: Cadre | None = None

    def validate_cadre_id(self, field):
        """Answer 404 for a cadre outside the user's scope: never confirm it exists."""
        if field.data is None:
            raise ValidationError(_l("请选择干部"))
        self.cadre = cadre_in_scope(self.user, field.data)
        if self.cadre is None:
            abort(404)

    def validate_source_channel(self, field):
        """Refuse moving a sealed item to an open channel, to whom may not read its source."""
        if self._unseals(field.name):
            raise ValidationError(
                _l("报送单位、联络员已加密保护，您无权查看来源身份，不能将信息来源改为其他渠道")
            )

    def validate_details_has_identity(self, field):
        """Refuse unticking the details box, to whom may not read the source."""
        if self._unseals(field.name):
            raise ValidationError(
                _l("详细情况已按来源身份加密保护，您无权查看来源身份，不能取消此项")
            )

    def _unseals(self, key: str) -> bool:
        if self.info is None or self.user is None:
            return False
        if self.user.can(Permission.VIEW_SOURCE_IDENTITY):
            return False
        typed = {
            name: self[name].data for name in (key, "reporting_unit", "liaison_name", "details")
        }
        return unsealing_refused(self.info, key, typed)

    def validate_received_on(self, field):
        """Refuse occurred after received (each is also checked against today)."""
        problem = dates_in_order(self.occurred_on.data, field.data, org_today())
        if problem == "occurred_after_received":
            raise ValidationError(DATE_MESSAGES[problem])
        started = self.info.verification_started_on if self.info else None
        if field.data and started and field.data > started:
            raise ValidationError(
                _l("收到时间不能晚于开始核实日期（%(day)s）", day=started.isoformat())
            )

    def report_values(self) -> dict[str, Any]:
        """Return the values the service stores."""
        values = self.values(REPORT_FIELDS)
        for key in ("details", "handling_result"):
            values[key] = values[key] or ""
        return values

    def version_number(self) -> int | None:
        """Return the version the user's copy was loaded at."""
        return int(self.version.data) if (self.version.data or "").isdigit() else None


class LiaisonForm(ReportBase):
    """The liaison's short form: the cadre is named, not picked from a roster."""

    cadre_name = StringField(
        _l("干部姓名"), validators=[DataRequired(REQUIRED), Length(max=50), plain_text]
    )
    cadre_unit_id = SelectField(_l("干部所在单位"), coerce=int, validators=[DataRequired(REQUIRED)])
    cadre_position = StringField(_l("职务"), validators=[Optional(), Length(max=100), plain_text])
    submit = SubmitField(_l("报送"))

    def fill_choices(self):
        """Load categories, situations, dictionaries and every active unit."""
        super().fill_choices()
        # Unit names are not sensitive; a liaison of the police may report on any unit.
        self.cadre_unit_id.choices = [
            (0, str(_l("请选择"))),
            *((u.id, "　" * u.depth + u.name) for u in ordered_units()),
        ]
        return self

    def validate_cadre_unit_id(self, field):
        """Refuse a unit that does not exist or is inactive."""
        unit = db.session.get(OrgUnit, field.data or 0)
        if unit is None or not unit.active:
            raise ValidationError(_l("请从列表中选择"))

    def report_values(self) -> dict[str, Any]:
        """Return the values the service stores."""
        values = self.values(LIAISON_FIELDS)
        values["details"] = values["details"] or ""
        return values


class LinkDuplicateForm(FlaskForm):
    """Link an item to a possible duplicate, or clear the link (0)."""

    other_id = IntegerField(validators=[Optional()])
    version = HiddenField()


class UploadForm(FlaskForm):
    """Add files to a saved item."""

    attachments = MultipleFileField(_l("附件"), validators=[DataRequired(_l("请选择文件"))])
    submit = SubmitField(_l("上传"))


class RegisterFilterForm(FlaskForm):
    """Register filters, read from the query string."""

    class Meta:
        csrf = False

    q = StringField(_l("编号或姓名"), validators=[Optional(), Length(max=50)])
    unit_id = UnitPickerField(_l("单位（含下级）"))
    category = SelectField(_l("信息类别"), validators=[Optional()])
    source_channel = SelectField(_l("信息来源"), validators=[Optional()])
    status = SelectField(_l("核实状态"), validators=[Optional()])
    severity = SelectField(_l("严重程度"), validators=[Optional()])
    received_from = date_field(_l("收到时间 从"))
    received_to = date_field(_l("至"))
    cadre_id = IntegerField(validators=[Optional()])

    def fill_choices(self, user: User):
        """Load the filter choices (the units: the top of the user's tree)."""
        everything = str(_l("全部"))
        self.unit_id.offer(user, everything)
        self.category.choices = [("", everything), *categories()]
        self.source_channel.choices = dict_choices("source_channel", blank=everything)
        self.status.choices = dict_choices("verification_status", blank=everything)
        self.severity.choices = dict_choices("severity", blank=everything)
        return self

    def filters(self) -> ReportFilters:
        """Return the filters the query string asks for (none if it is invalid)."""
        if not self.validate():
            return ReportFilters()
        return ReportFilters(
            q=self.q.data or "",
            unit_id=self.unit_id.data or 0,
            category=self.category.data or "",
            source_channel=self.source_channel.data or "",
            status=self.status.data or "",
            severity=self.severity.data or "",
            received_from=self.received_from.data,
            received_to=self.received_to.data,
            cadre_id=self.cadre_id.data or 0,
        )

    def validate_received_to(self, field):
        """Refuse a reversed date range."""
        if field.data and self.received_from.data and field.data < self.received_from.data:
            raise ValidationError(_l("结束日期不能早于开始日期"))


def default_received_on() -> date:
    """Return the default 收到时间 of a new item (today)."""
    return org_today()


class RevealSourceForm(FlaskForm):
    """The reason a holder of view_source_identity gives for reading who reported."""

    reason = StringField(
        _l("查看理由"),
        validators=[DataRequired(REQUIRED), Length(max=200), plain_text],
    )
    submit = SubmitField(_l("查看来源身份"))
