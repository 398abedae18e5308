"""The outbox (通知), its delivery attempts and the channels' settings (消息通道)."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.base import Base, EnumText, TimestampMixin, utcnow


class ChannelCode(enum.StrEnum):
    """The channels a notification can go out on; one vocabulary for webapp and alerts."""

    INAPP = "inapp"
    EMAIL = "email"
    WECOM = "wecom"
    DINGTALK = "dingtalk"
    WEBHOOK = "webhook"

    @property
    def pushed(self) -> bool:
        """Tell whether the message leaves the system (and so may carry no detail, 保密)."""
        return self is not ChannelCode.INAPP


class NotificationStatus(enum.StrEnum):
    """Where a notification stands: waiting (or retrying), delivered, or given up."""

    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"


# Config keys holding secrets, whatever the channel; channels name their secrets with these.
SECRET_KEYS = frozenset({"password", "secret", "webhook_url"})


class Notification(Base):
    """One message to one user on one channel, written once per dedupe key (outbox row)."""

    __tablename__ = "notification"
    __table_args__ = (
        # The dedupe key: the same reminder is written once, however many sweeps run.
        sa.UniqueConstraint(
            "kind",
            "subject",
            "stage",
            "due_date",
            "user_id",
            "channel",
            name="uq_notification_dedupe",
        ),
        # The dispatcher's query: pending rows whose next attempt has come.
        sa.Index("ix_notification_status_next_attempt", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    # What the reminder is about, as "<record type>:<id>" (e.g. "warning:12") or "digest".
    subject: Mapped[str] = mapped_column(sa.String(64))
    stage: Mapped[str] = mapped_column(sa.String(16))
    due_date: Mapped[date]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    channel: Mapped[ChannelCode] = mapped_column(EnumText(ChannelCode, 16))
    # Overrides the address the channel would take from the user (email, 企业微信 userid).
    address: Mapped[str | None] = mapped_column(sa.String(255))
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    link: Mapped[str] = mapped_column(sa.String(500), default="")
    status: Mapped[NotificationStatus] = mapped_column(
        EnumText(NotificationStatus, 16), default=NotificationStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_error: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    read_at: Mapped[datetime | None]

    attempt_log: Mapped[list[DeliveryAttempt]] = relationship(
        back_populates="notification", order_by="DeliveryAttempt.id", passive_deletes=True
    )

    def __str__(self) -> str:
        return f"{self.channel.value}:{self.kind}:{self.subject}:{self.stage}"


class DeliveryAttempt(Base):
    """One try at sending a notification, successful or not (发送记录)."""

    __tablename__ = "delivery_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        sa.ForeignKey("notification.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)
    channel: Mapped[ChannelCode] = mapped_column(EnumText(ChannelCode, 16))
    ok: Mapped[bool] = mapped_column(default=False)
    response_code: Mapped[int | None]
    error: Mapped[str] = mapped_column(sa.Text, default="")

    notification: Mapped[Notification] = relationship(back_populates="attempt_log")


class ChannelSetting(TimestampMixin, Base):
    """How one channel is reached: global (unit empty) or, for 钉钉 robots, per unit."""

    __tablename__ = "channel_setting"
    __table_args__ = (
        sa.UniqueConstraint("channel", "unit_id", name="uq_channel_setting_channel_unit"),
        # NULLs are distinct in a unique constraint, so the one global row needs its own index.
        sa.Index(
            "uq_channel_setting_global",
            "channel",
            unique=True,
            sqlite_where=sa.text("unit_id IS NULL"),
            postgresql_where=sa.text("unit_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[ChannelCode] = mapped_column(EnumText(ChannelCode, 16))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    enabled: Mapped[bool] = mapped_column(default=False)
    config: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    def masked_config(self) -> dict:
        """Return the config for display, each secret cut down to a hint of its end."""
        return {
            key: mask(value) if key in SECRET_KEYS else value for key, value in self.config.items()
        }

    def __str__(self) -> str:
        return f"{self.channel.value}@{self.unit_id or '*'}"


def mask(secret: object) -> str:
    """Return a secret as dots and at most its last four characters (never in full)."""
    text = "" if secret is None else str(secret)
    if not text:
        return ""
    tail = text[-4:] if len(text) >= 12 else ""
    return "••••••" + tail
