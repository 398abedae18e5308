"""Talk record form and list filters; choices come from the dictionaries."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    MultipleFileField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from webapp.attachments.services import parse_ids
from webapp.clock import org_zone, utc_now
from webapp.forms_common import (
    REQUIRED,
    DictSelectField,
    cadre_field,
    date_field,
    fill_dict_choices,
    int_or_zero,
    plain_text,
    text_field,
)

# `X as X`: re-exported for the forms of other areas until they import webapp.forms_common.
from webapp.forms_common import too_long as too_long
from webapp.lookups import dict_choices
from webapp.models import User
from webapp.talks.services import TalkFilters
from webapp.units.fields import UnitPickerField

BAD_DATETIME = _l("时间格式应为 年-月-日 时:分，例如 2026-01-31 09:30")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]
MAX_INTERVIEWERS = 10
MAX_TALK_LENGTH = timedelta(hours=24)


def datetime_field(label):
    """Build a required local date-time field read in the organisation's zone."""
    return DateTimeLocalField(
        label,
        validators=[InputRequired(REQUIRED)],
        format=DATETIME_FORMATS,
        tz=org_zone,
        invalid_value_message=BAD_DATETIME,
    )


class LinkSelectField(SelectField):
    """An optional link to a record: its choices are all that may be linked, 0 is none."""

    def __init__(self, label, *, refusal, **kwargs):
        super().__init__(label, coerce=int_or_zero, validators=[Optional()], **kwargs)
        self.refusal = refusal

    def pre_validate(self, form):
        if self.data and self.data not in {value for value, _label in self.choices}:
            raise ValidationError(self.refusal)


class PersonForm(Form):
    """One interviewer: name and unit/position."""

    name = text_field(_l("姓名"), 50)
    position = text_field(_l("单位职务"), 100)

    def validate_name(self, field):
        """Refuse a position without a name."""
        if not (field.data or "").strip() and (self.position.data or "").strip():
            raise ValidationError(_l("请填写姓名"))


