"""Inquiry (函询) forms: the letter, the reply, the conclusion; and the list filters."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from webapp.forms_common import REQUIRED, DictSelectField, cadre_field, date_field, too_long
from webapp.lookups import dict_choices
from webapp.models import Inquiry, User
from webapp.units.fields import UnitPickerField

STATUS_CHOICES = [
    ("pending", _l("待回复")),
    ("replied", _l("已回复")),
    ("concluded", _l("已办结")),
]


def required_date(label):
    """Build a required date field that may not lie in the future."""
    return date_field(label, required=True, past_only=True)


def not_before(field, day: date | None, message) -> None:
    """Refuse a date earlier than `day`."""
    if field.data and day and field.data < day:
        raise ValidationError(message)


def not_after(field, day: date | None, message) -> None:
    """Refuse a date later than `day`."""
    if field.data and day and field.data > day:
        raise ValidationError(message)


class InquiryForm(FlaskForm):
    """The inquiry letter: whom, about what, issued when."""

    cadre_id = cadre_field(_l("函询对象"))
    matters = TextAreaField(_l("函询事项"), validators=[DataRequired(REQUIRED), too_long(3000)])
    issued_on = required_date(_l("发函日期"))
    submit = SubmitField(_l("保存"))

    def __init__(
        self, *args, previous: Inquiry | None = None, inquiry: Inquiry | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.previous = previous
        self.inquiry = inquiry

    def validate_issued_on(self, field):
        """Refuse a date before the previous round's end or after this letter's reply."""
        if self.previous is not None:
            not_before(
                field, self.previous.concluded_on, _l("再次函询的发函日期不能早于上一轮办结日期")
            )
        if self.inquiry is not None:
            not_after(field, self.inquiry.replied_on, _l("发函日期不能晚于回复日期"))
            not_after(field, self.inquiry.pledge_received_on, _l("发函日期不能晚于承诺书日期"))
            not_after(field, self.inquiry.concluded_on, _l("发函日期不能晚于办结日期"))


class ReplyForm(FlaskForm):
    """The cadre's written reply and the truthfulness pledge."""

    replied_on = required_date(_l("回复日期"))
    reply = TextAreaField(_l("回复内容"), validators=[DataRequired(REQUIRED), too_long(10000)])
    pledge_received_on = date_field(_l("收到说明真实性承诺书日期"), past_only=True)
    submit = SubmitField(_l("保存回复"))

    def __init__(self, *args, inquiry: Inquiry, **kwargs):
        super().__init__(*args, **kwargs)
        self.inquiry = inquiry

    def validate_replied_on(self, field):
        """Refuse a reply dated before the letter."""
        not_before(field, self.inquiry.issued_on, _l("回复日期不能早于发函日期"))
        not_after(field, self.inquiry.concluded_on, _l("回复日期不能晚于办结日期"))

    def validate_pledge_received_on(self, field):
        """Refuse a pledge dated before the letter."""
        not_before(field, self.inquiry.issued_on, _l("承诺书日期不能早于发函日期"))


class ConclusionForm(FlaskForm):
    """The conclusion drawn from the reply (采信结论)."""

    conclusion = DictSelectField(_l("采信结论"), "inquiry_conclusion")
    concluded_on = required_date(_l("办结日期"))
    conclusion_note = TextAreaField(_l("结论说明"), validators=[Optional(), too_long(2000)])
    submit = SubmitField(_l("保存结论"))

    def __init__(self, *args, inquiry: Inquiry, **kwargs):
        super().__init__(*args, **kwargs)
        self.inquiry = inquiry

    def fill_choices(self) -> ConclusionForm:
        """Load the conclusions."""
        self.conclusion.choices = dict_choices("inquiry_conclusion", blank=str(_l("请选择")))
        return self

    def validate_concluded_on(self, field):
        """Refuse a conclusion dated before the letter or the reply."""
        not_before(field, self.inquiry.issued_on, _l("办结日期不能早于发函日期"))
        not_before(field, self.inquiry.replied_on, _l("办结日期不能早于回复日期"))


class InquirySearchForm(FlaskForm):
    """List filters, read from the query string."""

    class Meta:
        csrf = False

    q = StringField(_l("函询对象"), validators=[Optional(), Length(max=50)])
    unit_id = UnitPickerField(_l("单位（含下级）"))
    status = SelectField(_l("办理状态"), validators=[Optional()])
    conclusion = SelectField(_l("采信结论"), validators=[Optional()])
    date_from = date_field(_l("发函日期从"))
    date_to = date_field(_l("至"))

    def validate_date_to(self, field):
        """Refuse a reversed date range."""
        not_before(field, self.date_from.data, _l("结束日期不能早于开始日期"))

    def fill_choices(self, user: User) -> InquirySearchForm:
        """Load the filter choices (the units: the top of the user's tree)."""
        everything = str(_l("全部"))
        self.unit_id.offer(user, everything)
        self.status.choices = [("", everything), *((v, str(label)) for v, label in STATUS_CHOICES)]
        self.conclusion.choices = dict_choices("inquiry_conclusion", blank=everything)
        return self
