"""Channel settings (消息通道): which fields each channel has, saving them, a test send.

The webapp never imports alerts (DESIGN §8): the test send goes through the function
``alerts.init_app`` puts into ``app.extensions["alerts.test_send"]``, when it is there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.audit.services import record_operation
from webapp.extensions import db
from webapp.models import OrgUnit, User
from webapp.models.notifications import SECRET_KEYS, ChannelCode, ChannelSetting, mask

TEST_SEND_EXTENSION = "alerts.test_send"

# The channels a sysadmin configures, in menu order (站内消息 needs no setting).
CONFIGURED = (ChannelCode.EMAIL, ChannelCode.WECOM, ChannelCode.DINGTALK, ChannelCode.WEBHOOK)
LABELS = {
    ChannelCode.INAPP: _l("站内消息"),
    ChannelCode.EMAIL: _l("电子邮件"),
    ChannelCode.WECOM: _l("企业微信"),
    ChannelCode.DINGTALK: _l("钉钉"),
    ChannelCode.WEBHOOK: _l("通用 Webhook"),
}
# Secrets the channel cannot work without: a new setting must be given them.
REQUIRED_SECRETS = {
    ChannelCode.WECOM: ("secret",),
    ChannelCode.DINGTALK: ("webhook_url",),
    ChannelCode.WEBHOOK: ("secret",),
}


class ChannelError(ValueError):
    """A setting the page refuses; ``field`` names the form field the message belongs to."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class TestResult:
    """How a test send went, as shown to the sysadmin."""

    ok: bool
    message: str


def label(channel: ChannelCode) -> str:
    """Return a channel's name in the UI's language."""
    return str(LABELS[channel])


def settings_of(channel: ChannelCode) -> list[ChannelSetting]:
    """Return a channel's settings: the global one first, then per unit."""
    rows = db.session.scalars(select(ChannelSetting).where(ChannelSetting.channel == channel))
    return sorted(rows, key=lambda s: (s.unit_id is not None, s.unit_id or 0))


def overview() -> list[tuple[ChannelCode, list[ChannelSetting]]]:
    """Return every configurable channel with its settings."""
    return [(code, settings_of(code)) for code in CONFIGURED]


def find(channel: ChannelCode, unit_id: int | None) -> ChannelSetting | None:
    """Return the setting of a channel for a unit (None: the global one), if stored."""
    unit_clause = (
        ChannelSetting.unit_id.is_(None) if unit_id is None else ChannelSetting.unit_id == unit_id
    )
    return db.session.scalars(
        select(ChannelSetting).where(ChannelSetting.channel == channel, unit_clause)
    ).first()


def merged_config(
    channel: ChannelCode, stored: dict[str, Any], typed: dict[str, Any]
) -> dict[str, Any]:
    """Return the config to store: typed values, an empty secret keeping the stored one."""
    config = {key: value for key, value in stored.items() if key not in typed}
    for key, value in typed.items():
        if key in SECRET_KEYS and not value:
            if stored.get(key):
                config[key] = stored[key]
            continue
        if value not in (None, ""):
            config[key] = value
    for key in REQUIRED_SECRETS.get(channel, ()):
        if not config.get(key):
            raise ChannelError(_("请填写此项（首次配置时必填）。"), key)
    return config


def save(
    setting: ChannelSetting | None,
    channel: ChannelCode,
    unit_id: int | None,
    enabled: bool,
    typed: dict[str, Any],
) -> ChannelSetting:
    """Create or update a channel setting and commit; secrets left empty are kept."""
    if unit_id is not None and channel is not ChannelCode.DINGTALK:
        raise ChannelError(_("只有钉钉可以按单位分别配置。"), "unit_id")
    other = find(channel, unit_id)
    if other is not None and other is not setting:
        raise ChannelError(_("该单位已有此通道的配置，请直接修改。"), "unit_id")
    if unit_id is not None and db.session.get(OrgUnit, unit_id) is None:
        raise ChannelError(_("单位不存在。"), "unit_id")
    stored = dict(setting.config) if setting else {}
    config = merged_config(channel, stored, typed)
    if setting is None:
        setting = ChannelSetting(channel=channel, unit_id=unit_id)
        db.session.add(setting)
    setting.unit_id, setting.enabled, setting.config = unit_id, enabled, config
    db.session.flush()
    # ChannelSetting is not audited on the session; name what changed, never a secret's value.
    changed = sorted(key for key in config if stored.get(key) != config.get(key))
    record_operation(
        "channel_setting",
        "ChannelSetting",
        setting.id,
        f"{setting}: {'启用' if enabled else '停用'}; 修改 {', '.join(changed) or '-'}",
    )
    db.session.commit()
    return setting


def masked(setting: ChannelSetting | None) -> dict[str, str]:
    """Return the stored secrets as hints (never in full)."""
    if setting is None:
        return {}
    return {key: mask(value) for key, value in setting.config.items() if key in SECRET_KEYS}


def test_send(setting: ChannelSetting, user: User) -> TestResult:
    """Send a test message to the user through this setting; return how it went."""
    sender = current_app.extensions.get(TEST_SEND_EXTENSION)
    if sender is None:
        return TestResult(False, _("当前进程未提供测试发送功能，请联系运维人员。"))
    try:
        result = sender(setting.channel.value, dict(setting.config), user.id)
    except Exception as exc:  # the page must say what went wrong, not fail with 500
        return TestResult(False, _("发送失败：%(e)s", e=f"{type(exc).__name__}: {exc}"[:300]))
    record_operation(
        "channel_test",
        "ChannelSetting",
        setting.id,
        f"{setting}: {'成功' if result.ok else '失败'}",
    )
    db.session.commit()
    if result.ok:
        return TestResult(True, _("测试消息已发送，请查收。"))
    code = getattr(result, "code", None)
    detail = result.error or _("未知错误")
    if code is not None:
        detail = f"[{code}] {detail}"
    return TestResult(False, _("发送失败：%(e)s", e=detail))