class TalkForm(FlaskForm):
    """A talk record (谈话记录)."""

    cadre_id = cadre_field(_l("被谈话人"))
    talk_type = DictSelectField(_l("谈话类型"), "talk_type")
    occasion = DictSelectField(
        _l("必谈情形"), "talk_occasion", blank=_l("无"), validators=[Optional()]
    )
    interviewers = FieldList(
        FormField(PersonForm), label=_l("谈话人"), min_entries=3, max_entries=MAX_INTERVIEWERS
    )
    note_taker_name = text_field(_l("记录人"), 50, required=True)
    note_taker_position = text_field(_l("记录人单位职务"), 100)
    started_at = datetime_field(_l("开始时间"))
    ended_at = datetime_field(_l("结束时间"))
    place = text_field(_l("谈话地点"), 200, required=True)
    mode = DictSelectField(_l("谈话方式"), "talk_mode")
    reason = text_field(_l("谈话事由"), 1000, required=True, multiline=True)
    content = text_field(_l("谈话内容"), 10000, required=True, multiline=True)
    statement = text_field(_l("本人表态"), 3000, multiline=True)
    rectification = text_field(_l("整改要求"), 3000, multiline=True)
    follow_up_on = date_field(_l("回访日期"))
    acknowledged_on = date_field(_l("签收日期"), past_only=True)
    # Not Optional(): an empty value must still reach validate_acknowledged_by.
    acknowledged_by = StringField(_l("签收人"), validators=[too_long(50), plain_text])
    negative_info_id = SelectField(
        _l("关联负面信息"), coerce=int_or_zero, validate_choice=False, validators=[Optional()]
    )
    warning_id = LinkSelectField(
        _l("关联预警"), refusal=_l("只能关联该干部未办结、且您有权查看的预警")
    )
    attachments = MultipleFileField(_l("附件"))
    staged_ids = HiddenField()
    submit = SubmitField(_l("保存"))

    def staged(self) -> list[int]:
        """Return the ids of files kept from an earlier, unsaved submission."""
        return parse_ids(self.staged_ids.data)

    def fill_choices(
        self,
        cadres: list[tuple[int, str]],
        infos: list[tuple[int, str]],
        warnings: list[tuple[int, str]],
    ) -> TalkForm:
        """Load the dictionary, cadre, negative-information and warning choices."""
        fill_dict_choices(self, _l("请选择"))
        self.cadre_id.choices = cadres
        self.negative_info_id.choices = [(0, str(_l("不关联"))), *infos]
        self.warning_id.choices = [(0, str(_l("不关联"))), *warnings]
        return self

    def talk_day(self) -> date | None:
        """Return the day the talk took place, in the organisation's zone."""
        started = self.started_at.data
        return started.astimezone(org_zone()).date() if started else None

    def interviewer_list(self) -> list[dict]:
        """Return the interviewers filled in, blanks left out."""
        people = []
        for entry in self.interviewers:
            name = (entry.form.name.data or "").strip()
            if name:
                people.append({"name": name, "position": (entry.form.position.data or "").strip()})
        return people

    def interviewer_errors(self) -> list[str]:
        """Return the errors about the interviewers as a whole (not about one row)."""
        return [str(e) for e in self.interviewers.errors if not isinstance(e, dict | list)]

    def validate_interviewers(self, field):
        """Require at least one interviewer."""
        if not self.interviewer_list():
            raise ValidationError(_l("请至少填写一名谈话人"))

    def validate_started_at(self, field):
        """Refuse a talk that has not happened yet."""
        if field.data and field.data > utc_now():
            raise ValidationError(_l("谈话时间不能晚于当前时间"))

    def validate_ended_at(self, field):
        """Refuse an end before the start, a day or more after it, or in the future."""
        if not field.data:
            return
        if self.started_at.data and field.data <= self.started_at.data:
            raise ValidationError(_l("结束时间应晚于开始时间"))
        # A talk lasts hours; a longer span is a mistyped day, not a long talk.
        if self.started_at.data and field.data - self.started_at.data > MAX_TALK_LENGTH:
            raise ValidationError(_l("谈话时长不能超过 24 小时"))
        if field.data > utc_now():
            raise ValidationError(_l("结束时间不能晚于当前时间"))

    def validate_follow_up_on(self, field):
        """Refuse a follow-up visit on or before the talk day."""
        day = self.talk_day()
        if field.data and day and field.data <= day:
            raise ValidationError(_l("回访日期应晚于谈话日期"))

    def validate_acknowledged_on(self, field):
        """Refuse an acknowledgement before the talk."""
        day = self.talk_day()
        if field.data and day and field.data < day:
            raise ValidationError(_l("签收日期不能早于谈话日期"))

    def validate_acknowledged_by(self, field):
        """Ask who signed when a signing date is given."""
        if self.acknowledged_on.data and not (field.data or "").strip():
            raise ValidationError(_l("请填写签收人"))


class TalkUploadForm(FlaskForm):
    """Add files to a saved talk."""

    attachments = MultipleFileField(_l("附件"), validators=[DataRequired(_l("请选择文件"))])
    submit = SubmitField(_l("上传"))


class TalkSearchForm(FlaskForm):
    """List filters, read from the query string."""

    class Meta:
        csrf = False

    q = StringField(_l("被谈话人"), validators=[Optional(), Length(max=50)])
    unit_id = UnitPickerField(_l("单位（含下级）"))
    talk_type = SelectField(_l("谈话类型"), validators=[Optional()])
    date_from = date_field(_l("谈话日期从"))
    date_to = date_field(_l("至"))

    def fill_choices(self, user: User) -> TalkSearchForm:
        """Load the filter choices (the units: the top of the user's tree)."""
        everything = str(_l("全部"))
        self.unit_id.offer(user, everything)
        self.talk_type.choices = dict_choices("talk_type", blank=everything)
        return self

    def validate_date_to(self, field):
        """Refuse a range that ends before it starts."""
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("截止日期不能早于起始日期"))

    def filters(self) -> TalkFilters:
        """Return the filters the query string asks for (none if it is invalid)."""
        if not self.validate():
            return TalkFilters()
        return TalkFilters(
            q=self.q.data or "",
            talk_type=self.talk_type.data or "",
            date_from=self.date_from.data,
            date_to=self.date_to.data,
            unit_id=self.unit_id.data or 0,
        )
