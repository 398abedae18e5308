"""The TOTP secret is sealed at rest: the row holds no clear secret, login with a code still works."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import sqlalchemy as sa
import time_machine

from webapp.auth import two_factor
from webapp.security.crypto import is_sealed, unseal

NOW = datetime(2025, 3, 4, 9, 0, 0, tzinfo=UTC)


def stored_secret(db, user) -> str:
    """Read the secret as the database holds it, past the model."""
    return db.session.execute(
        sa.text("SELECT secret FROM user_totp WHERE user_id = :id"), {"id": user.id}
    ).scalar_one()


def test_the_row_holds_the_secret_sealed(db, user):
    record = two_factor.start_enrolment(user, NOW)
    secret = record.secret
    raw = stored_secret(db, user)
    assert is_sealed(raw) and secret not in raw and unseal(raw) == secret


def test_a_sealed_secret_still_logs_in_with_a_code(db, client, login, user):
    record = two_factor.start_enrolment(user, NOW)
    secret = record.secret
    assert two_factor.confirm_enrolment(user, pyotp.TOTP(secret).at(NOW), NOW)
    db.session.expire_all()  # read the secret back from the row, not the identity map
    assert is_sealed(stored_secret(db, user))
    later = NOW + timedelta(minutes=5)  # past the step enrolment spent: no replay refusal
    with time_machine.travel(later, tick=False):
        assert login("zhangsan").headers["Location"].endswith("/auth/login/code")
        code = pyotp.TOTP(secret).at(later)
        response = client.post("/auth/login/code", data={"code": code})
    assert response.status_code == 302 and not response.headers["Location"].endswith("/code")
