"""Channels: a registry of small classes, each with one ``send()`` that raises nothing."""

from __future__ import annotations

from alerts.channels.base import Channel, Outgoing, Recipient, SendResult
from alerts.channels.dingtalk import DingTalkChannel
from alerts.channels.inapp import InAppChannel
from alerts.channels.smtp import EmailChannel
from alerts.channels.webhook import WebhookChannel
from alerts.channels.wecom import WeComChannel
from webapp.models.notifications import ChannelCode


def build_channels() -> dict[ChannelCode, Channel]:
    """Return one instance of every channel, keyed by code (each with its own token cache)."""
    return {
        channel.code: channel
        for channel in (
            InAppChannel(),
            EmailChannel(),
            WeComChannel(),
            DingTalkChannel(),
            WebhookChannel(),
        )
    }


# The process's channels: the 企业微信 token cache lives as long as the process.
CHANNELS: dict[ChannelCode, Channel] = build_channels()

__all__ = ["CHANNELS", "Channel", "Outgoing", "Recipient", "SendResult", "build_channels"]
