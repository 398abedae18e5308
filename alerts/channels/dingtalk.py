"""钉钉 custom group robot, one per unit, with 加签 (signed timestamp in the query string)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any

from alerts.channels.base import Channel, Outgoing, SendResult, timeout_of
from alerts.channels.http import dump, errcode_result, request_json
from webapp.models.notifications import ChannelCode


def sign(timestamp_ms: int, secret: str) -> str:
    """Return 钉钉's 加签: Base64(HmacSHA256(secret, "timestamp\\nsecret")), URL-encoded."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), to_sign, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def signed_url(webhook_url: str, secret: str, timestamp_ms: int) -> str:
    """Return the robot's webhook URL with ``timestamp`` and ``sign`` appended."""
    joiner = "&" if "?" in webhook_url else "?"
    return f"{webhook_url}{joiner}timestamp={timestamp_ms}&sign={sign(timestamp_ms, secret)}"


class DingTalkChannel(Channel):
    """Post a text message to the unit's group robot (the setting of the nearest unit up)."""

    code = ChannelCode.DINGTALK
    label = "钉钉"
    per_unit = True
    config_keys = ("webhook_url", "secret", "timeout")

    def __init__(self, clock_ms: Callable[[], int] = lambda: int(time.time() * 1000)) -> None:
        self.clock_ms = clock_ms  # 钉钉 refuses a timestamp more than an hour off real time

    def send(self, message: Outgoing, config: Mapping[str, Any]) -> SendResult:
        """Send one robot message; an errcode other than 0 is a failure."""
        if not config.get("webhook_url"):
            return SendResult(False, error="钉钉通道配置不完整")
        url = config["webhook_url"]
        if config.get("secret"):
            url = signed_url(url, str(config["secret"]), self.clock_ms())
        payload = {"msgtype": "text", "text": {"content": f"{message.title}\n{message.body}"}}
        reply = request_json(url, dump(payload), timeout=timeout_of(config))
        ok, error = errcode_result(reply)
        return SendResult(ok, reply.status, error)
