"""The 通知设置 form: one checkbox per pushed channel (站内消息 is always on)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField

from webapp.models.notifications import ChannelCode

CHANNEL_LABELS = {
    ChannelCode.INAPP: _l("站内消息"),
    ChannelCode.EMAIL: _l("邮件"),
    ChannelCode.WECOM: _l("企业微信"),
    ChannelCode.DINGTALK: _l("钉钉"),
    ChannelCode.WEBHOOK: _l("Webhook"),
}
PUSHED = tuple(channel for channel in ChannelCode if channel.pushed)


class NotificationForm(FlaskForm):
    """The pushed channels a user wants; field names are the channel codes."""

    email = BooleanField(CHANNEL_LABELS[ChannelCode.EMAIL])
    wecom = BooleanField(CHANNEL_LABELS[ChannelCode.WECOM])
    dingtalk = BooleanField(CHANNEL_LABELS[ChannelCode.DINGTALK])
    webhook = BooleanField(CHANNEL_LABELS[ChannelCode.WEBHOOK])
    submit = SubmitField(_l("保存"))

    def chosen(self) -> set[ChannelCode]:
        """Return the pushed channels ticked."""
        return {channel for channel in PUSHED if self[channel.value].data}


class StartTwoFactorForm(FlaskForm):
    """The button that starts enrolment in two-factor login."""

    submit = SubmitField(_l("开始设置两步验证"))
