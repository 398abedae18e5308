"""Small JSON-over-HTTP helper on the standard library, shared by the HTTP channels."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from alerts.channels.base import describe


@dataclass(frozen=True)
class Reply:
    """An HTTP answer (status and decoded JSON), or the reason there was none."""

    status: int | None
    data: Any = None
    error: str = ""


def _opener(proxy: str | None) -> urllib.request.OpenerDirector:
    # Environment proxies are ignored unless a channel names one: an intranet OA or a local
    # test server must not be sent through whatever proxy the service account happens to have.
    proxies = {"http": proxy, "https": proxy} if proxy else {}
    return urllib.request.build_opener(urllib.request.ProxyHandler(proxies))


def request_json(
    url: str,
    payload: bytes | None = None,
    *,
    timeout: float,
    headers: dict[str, str] | None = None,
    proxy: str | None = None,
) -> Reply:
    """GET (no payload) or POST a body; return the status and the JSON answer, raising nothing."""
    request = urllib.request.Request(url, data=payload, method="POST" if payload else "GET")
    request.add_header("Accept", "application/json")
    if payload is not None:
        request.add_header("Content-Type", "application/json; charset=utf-8")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with _opener(proxy).open(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        return Reply(exc.code, error=f"HTTP {exc.code} {exc.reason}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None)
        return Reply(None, error=describe(reason if isinstance(reason, BaseException) else exc))
    try:
        data = json.loads(raw.decode("utf-8")) if raw.strip() else None
    except (UnicodeDecodeError, ValueError):
        data = None
    return Reply(status, data)


def dump(payload: Any) -> bytes:
    """Encode a payload as compact UTF-8 JSON."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def errcode_result(reply: Reply) -> tuple[bool, str]:
    """Read a 企业微信/钉钉 style answer ({"errcode": 0, "errmsg": "ok"}); return ok and error."""
    if reply.status is None or not 200 <= reply.status < 300:
        return False, reply.error or f"HTTP {reply.status}"
    if not isinstance(reply.data, dict):
        return False, "answer is not JSON"
    if reply.data.get("errcode", 0) != 0:
        return False, f"errcode {reply.data.get('errcode')}: {reply.data.get('errmsg', '')}"[:500]
    return True, ""
