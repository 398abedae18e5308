"""The written reminder (书面提醒) form: a 提醒函 to a cadre without a talk."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Optional

from webapp.cadres.forms import REQUIRED
from webapp.inquiries.forms import required_date
from webapp.talks.forms import cadre_field, too_long


class ReminderLetterForm(FlaskForm):
    """Whom to remind, of what, what to do, and the letter's date."""

    cadre_id = cadre_field(_l("提醒对象"))
    matters = TextAreaField(_l("提醒事项"), validators=[DataRequired(REQUIRED), too_long(3000)])
    requirements = TextAreaField(_l("具体要求"), validators=[Optional(), too_long(3000)])
    issued_on = required_date(_l("落款日期"))
    submit = SubmitField(_l("生成提醒函"))
