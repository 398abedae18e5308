"""Forms of the holiday maintenance page (节假日维护)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from webapp.forms_common import REQUIRED, options, plain_text


class HolidayDayForm(FlaskForm):
    """Add or correct one day: a holiday (休) or an adjusted workday (班)."""

    day = DateField(
        _l("日期"),
        validators=[InputRequired(REQUIRED)],
        format="%Y-%m-%d",
        render_kw={"placeholder": "2027-01-01"},
    )
    kind = SelectField(
        _l("类型"),
        choices=options([("holiday", _l("休（放假）")), ("workday", _l("班（调休上班）"))]),
        validators=[DataRequired(REQUIRED)],
    )
    name = StringField(
        _l("名称"),
        validators=[Optional(), Length(max=50), plain_text],
        render_kw={"placeholder": _l("例如：元旦、春节调休")},
    )
    submit = SubmitField(_l("添加"))


class HolidayBulkForm(FlaskForm):
    """Paste a schedule, one day a line: "2027-01-01 休 元旦", "2027-02-07 班 春节调休"."""

    lines = TextAreaField(
        _l("批量录入（每行一天）"),
        validators=[DataRequired(REQUIRED), Length(max=20000)],
        render_kw={"rows": 12, "placeholder": "2027-01-01 休 元旦\n2027-02-07 班 春节调休"},
    )
    mark_complete = BooleanField(_l("保存后标记该年度安排已录入完整"), default=True)
    submit = SubmitField(_l("批量保存"))


class ActionForm(FlaskForm):
    """A button that posts (delete a day, mark a year complete); the CSRF token is the content."""
