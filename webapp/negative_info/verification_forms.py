"""Forms of the verification steps: 开始核实, 核实办结, 重新核实."""

from __future__ import annotations

from datetime import date

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from webapp.clock import org_today
from webapp.forms_common import REQUIRED, date_field
from webapp.lookups import dict_choices
from webapp.models import Cadre, NegativeInfo
from webapp.negative_info.forms import NOTE_MAX, required_date
from webapp.negative_info.queries import cadre_in_scope, handler_choices
from workflows.verification import CONCLUSIONS

HANDLER_REFUSED = _l("承办人须为有权办理负面信息、且数据权限覆盖该干部的在职用户")


class HandlerField(SelectField):
    """The 承办人 select; a posted id it does not offer gets the reason, in Chinese."""

    def pre_validate(self, form):
        if self.data and self.data not in {value for value, _label in self.choices}:
            raise ValidationError(HANDLER_REFUSED)


class StartVerificationForm(FlaskForm):
    """开始核实: handler (and the cadre, when a liaison's submission could not be matched)."""

    handler_id = HandlerField(_l("承办人"), coerce=int, validators=[DataRequired(REQUIRED)])
    # A historical case is entered with its real start; the deadline counts from it.
    started_on = date_field(_l("开始核实日期"), past_only=True)
    cadre_id = IntegerField(_l("所涉干部"), validators=[Optional()])
    note = TextAreaField(_l("说明"), validators=[Optional(), Length(max=NOTE_MAX)])
    version = HiddenField()
    submit = SubmitField(_l("开始核实"))

    def __init__(self, *args, user=None, info: NegativeInfo | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.info = info
        self.needs_cadre = info is not None and info.cadre_id is None
        self.cadre: Cadre | None = None
        # Only people who may edit the item and see its cadre can handle it; while the
        # cadre is still to be picked, the pick is checked in `validate`.
        cadre_id = info.cadre_id if info is not None else None
        self.handler_id.choices = [(0, str(_l("请选择"))), *handler_choices(cadre_id)]
        if self.started_on.data is None and not self.is_submitted():
            self.started_on.data = org_today()

    def start_date(self) -> date:
        """Return the day verification starts (today when left empty)."""
        return self.started_on.data or org_today()

    def validate_started_on(self, field):
        """Refuse a start before the item was received."""
        received = self.info.received_on if self.info else None
        if field.data and received and field.data < received:
            raise ValidationError(
                _l("开始核实日期不能早于收到时间（%(day)s）", day=received.isoformat())
            )

    def validate(self, extra_validators=None):
        """Require the cadre when the item has none yet (an empty field skips its validator)."""
        valid = super().validate(extra_validators)
        if self.needs_cadre and not self.cadre_id.data and not self.cadre_id.errors:
            self.cadre_id.errors.append(str(_l("请选择所涉干部")))
            valid = False
        if (
            self.cadre is not None
            and not self.handler_id.errors
            and self.handler_id.data not in {uid for uid, _label in handler_choices(self.cadre.id)}
        ):
            self.handler_id.errors.append(str(HANDLER_REFUSED))
            valid = False
        return valid

    def validate_cadre_id(self, field):
        """Answer 404 for a cadre outside the user's scope."""
        if not self.needs_cadre:
            return
        self.cadre = cadre_in_scope(self.user, field.data)
        if self.cadre is None:
            abort(404)


class ConcludeForm(FlaskForm):
    """核实办结: the conclusion, its date and the verification note."""

    conclusion = SelectField(_l("核实结论"), validators=[DataRequired(REQUIRED)])
    concluded_on = required_date(_l("办结日期"))
    note = TextAreaField(
        _l("核实情况说明"), validators=[DataRequired(REQUIRED), Length(max=NOTE_MAX)]
    )
    version = HiddenField()
    submit = SubmitField(_l("办结"))

    def __init__(self, *args, info: NegativeInfo | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.info = info
        self.conclusion.choices = [
            ("", str(_l("请选择"))),
            *(
                (value, label)
                for value, label in dict_choices("verification_status")
                if value in {s.value for s in CONCLUSIONS}
            ),
        ]
        if self.concluded_on.data is None and not self.is_submitted():
            self.concluded_on.data = org_today()

    def validate_concluded_on(self, field):
        """Refuse a conclusion dated before verification started."""
        started = self.info.verification_started_on if self.info else None
        if field.data and started and field.data < started:
            raise ValidationError(
                _l("核实办结日期不能早于开始核实日期（%(day)s）", day=started.isoformat())
            )


class ReopenForm(FlaskForm):
    """重新核实: why the conclusion is reopened."""

    reason = TextAreaField(
        _l("重新核实原因"), validators=[DataRequired(REQUIRED), Length(max=NOTE_MAX)]
    )
    version = HiddenField()
    submit = SubmitField(_l("重新核实"))
