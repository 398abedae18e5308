"""两步验证: enrolment with a confirmation code, recovery codes shown once, new ones on demand."""

import re
from datetime import UTC, datetime, timedelta

import pyotp
from sqlalchemy import func, select

from tests.factories import PASSWORD
from webapp.models.auth import RecoveryCode, UserTotp


def start(client) -> str:
    """Start enrolment; return the secret the enrolment page shows."""
    assert client.post("/me/two-factor/start").headers["Location"].endswith("/me/two-factor/enrol")
    page = client.get("/me/two-factor/enrol").get_data(as_text=True)
    assert "<svg" in page and "http" not in page.split("<svg")[1].split("</svg>")[0].replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )  # drawn here, no remote image
    return re.search(r'class="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")


def wrong(secret: str) -> str:
    return "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"


def record(db, user) -> UserTotp | None:
    return db.session.scalars(select(UserTotp).where(UserTotp.user_id == user.id)).first()


def shown_codes(page: str) -> list[str]:
    return re.findall(r"<li><code>([a-z0-9-]+)</code></li>", page)


def test_a_wrong_code_leaves_it_off_and_the_right_one_turns_it_on(client, me, db):
    secret = start(client)
    response = client.post("/me/two-factor/enrol", data={"code": wrong(secret)})
    assert response.status_code == 400
    assert "动态口令不正确" in response.get_data(as_text=True)
    assert record(db, me).confirmed_at is None
    response = client.post("/me/two-factor/enrol", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    codes = shown_codes(response.get_data(as_text=True))
    assert len(codes) == len(set(codes)) == 10
    assert record(db, me).confirmed_at is not None
    stored = list(db.session.scalars(select(RecoveryCode.code_hash)))
    assert len(stored) == 10 and not set(codes) & set(stored)


def test_the_secret_is_never_shown_again_once_enabled(client, me, db):
    secret = start(client)
    client.post("/me/two-factor/enrol", data={"code": pyotp.TOTP(secret).now()})
    status = client.get("/me/two-factor").get_data(as_text=True)
    assert "已启用" in status and secret not in status
    assert client.get("/me/two-factor/enrol").headers["Location"].endswith("/me/two-factor")
    # Starting again does not replace the confirmed secret.
    client.post("/me/two-factor/start")
    assert record(db, me).secret == secret
    assert client.get("/me/two-factor/enrol").status_code == 302


def test_an_unconfirmed_secret_does_not_enable_the_second_step(client, me, db, app):
    start(client)
    client.post("/auth/logout")
    response = client.post("/auth/login", data={"username": "lisi", "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_new_recovery_codes_replace_the_old_ones(client, me, db):
    secret = start(client)
    first = client.post("/me/two-factor/enrol", data={"code": pyotp.TOTP(secret).now()})
    old = shown_codes(first.get_data(as_text=True))
    stored = set(db.session.scalars(select(RecoveryCode.code_hash)))
    response = client.post("/me/two-factor/recovery-codes", data={"code": wrong(secret)})
    assert response.headers["Location"].endswith("/me/two-factor")
    assert set(db.session.scalars(select(RecoveryCode.code_hash))) == stored
    assert record(db, me).last_step  # the enrolment's code was spent: it cannot prove him again
    nxt = pyotp.TOTP(secret).at(datetime.now(UTC) + timedelta(seconds=30))
    response = client.post("/me/two-factor/recovery-codes", data={"code": nxt})
    assert response.status_code == 200
    new = shown_codes(response.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    count = select(func.count()).select_from(RecoveryCode).where(RecoveryCode.user_id == me.id)
    assert db.session.scalar(count) == 10
    assert not set(db.session.scalars(select(RecoveryCode.code_hash))) & stored
