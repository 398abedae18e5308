"""Pure rules of the password policy that depend on the clock."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta


class ChangeDue(enum.StrEnum):
    """Why a user must change his password before doing anything else."""

    INITIAL = "initial"  # first login or reset by an administrator
    EXPIRED = "expired"


def password_change_due(
    must_change: bool, changed_at: datetime | None, max_age_days: int, now: datetime
) -> ChangeDue | None:
    """Return why a password must be changed now, or None.

    A max age of 0 means passwords never expire; an account with no change date (made before
    the date was kept) is not taken as expired.
    """
    if must_change:
        return ChangeDue.INITIAL
    if max_age_days and changed_at and now - changed_at > timedelta(days=max_age_days):
        return ChangeDue.EXPIRED
    return None
