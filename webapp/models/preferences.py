"""Which channels each user wants reminders on (通知设置)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.base import Base, EnumText, TimestampMixin
from webapp.models.notifications import ChannelCode


class NotificationPreference(TimestampMixin, Base):
    """One user's choice for one channel; no row means in-app on and every other channel off."""

    __tablename__ = "notification_preference"
    __audited__ = True
    __table_args__ = (
        sa.UniqueConstraint("user_id", "channel", name="uq_notification_preference_user_channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("app_user.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[ChannelCode] = mapped_column(EnumText(ChannelCode, 16))
    enabled: Mapped[bool] = mapped_column(default=False)
