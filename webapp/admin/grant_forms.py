"""Forms of the security admin's 授权 page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, SubmitField
from wtforms.validators import DataRequired, ValidationError

from webapp.admin.forms import SCOPE_LABELS
from webapp.admin.grants import ROLELESS_LOGIN_UNCONFIRMED, Grant, grant_problem, needs_login_check
from webapp.extensions import db
from webapp.forms_common import REQUIRED, options
from webapp.models import DataScope, Role, User


class GrantForm(FlaskForm):
    """An account's role, unit and data scope, checked against 三员分立."""

    role_id = SelectField(_l("角色"), coerce=int, validators=[DataRequired(REQUIRED)])
    unit_id = SelectField(_l("所属部门"), coerce=int, validators=[DataRequired(REQUIRED)])
    data_scope = SelectField(
        _l("数据权限"),
        validators=[DataRequired(REQUIRED)],
        choices=options([(s.value, label) for s, label in SCOPE_LABELS.items()]),
    )
    scope_unit_ids = SelectMultipleField(_l("自定数据权限部门"), coerce=int, validators=[])
    # Shown only when the account logged in while it held no role (grants.needs_login_check).
    roleless_login_confirmed = BooleanField(
        _l("我已与本人核实：该账号由本人掌握，未授权期间的登录是本人所为")
    )
    submit = SubmitField(_l("保存授权"))

    def __init__(self, *args, actor: User, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor, self.user = actor, user

    def validate_role_id(self, field):
        """Refuse a change of one's own access, or a role the account may not hold with its own."""
        problem = grant_problem(self.actor, self.user, db.session.get(Role, field.data))
        if problem:
            raise ValidationError(problem)

    def validate_roleless_login_confirmed(self, field):
        """Require the confirmation before case work goes to a roleless account that logged in."""
        role = db.session.get(Role, self.role_id.data) if self.role_id.data else None
        if not field.data and needs_login_check(self.user, role):
            raise ValidationError(ROLELESS_LOGIN_UNCONFIRMED)

    def validate_scope_unit_ids(self, field):
        """Require at least one unit for a custom scope."""
        if self.data_scope.data == DataScope.CUSTOM and not field.data:
            raise ValidationError(_l("自定数据权限至少选择一个部门"))

    def grant(self) -> Grant:
        """Return the grant the form describes."""
        return Grant(
            role_id=self.role_id.data,
            unit_id=self.unit_id.data,
            data_scope=DataScope(self.data_scope.data),
            scope_unit_ids=tuple(self.scope_unit_ids.data or ()),
            roleless_login_confirmed=bool(self.roleless_login_confirmed.data),
        )


class UnlockForm(FlaskForm):
    """Clear an account's lock (the button alone)."""

    submit = SubmitField(_l("解除锁定"))
