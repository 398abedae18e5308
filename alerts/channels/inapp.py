"""站内消息: the row itself is the message; sending makes it readable in the inbox."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alerts.channels.base import Channel, Outgoing, SendResult
from webapp.models.notifications import ChannelCode


class InAppChannel(Channel):
    """Deliver by marking the notification sent; the inbox lists sent in-app rows."""

    code = ChannelCode.INAPP
    label = "站内消息"
    needs_config = False

    def send(self, message: Outgoing, config: Mapping[str, Any]) -> SendResult:
        """Accept the message: nothing leaves the database."""
        return SendResult(ok=True)
