"""A generic JSON webhook (e.g. an OA system), signed with HMAC-SHA256 over timestamp and body."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Mapping
from typing import Any

from alerts.channels.base import Channel, Outgoing, Recipient, SendResult, timeout_of
from alerts.channels.http import dump, request_json
from webapp.models.notifications import ChannelCode

SIGNATURE_HEADER = "X-Ganbu-Signature"
TIMESTAMP_HEADER = "X-Ganbu-Timestamp"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Return "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + body)."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


class WebhookChannel(Channel):
    """POST the message as JSON; any 2xx answer is a delivery."""

    code = ChannelCode.WEBHOOK
    label = "通用 Webhook"
    config_keys = ("url", "secret", "timeout")

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock

    def address(self, recipient: Recipient) -> str | None:
        """Return the login name, which the receiving system knows the user by."""
        return recipient.username or None

    def send(self, message: Outgoing, config: Mapping[str, Any]) -> SendResult:
        """Post one message with its signature headers."""
        if not config.get("url") or not config.get("secret"):
            return SendResult(False, error="Webhook 通道配置不完整")
        body = dump(
            {
                "id": message.notification_id,
                "recipient": message.address,
                "title": message.title,
                "body": message.body,
                "link": message.link,
            }
        )
        timestamp = str(int(self.clock()))
        headers = {
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: signature(str(config["secret"]), timestamp, body),
        }
        reply = request_json(config["url"], body, timeout=timeout_of(config), headers=headers)
        ok = reply.status is not None and 200 <= reply.status < 300
        return SendResult(ok, reply.status, "" if ok else reply.error or f"HTTP {reply.status}")
