"""The workbench's forms: acknowledging a to-do with a planned date."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField
from wtforms.validators import ValidationError

from webapp.clock import org_today
from webapp.forms_common import date_field
from webapp.main.todo import PlanRefused, check_plan


class AcknowledgeForm(FlaskForm):
    """已知悉，计划于…完成: the date the user plans to have the item done."""

    planned_on = date_field(_l("计划完成日期"), required=True)
    submit = SubmitField(_l("已知悉"))

    def validate_planned_on(self, field) -> None:
        """Refuse a date before today or too far ahead."""
        if field.data is None:  # not a date: the format error is already shown
            return
        try:
            check_plan(field.data, org_today())
        except PlanRefused as refused:
            raise ValidationError(str(refused.args[0])) from None
