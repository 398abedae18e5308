"""What every channel is handed and what it answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from webapp.models.notifications import ChannelCode

DEFAULT_TIMEOUT = 10.0
MAX_TIMEOUT = 30.0  # a slow endpoint may hold its own channel this long per call, never more


@dataclass(frozen=True)
class Recipient:
    """The user a notification is for, as plain data a sending thread may read."""

    id: int
    username: str
    email: str | None
    unit_path: str = ""


@dataclass(frozen=True)
class Outgoing:
    """One message ready to go out: text, link and the resolved address on the channel."""

    notification_id: int
    title: str
    body: str
    link: str
    address: str | None


@dataclass(frozen=True)
class SendResult:
    """How one send went; ``code`` is the SMTP or HTTP status when the far end answered."""

    ok: bool
    code: int | None = None
    error: str = ""

    @property
    def unreachable(self) -> bool:
        """Tell whether the far end never answered (refused, timed out, no route)."""
        return not self.ok and self.code is None


class Channel:
    """A way of delivering a notification; ``send`` reports failures and raises nothing."""

    code: ClassVar[ChannelCode]
    label: ClassVar[str]
    needs_config: ClassVar[bool] = True
    per_unit: ClassVar[bool] = False  # settings may differ per unit (钉钉 group robots)
    config_keys: ClassVar[tuple[str, ...]] = ()

    def address(self, recipient: Recipient) -> str | None:
        """Return where this channel reaches the user, or None if it cannot."""
        return str(recipient.id)

    def send(self, message: Outgoing, config: Mapping[str, Any]) -> SendResult:
        """Deliver one message with the channel's settings."""
        raise NotImplementedError


def timeout_of(config: Mapping[str, Any]) -> float:
    """Return the configured network timeout, bounded so one channel cannot hang a pass."""
    try:
        value = float(config.get("timeout") or DEFAULT_TIMEOUT)
    except (TypeError, ValueError):
        value = DEFAULT_TIMEOUT
    return min(max(value, 0.1), MAX_TIMEOUT)


def describe(exc: BaseException) -> str:
    """Return an exception as a short line for the attempt log."""
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:500]
