"""Password history: a new password may not be one of a user's last few."""

from __future__ import annotations

from sqlalchemy import delete, select

from webapp.extensions import db
from webapp.models.auth import PasswordHistory, User
from webapp.security.passwords import verify_password


def recent_hashes(user: User, count: int) -> list[str]:
    """Return the hashes of a user's last `count` passwords, the current one first."""
    stored = db.session.scalars(
        select(PasswordHistory.password_hash)
        .where(PasswordHistory.user_id == user.id)
        .order_by(PasswordHistory.id.desc())
        .limit(count)
    ).all()
    # An account set up before the history was kept has only its current hash.
    return list(dict.fromkeys([user.password_hash, *stored]))[:count]


def reused(user: User, password: str, count: int) -> bool:
    """Tell whether a password is one of the user's last `count`."""
    if user.id is None:
        return False
    return any(verify_password(hashed, password) for hashed in recent_hashes(user, count))


def remember(user: User, keep: int) -> None:
    """Record the user's current hash in his history and drop entries beyond `keep`."""
    db.session.add(PasswordHistory(user=user, password_hash=user.password_hash))
    if user.id is None:
        return
    db.session.flush()
    kept = select(PasswordHistory.id).where(PasswordHistory.user_id == user.id)
    kept = kept.order_by(PasswordHistory.id.desc()).limit(keep)
    db.session.execute(
        delete(PasswordHistory).where(
            PasswordHistory.user_id == user.id, PasswordHistory.id.not_in(kept.scalar_subquery())
        ),
        execution_options={"synchronize_session": False},
    )
