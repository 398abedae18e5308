"""Reading and saving one user's 通知设置 (NotificationPreference rows)."""

from __future__ import annotations

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import User
from webapp.models.notifications import ChannelCode
from webapp.models.preferences import NotificationPreference

DEFAULT_ON = frozenset({ChannelCode.INAPP})  # no row: in-app on, every pushed channel off


def choices(user: User) -> dict[ChannelCode, bool]:
    """Return every channel's on/off for a user, the default where he has no row."""
    rows = db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id)
    )
    stored = {row.channel: row.enabled for row in rows}
    result = {channel: stored.get(channel, channel in DEFAULT_ON) for channel in ChannelCode}
    result[ChannelCode.INAPP] = True  # in-app cannot be turned off
    return result


def save(user: User, enabled: set[ChannelCode]) -> None:
    """Store a user's choice of pushed channels; in-app is always stored as on."""
    rows = {
        row.channel: row
        for row in db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    for channel in ChannelCode:
        wanted = channel is ChannelCode.INAPP or channel in enabled
        row = rows.get(channel)
        if row is None:
            db.session.add(NotificationPreference(user_id=user.id, channel=channel, enabled=wanted))
        elif row.enabled != wanted:
            row.enabled = wanted
    db.session.commit()


def missing_addresses(user: User, enabled: dict[ChannelCode, bool]) -> list[ChannelCode]:
    """Return the chosen channels that have no address on the user (set by the sysadmin)."""
    addresses = {ChannelCode.EMAIL: user.email, ChannelCode.WECOM: user.wecom_userid}
    return [c for c, address in addresses.items() if enabled.get(c) and not address]
