"""两步验证 in the browser: enrolment, a login with a code, with a recovery code, the reset."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import log_in, log_out
from webapp.auth.two_factor import replace_recovery_codes
from webapp.extensions import db
from webapp.models import User
from webapp.models.auth import UserTotp


@pytest.fixture(autouse=True)
def enforced(live_app):
    """Send required roles to enrolment, as every mode but the test suite does."""
    live_app.config["TOTP_ENFORCED"] = True
    yield
    live_app.config.pop("TOTP_ENFORCED")


def next_code(secret: str) -> str:
    """Return the next step's code: the current one may just have been spent."""
    return pyotp.TOTP(secret).at(datetime.now(UTC) + timedelta(seconds=30))


def enrol_directly(app, username: str) -> tuple[int, str, list[str]]:
    """Turn two-factor login on for a demo user through the models; return id, secret, codes."""
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == username)).one()
        secret = pyotp.random_base32()
        now = datetime.now(UTC)
        db.session.add(UserTotp(user_id=user.id, secret=secret, confirmed_at=now))
        codes = replace_recovery_codes(user.id, now)
        db.session.commit()
        user_id = user.id
        db.session.remove()
    return user_id, secret, codes


def enter_code(page, code: str) -> None:
    page.get_by_label("动态口令或恢复码").fill(code)
    page.get_by_role("button", name="验证").click()


def test_an_admin_enrols_then_logs_in_with_a_code_and_with_a_recovery_code(page, shot):
    log_in(page, "admin")
    # The system admin's role requires it: no page opens before enrolment.
    expect(page.get_by_text("您的角色须启用两步验证，完成设置后才能使用系统。")).to_be_visible()
    page.goto("/admin/users")
    assert page.url.endswith("/me/two-factor")
    expect(page.get_by_text("您的角色须启用两步验证，请先完成设置。")).to_be_visible()
    expect(page.get_by_role("heading", name="两步验证")).to_be_visible()
    page.get_by_role("button", name="开始设置两步验证").click()
    expect(page.locator(".totp-qr svg")).to_be_visible()
    secret = page.locator(".totp-secret").inner_text().replace(" ", "")
    shot(page, "totp-enrol")
    wrong = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    page.get_by_label("动态口令或恢复码").fill(wrong)
    page.get_by_role("button", name="确认并启用").click()
    expect(page.get_by_text("动态口令不正确，请核对手机时间后重试。")).to_be_visible()
    page.get_by_label("动态口令或恢复码").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="确认并启用").click()
    expect(page.get_by_text("以下恢复码只显示这一次")).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="我已保存，进入系统").click()
    expect(page.get_by_role("link", name="用户管理").first).to_be_visible()
    log_out(page)

    log_in(page, "admin")
    expect(page.get_by_role("heading", name="两步验证")).to_be_visible()
    enter_code(page, "123 456" if next_code(secret) != "123456" else "654321")
    expect(page.get_by_text("动态口令或恢复码不正确。")).to_be_visible()
    enter_code(page, next_code(secret))
    expect(page.get_by_text("欢迎，系统管理员。")).to_be_visible()
    log_out(page)

    log_in(page, "admin")
    enter_code(page, codes[0])
    expect(page.get_by_text("欢迎，系统管理员。")).to_be_visible()
    page.goto("/me/two-factor")
    expect(page.get_by_text("剩余可用恢复码：9 个。")).to_be_visible()
    expect(page.get_by_text(secret)).to_have_count(0)
    log_out(page)

    log_in(page, "admin")
    enter_code(page, codes[0])  # spent
    expect(page.get_by_text("动态口令或恢复码不正确。")).to_be_visible()


def test_the_security_admin_resets_a_users_two_factor(browser, live_server, live_app, page):
    base_url, _kind = live_server
    user_id, secret, _codes = enrol_directly(live_app, "supervisor")
    _sec_id, sec_secret, _sec_codes = enrol_directly(live_app, "secadmin")
    theirs = browser.new_context(base_url=base_url, locale="zh-CN").new_page()
    log_in(theirs, "supervisor")
    enter_code(theirs, next_code(secret))
    expect(theirs.get_by_text("欢迎，李明。")).to_be_visible()

    log_in(page, "secadmin")
    enter_code(page, next_code(sec_secret))
    expect(page.get_by_text("欢迎，安全保密管理员。")).to_be_visible()
    page.goto(f"/admin/grants/{user_id}")
    # The 授权 page's button posts here (CSRF is off in the test config).
    response = page.request.post(f"/auth/users/{user_id}/two-factor/reset", max_redirects=0)
    assert response.status == 302
    page.goto(f"/admin/grants/{user_id}")
    expect(page.get_by_text("已重置 supervisor 的两步验证")).to_be_visible()

    theirs.reload()
    expect(theirs.get_by_label("用户名")).to_be_visible()  # his session ended
    log_in(theirs, "supervisor")
    expect(theirs.get_by_text("欢迎，李明。")).to_be_visible()  # the password alone again
    theirs.context.close()
