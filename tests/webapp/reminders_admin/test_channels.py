"""消息通道: editing settings, secrets kept and masked, per-unit 钉钉 robots, test send."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from tests.factories import make_unit, make_user
from webapp.models import AuditLog
from webapp.models.notifications import ChannelCode, ChannelSetting

EMAIL = {
    "host": "smtp.example.org",
    "port": "587",
    "security": "starttls",
    "username": "robot",
    "password": "smtp-password-1234",
    "sender": "robot@example.org",
    "sender_name": "预警系统",
    "enabled": "y",
}


def setting_of(db, channel, unit_id=None):
    clause = (
        ChannelSetting.unit_id.is_(None) if unit_id is None else ChannelSetting.unit_id == unit_id
    )
    return db.session.scalars(
        select(ChannelSetting).where(ChannelSetting.channel == channel, clause)
    ).first()


def test_email_setting_is_saved_and_the_password_never_shown_back(db, client, sysadmin):
    response = client.post("/admin/reminders/channels/email/new", data=EMAIL)
    assert response.status_code == 302
    setting = setting_of(db, ChannelCode.EMAIL)
    assert setting.enabled
    assert setting.config == {
        "host": "smtp.example.org",
        "port": 587,
        "security": "starttls",
        "username": "robot",
        "password": "smtp-password-1234",
        "sender": "robot@example.org",
        "sender_name": "预警系统",
    }
    listing = client.get("/admin/reminders/channels").get_data(as_text=True)
    form = client.get(f"/admin/reminders/channels/{setting.id}").get_data(as_text=True)
    for page in (listing, form):
        assert "smtp-password-1234" not in page
        assert "••••••1234" in page
    assert 'value="smtp.example.org"' in form


def test_an_empty_secret_on_edit_keeps_the_stored_one(db, client, sysadmin):
    client.post("/admin/reminders/channels/email/new", data=EMAIL)
    setting = setting_of(db, ChannelCode.EMAIL)
    changed = {**EMAIL, "password": "", "host": "mail.example.org"}
    changed.pop("enabled")
    assert client.post(f"/admin/reminders/channels/{setting.id}", data=changed).status_code == 302
    db.session.refresh(setting)
    assert setting.config["password"] == "smtp-password-1234"
    assert setting.config["host"] == "mail.example.org"
    assert not setting.enabled
    client.post(
        f"/admin/reminders/channels/{setting.id}", data={**EMAIL, "password": "new-pass-5678"}
    )
    db.session.refresh(setting)
    assert setting.config["password"] == "new-pass-5678"


def test_bad_input_gets_chinese_errors_next_to_the_fields_and_keeps_what_was_typed(
    db, client, sysadmin
):
    data = {**EMAIL, "port": "99999", "sender": "not-an-address"}
    response = client.post("/admin/reminders/channels/email/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="port-errors"' in page and "请填写 1–65535 之间的端口号。" in page
    assert 'id="sender-errors"' in page and "请填写有效的电子邮箱地址。" in page
    assert 'value="smtp.example.org"' in page
    assert setting_of(db, ChannelCode.EMAIL) is None


def test_a_new_wecom_setting_needs_its_secret_and_a_numeric_agent_id(db, client, sysadmin):
    data = {"corp_id": "ww123", "secret": "", "agent_id": "abc"}
    page = client.post("/admin/reminders/channels/wecom/new", data=data).get_data(as_text=True)
    assert "AgentId 应为数字。" in page
    data["agent_id"] = "1000002"
    response = client.post("/admin/reminders/channels/wecom/new", data=data)
    assert response.status_code == 400
    assert 'id="secret-errors"' in response.get_data(as_text=True)
    assert "请填写此项（首次配置时必填）。" in response.get_data(as_text=True)
    data["secret"] = "wecom-secret-abcdef"
    assert client.post("/admin/reminders/channels/wecom/new", data=data).status_code == 302
    assert setting_of(db, ChannelCode.WECOM).config["agent_id"] == "1000002"


def test_dingtalk_has_a_default_robot_and_one_per_unit(db, client, sysadmin):
    unit = make_unit("第二纪检组")
    db.session.commit()
    url = "https://oapi.dingtalk.com/robot/send?access_token=tok-default-0001"
    assert (
        client.post(
            "/admin/reminders/channels/dingtalk/new",
            data={"unit_id": "0", "webhook_url": url, "secret": "SEC-a", "enabled": "y"},
        ).status_code
        == 302
    )
    unit_url = "https://oapi.dingtalk.com/robot/send?access_token=tok-unit-0002"
    client.post(
        "/admin/reminders/channels/dingtalk/new",
        data={"unit_id": str(unit.id), "webhook_url": unit_url, "enabled": "y"},
    )
    assert setting_of(db, ChannelCode.DINGTALK).config["webhook_url"] == url
    assert setting_of(db, ChannelCode.DINGTALK, unit.id).config == {"webhook_url": unit_url}
    again = client.post(
        "/admin/reminders/channels/dingtalk/new",
        data={"unit_id": str(unit.id), "webhook_url": unit_url},
    )
    assert again.status_code == 400
    assert "该单位已有此通道的配置，请直接修改。" in again.get_data(as_text=True)
    listing = client.get("/admin/reminders/channels").get_data(as_text=True)
    assert "第二纪检组" in listing and "tok-unit" not in listing and "tok-default" not in listing


def test_saving_a_setting_is_audited_without_the_secret(db, client, sysadmin):
    client.post("/admin/reminders/channels/email/new", data=EMAIL)
    rows = db.session.scalars(
        select(AuditLog).where(AuditLog.object_type == "ChannelSetting")
    ).all()
    assert [r.action for r in rows] == ["channel_setting"]
    assert "password" in rows[0].summary and "smtp-password-1234" not in rows[0].summary
    assert rows[0].username == sysadmin.username


@dataclass
class FakeResult:
    ok: bool
    code: int | None = None
    error: str = ""


def test_test_send_goes_to_the_sysadmin_through_the_extension_and_shows_the_result(
    app, db, client, sysadmin, monkeypatch
):
    client.post("/admin/reminders/channels/email/new", data=EMAIL)
    setting = setting_of(db, ChannelCode.EMAIL)
    calls = []

    def fake_send(channel, config, user_id):
        calls.append((channel, config["host"], user_id))
        return FakeResult(False, 535, "Authentication failed")

    monkeypatch.setitem(app.extensions, "alerts.test_send", fake_send)
    page = client.post(
        f"/admin/reminders/channels/{setting.id}/test", follow_redirects=True
    ).get_data(as_text=True)
    assert calls == [("email", "smtp.example.org", sysadmin.id)]
    assert "发送失败：[535] Authentication failed" in page
    monkeypatch.setitem(app.extensions, "alerts.test_send", lambda *a: FakeResult(True))
    page = client.post(
        f"/admin/reminders/channels/{setting.id}/test", follow_redirects=True
    ).get_data(as_text=True)
    assert "测试消息已发送，请查收。" in page


def test_without_the_extension_the_test_send_says_so(app, db, client, sysadmin, monkeypatch):
    client.post("/admin/reminders/channels/email/new", data=EMAIL)
    setting = setting_of(db, ChannelCode.EMAIL)
    monkeypatch.delitem(app.extensions, "alerts.test_send", raising=False)
    page = client.post(
        f"/admin/reminders/channels/{setting.id}/test", follow_redirects=True
    ).get_data(as_text=True)
    assert "当前进程未提供测试发送功能" in page


@pytest.mark.parametrize(
    "url",
    [
        "/admin/reminders/channels",
        "/admin/reminders/channels/email/new",
        "/admin/reminders/jobs",
        "/admin/reminders/records",
    ],
)
def test_only_the_sysadmin_opens_the_pages(db, client, login, url):
    supervisor = make_user("supervisor", make_unit())
    db.session.commit()
    login(supervisor.username)
    assert client.get(url).status_code == 403


def test_the_menu_offers_the_three_pages_to_the_sysadmin(db, client, sysadmin):
    page = client.get("/admin/reminders/jobs").get_data(as_text=True)
    for name in ("消息通道", "定时任务", "发送记录"):
        assert name in page


def test_a_dingtalk_robot_address_must_be_a_web_address(db, client, sysadmin):
    response = client.post(
        "/admin/reminders/channels/dingtalk/new", data={"unit_id": "0", "webhook_url": "oapi"}
    )
    assert response.status_code == 400
    assert 'id="webhook_url-errors"' in response.get_data(as_text=True)
    assert setting_of(db, ChannelCode.DINGTALK) is None


def test_the_pages_do_not_load_alerts():
    code = (
        "import sys, webapp.reminders_admin.routes\n"
        "loaded = [m for m in sys.modules if m == 'alerts' or m.startswith('alerts.')]\n"
        "print(loaded)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
