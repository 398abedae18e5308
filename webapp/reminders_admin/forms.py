"""Forms of the reminder admin pages: one per channel, the record filters, plain buttons."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    URL,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from webapp.forms_common import options
from webapp.models.notifications import ChannelCode, NotificationStatus
from webapp.reminders_admin.channels import LABELS

SECRET_HINT = _l("已保存的值不会显示；留空表示不修改。")


def secret_field(label) -> PasswordField:
    """Return a secret input that is never filled back in (empty keeps the stored value)."""
    return PasswordField(label, validators=[Optional(), Length(max=500)], description=SECRET_HINT)


def url_field(label, required: bool = False) -> StringField:
    """Return an http(s) URL input."""
    first = InputRequired(_l("请填写此项。")) if required else Optional()
    return StringField(
        label,
        validators=[
            first,
            Length(max=500),
            URL(require_tld=False, message=_l("请填写以 http:// 或 https:// 开头的网址。")),
        ],
    )


class ChannelForm(FlaskForm):
    """What every channel setting has: the switch and the save button."""

    enabled = BooleanField(_l("启用"))
    submit = SubmitField(_l("保存"))
    # Form field → config key; a secret field is one of SECRET_KEYS.
    config_fields: tuple[str, ...] = ()

    def typed_config(self) -> dict[str, Any]:
        """Return the config values as typed (secrets empty when left blank)."""
        values = {}
        for name in self.config_fields:
            value = getattr(self, name).data
            values[name] = value.strip() if isinstance(value, str) else value
        return values

    def fill(self, config: dict[str, Any], enabled: bool) -> None:
        """Show a stored setting (secrets stay empty)."""
        self.enabled.data = enabled
        for name in self.config_fields:
            field = getattr(self, name)
            if not isinstance(field, PasswordField) and name in config:
                field.data = config[name]


class EmailForm(ChannelForm):
    """SMTP server of the 电子邮件 channel."""

    host = StringField(
        _l("SMTP 服务器"), validators=[InputRequired(_l("请填写此项。")), Length(max=255)]
    )
    port = IntegerField(
        _l("端口"),
        validators=[
            InputRequired(_l("请填写 1–65535 之间的端口号。")),
            NumberRange(1, 65535, _l("请填写 1–65535 之间的端口号。")),
        ],
    )
    security = SelectField(
        _l("加密方式"),
        choices=options([("starttls", "STARTTLS"), ("ssl", "SSL/TLS"), ("plain", _l("不加密"))]),
        default="starttls",
    )
    username = StringField(_l("登录用户名"), validators=[Optional(), Length(max=255)])
    password = secret_field(_l("登录密码"))
    sender = StringField(
        _l("发件人地址"),
        validators=[
            InputRequired(_l("请填写此项。")),
            Email(_l("请填写有效的电子邮箱地址。")),
            Length(max=255),
        ],
    )
    sender_name = StringField(_l("发件人名称"), validators=[Optional(), Length(max=100)])
    config_fields = ("host", "port", "security", "username", "password", "sender", "sender_name")


class WeComForm(ChannelForm):
    """The 企业微信 application that sends the messages."""

    corp_id = StringField(
        _l("企业 ID（corpid）"), validators=[InputRequired(_l("请填写此项。")), Length(max=64)]
    )
    secret = secret_field(_l("应用 Secret"))
    agent_id = StringField(
        _l("应用 AgentId"),
        validators=[
            InputRequired(_l("请填写此项。")),
            Regexp(r"^\d+$", message=_l("AgentId 应为数字。")),
        ],
    )
    api_base = url_field(_l("接口地址（私有部署时填写）"))
    config_fields = ("corp_id", "secret", "agent_id", "api_base")


class DingTalkForm(ChannelForm):
    """A 钉钉 group robot: the global one (no unit) or one unit's."""

    unit_id = SelectField(_l("适用单位"), coerce=int, default=0)
    webhook_url = secret_field(_l("机器人 Webhook 地址"))
    secret = secret_field(_l("加签密钥"))
    config_fields = ("webhook_url", "secret")

    def validate_webhook_url(self, field) -> None:
        """Refuse an address that is no web address (it is a secret, so not shown back)."""
        if field.data and not field.data.strip().startswith(("https://", "http://")):
            raise ValidationError(_l("请填写以 http:// 或 https:// 开头的网址。"))


class WebhookForm(ChannelForm):
    """A generic webhook: the receiving system checks the signature made with the secret."""

    url = url_field(_l("接收地址"), required=True)
    secret = secret_field(_l("签名密钥"))
    config_fields = ("url", "secret")


FORMS: dict[ChannelCode, type[ChannelForm]] = {
    ChannelCode.EMAIL: EmailForm,
    ChannelCode.WECOM: WeComForm,
    ChannelCode.DINGTALK: DingTalkForm,
    ChannelCode.WEBHOOK: WebhookForm,
}


class ActionForm(FlaskForm):
    """A button that posts (test send, pause, run now, retry); the CSRF token is the content."""


class RecordFilterForm(FlaskForm):
    """Filters of 发送记录 (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    channel = SelectField(
        _l("通道"),
        choices=options([("", _l("全部")), *((c.value, label) for c, label in LABELS.items())]),
        default="",
        validate_choice=False,
    )
    status = SelectField(
        _l("状态"),
        choices=options(
            [
                ("", _l("全部")),
                (NotificationStatus.PENDING.value, _l("待发送")),
                (NotificationStatus.SENT.value, _l("已发送")),
                (NotificationStatus.DEAD.value, _l("发送失败")),
            ]
        ),
        default="",
        validate_choice=False,
    )
    recipient = StringField(_l("接收人"), validators=[Optional(), Length(max=64)])
    date_from = DateField(_l("起始日期"), validators=[Optional()])
    date_to = DateField(_l("截止日期"), validators=[Optional()])
    submit = SubmitField(_l("查询"))

    def validate_date_to(self, field) -> None:
        """Refuse a range that ends before it starts."""
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("截止日期不能早于起始日期。"))
