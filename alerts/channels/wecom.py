"""企业微信 application messages: gettoken once per token lifetime, then message/send."""

from __future__ import annotations

import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any

from alerts.channels.base import Channel, Outgoing, Recipient, SendResult, timeout_of
from alerts.channels.http import dump, errcode_result, request_json
from webapp.models.notifications import ChannelCode

DEFAULT_API_BASE = "https://qyapi.weixin.qq.com"
# Refresh a little before 企业微信 says the token expires, so a send never races the expiry.
EXPIRY_MARGIN_SECONDS = 300
# 40014 invalid token, 42001 token expired: fetch a new one and try once more.
TOKEN_ERRCODES = frozenset({40014, 42001})


class TokenCache:
    """Access tokens per (API base, corp id, secret), each kept until shortly before it expires."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens: dict[tuple[str, str, str], tuple[str, float]] = {}

    def get(self, key: tuple[str, str, str]) -> str | None:
        """Return a still valid token, or None."""
        with self._lock:
            token, expires = self._tokens.get(key, ("", 0.0))
        return token if token and self._clock() < expires else None

    def put(self, key: tuple[str, str, str], token: str, expires_in: int) -> None:
        """Keep a token for its lifetime less the margin."""
        with self._lock:
            lifetime = max(int(expires_in) - EXPIRY_MARGIN_SECONDS, 0)
            self._tokens[key] = (token, self._clock() + lifetime)

    def drop(self, key: tuple[str, str, str]) -> None:
        """Forget a token 企业微信 refused."""
        with self._lock:
            self._tokens.pop(key, None)


class WeComChannel(Channel):
    """Send a text message from the configured application to the user's 企业微信 userid."""

    code = ChannelCode.WECOM
    label = "企业微信"
    config_keys = ("api_base", "corp_id", "secret", "agent_id", "timeout")

    def __init__(self, tokens: TokenCache | None = None) -> None:
        self.tokens = tokens or TokenCache()

    def address(self, recipient: Recipient) -> str | None:
        """Return the 企业微信 userid: by default the login name (set per notification otherwise)."""
        return recipient.username or None

    def send(self, message: Outgoing, config: Mapping[str, Any]) -> SendResult:
        """Send one application message, fetching the access token only when none is valid."""
        if not (config.get("corp_id") and config.get("secret") and config.get("agent_id")):
            return SendResult(False, error="企业微信通道配置不完整")
        if not str(config["agent_id"]).strip().isdigit():
            return SendResult(False, error="企业微信 agent_id 必须是数字")
        base = (config.get("api_base") or DEFAULT_API_BASE).rstrip("/")
        key = (base, str(config["corp_id"]), str(config["secret"]))
        result = SendResult(False, error="")
        for _attempt in range(2):
            token = self.tokens.get(key)
            if token is None:
                token, failure = self._fetch_token(base, key, config)
                if failure is not None:
                    return failure
            result, stale = self._post(base, token, message, config)
            if not stale:
                return result
            self.tokens.drop(key)
        return result

    def _fetch_token(self, base, key, config) -> tuple[str, SendResult | None]:
        query = urllib.parse.urlencode({"corpid": key[1], "corpsecret": key[2]})
        reply = request_json(f"{base}/cgi-bin/gettoken?{query}", timeout=timeout_of(config))
        ok, error = errcode_result(reply)
        token = reply.data.get("access_token") if ok else None
        if not token:
            return "", SendResult(False, reply.status, f"gettoken: {error or 'no token'}")
        self.tokens.put(key, token, reply.data.get("expires_in", 7200))
        return token, None

    def _post(self, base, token, message: Outgoing, config) -> tuple[SendResult, bool]:
        payload = {
            "touser": message.address,
            "msgtype": "text",
            "agentid": int(config["agent_id"]),
            "text": {"content": f"{message.title}\n{message.body}"},
            "safe": 0,
        }
        query = urllib.parse.urlencode({"access_token": token})
        reply = request_json(
            f"{base}/cgi-bin/message/send?{query}", dump(payload), timeout=timeout_of(config)
        )
        ok, error = errcode_result(reply)
        data = reply.data if isinstance(reply.data, dict) else {}
        if not ok:
            return SendResult(False, reply.status, error), data.get("errcode") in TOKEN_ERRCODES
        if data.get("invaliduser"):
            return SendResult(False, reply.status, f"invaliduser: {data['invaliduser']}"), False
        return SendResult(True, reply.status), False
