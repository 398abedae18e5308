"""Two-factor login (两步验证): who must use it, enrolment, codes at login, the admin's reset."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import delete, select, update

from webapp.auth import sessions as user_sessions
from webapp.auth import totp
from webapp.auth.sessions import EndReason
from webapp.extensions import db
from webapp.lookups import param_str
from webapp.models import User
from webapp.models.auth import RecoveryCode, UserTotp
from webapp.security.permissions import ADMIN_DUTIES, duty_of

REQUIRED_PARAM = "auth.totp_required_roles"
ISSUER = "干部监督预警系统"


class NotAllowed(Exception):
    """The actor may not do this to this account."""


def enforced() -> bool:
    """Tell whether required roles are sent to enrolment (off in the test suite unless asked)."""
    return bool(current_app.config.get("TOTP_ENFORCED", not current_app.testing))


def required_roles() -> set[str]:
    """Return the role codes the parameter lists."""
    return {code.strip() for code in param_str(REQUIRED_PARAM).split(",") if code.strip()}


def required(user: User) -> bool:
    """Tell whether a user's role must log in with a second factor.

    The three administrators always must: the system admin edits the parameters, and may not
    take the second factor off himself or the other two by editing the list.
    """
    if duty_of(user.role.permissions) in ADMIN_DUTIES:
        return True
    return user.role.code in required_roles()


def record_of(user_id: int) -> UserTotp | None:
    """Return a user's TOTP row, pending or confirmed."""
    return db.session.scalars(select(UserTotp).where(UserTotp.user_id == user_id)).first()


def enabled(user_id: int) -> bool:
    """Tell whether a user has confirmed two-factor login."""
    record = record_of(user_id)
    return record is not None and record.confirmed_at is not None


def enrolment_due(user: User) -> bool:
    """Tell whether a logged-in user must enrol before he may open any other page."""
    return enforced() and required(user) and not enabled(user.id)


def pending(user: User) -> UserTotp | None:
    """Return a user's unconfirmed enrolment, or None."""
    record = record_of(user.id)
    return record if record is not None and record.confirmed_at is None else None


def start_enrolment(user: User, now: datetime) -> UserTotp:
    """Give a user without a confirmed secret a new pending one (replacing any pending)."""
    record = record_of(user.id)
    if record is not None and record.confirmed_at is not None:
        raise NotAllowed("already enabled")
    if record is None:
        record = UserTotp(user_id=user.id, secret=totp.new_secret(), created_at=now)
        db.session.add(record)
    else:
        record.secret, record.created_at, record.last_step = totp.new_secret(), now, 0
    db.session.commit()
    return record


def enrolment_qr(user: User, record: UserTotp):
    """Return the inline SVG QR code of a pending secret."""
    return totp.qr_svg(totp.provisioning_uri(record.secret, user.username, ISSUER))


def replace_recovery_codes(user_id: int, now: datetime) -> list[str]:
    """Store new recovery codes for a user (the old ones stop working); return them in clear."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = totp.new_recovery_codes()
    for code in codes:
        db.session.add(
            RecoveryCode(user_id=user_id, code_hash=totp.hash_recovery_code(code), created_at=now)
        )
    return codes


def confirm_enrolment(user: User, code: str, now: datetime) -> list[str] | None:
    """Enable two-factor login if the code is right; return the new recovery codes, or None."""
    record = pending(user)
    if record is None:
        return None
    step = totp.matching_step(record.secret, code, now, record.last_step)
    if step is None:
        return None
    record.confirmed_at, record.last_step = now, step
    codes = replace_recovery_codes(user.id, now)
    db.session.commit()
    return codes


def check_totp(user_id: int, code: str, now: datetime) -> bool:
    """Accept a current TOTP code of a confirmed secret once (no commit)."""
    record = record_of(user_id)
    if record is None or record.confirmed_at is None:
        return False
    step = totp.matching_step(record.secret, code, now, record.last_step)
    if step is None:
        return False
    record.last_step = step
    return True


def use_recovery_code(user_id: int, code: str, now: datetime) -> bool:
    """Spend one unused recovery code of a user; False if none matches (no commit)."""
    unused = db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    ).all()
    for row in unused:
        if totp.recovery_code_matches(row.code_hash, code):
            # Conditional, so two requests racing with one code cannot both spend it.
            spent = db.session.execute(
                update(RecoveryCode)
                .where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None))
                .values(used_at=now)
            )
            return spent.rowcount == 1
    return False


def second_factor(user_id: int, code: str, now: datetime) -> str | None:
    """Check a login's second step: return "totp" or "recovery" for the one used, else None."""
    if totp.looks_like_recovery_code(code):
        return "recovery" if use_recovery_code(user_id, code, now) else None
    return "totp" if check_totp(user_id, code, now) else None


def regenerate_recovery_codes(user: User, code: str, now: datetime) -> list[str] | None:
    """Replace a user's recovery codes when he proves himself with a current code."""
    if not check_totp(user.id, code, now):
        db.session.rollback()
        return None
    codes = replace_recovery_codes(user.id, now)
    db.session.commit()
    return codes


def unused_recovery_codes(user_id: int) -> int:
    """Count a user's recovery codes not yet spent."""
    rows = db.session.scalars(
        select(RecoveryCode.id).where(
            RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None)
        )
    )
    return len(rows.all())


def reset(actor: User, user: User, now: datetime) -> None:
    """Take a user's second factor off and end his sessions; never one's own (no commit)."""
    if actor.id == user.id:
        raise NotAllowed("own account")
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(UserTotp).where(UserTotp.user_id == user.id))
    user_sessions.end_all(user.id, EndReason.ACCOUNT_CHANGED, now)
