"""The organisation's local time: dates and working days are counted in its zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def org_zone() -> ZoneInfo:
    """Return the organisation's time zone (default Asia/Shanghai)."""
    return ZoneInfo(current_app.config["ORG_TIMEZONE"])


def utc_now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


def org_today() -> date:
    """Return today's date in the organisation's zone."""
    return utc_now().astimezone(org_zone()).date()


def to_org(value: datetime | None) -> datetime | None:
    """Convert a stored UTC timestamp to the organisation's zone for display."""
    return value.astimezone(org_zone()) if value else None
