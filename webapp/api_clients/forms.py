"""Forms of the API client pages: the system admin's details, the security admin's grant."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from limits import parse
from sqlalchemy import select
from wtforms import (
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.admin.forms import SCOPE_LABELS
from webapp.api_clients.permissions import PERMISSION_LABELS
from webapp.api_clients.services import ClientDetails, ClientGrant, networks
from webapp.extensions import db
from webapp.forms_common import REQUIRED, date_field, options, plain_text, too_long
from webapp.models import ApiClient, DataScope


class ClientForm(FlaskForm):
    """A client's name, owner unit, allowed source addresses, expiry and rate limit."""

    name = StringField(
        _l("接入系统名称"), validators=[DataRequired(REQUIRED), too_long(64), plain_text]
    )
    owner_unit_id = SelectField(_l("所属单位"), coerce=int, validators=[DataRequired(REQUIRED)])
    allowed_addresses = TextAreaField(
        _l("允许的来源地址"),
        validators=[DataRequired(REQUIRED), too_long(2000)],
        description=_l("每行一个 IP 地址或网段，例如 10.1.2.3 或 10.1.2.0/24"),
    )
    expires_on = date_field(_l("有效期至"), required=True)
    rate_limit = StringField(
        _l("调用频率上限"),
        default="60/minute",
        validators=[DataRequired(REQUIRED), too_long(32)],
        description=_l("例如 60/minute（每分钟 60 次）、1000/hour"),
    )
    version = HiddenField()
    submit = SubmitField(_l("保存"))

    def __init__(self, *args, client: ApiClient | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client

    def validate_name(self, field):
        """Refuse a name another client already has."""
        stmt = select(ApiClient.id).where(ApiClient.name == (field.data or "").strip())
        found = db.session.scalar(stmt)
        if found is not None and (self.client is None or found != self.client.id):
            raise ValidationError(_l("已有同名的接入系统"))

    def validate_allowed_addresses(self, field):
        """Refuse a line that is no IP address or network."""
        try:
            networks(field.data or "")
        except ValueError:
            raise ValidationError(_l("地址格式不正确：每行一个 IP 地址或网段")) from None

    def validate_rate_limit(self, field):
        """Refuse a limit the rate limiter cannot read."""
        try:
            parse(field.data or "")
        except ValueError:
            raise ValidationError(_l("格式应为 次数/时间单位，例如 60/minute")) from None

    def details(self) -> ClientDetails:
        """Return the details the form describes."""
        return ClientDetails(
            name=self.name.data,
            owner_unit_id=self.owner_unit_id.data,
            allowed_addresses=self.allowed_addresses.data,
            expires_on=self.expires_on.data,
            rate_limit=self.rate_limit.data,
        )

    def version_number(self) -> int | None:
        """Return the version the admin's copy was loaded at."""
        return int(self.version.data) if (self.version.data or "").isdigit() else None


class ClientGrantForm(FlaskForm):
    """The API permissions and data scope the security admin grants a client."""

    permissions = SelectMultipleField(
        _l("接口权限"),
        choices=options([(code.value, label) for code, label in PERMISSION_LABELS.items()]),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    data_scope = SelectField(
        _l("数据权限"),
        validators=[DataRequired(REQUIRED)],
        choices=options([(s.value, label) for s, label in SCOPE_LABELS.items()]),
    )
    scope_unit_ids = SelectMultipleField(_l("自定数据权限部门"), coerce=int, validators=[])
    submit = SubmitField(_l("保存授权"))

    def validate_scope_unit_ids(self, field):
        """Require at least one unit for a custom scope."""
        if self.data_scope.data == DataScope.CUSTOM and not field.data:
            raise ValidationError(_l("自定数据权限至少选择一个部门"))

    def grant(self) -> ClientGrant:
        """Return the grant the form describes."""
        return ClientGrant(
            permissions=tuple(self.permissions.data or ()),
            data_scope=DataScope(self.data_scope.data),
            scope_unit_ids=tuple(self.scope_unit_ids.data or ()),
        )


class ButtonForm(FlaskForm):
    """A bare POST button (签发令牌, 吊销), protected by CSRF."""

    submit = SubmitField()
