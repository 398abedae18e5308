"""通知设置: a user picks his pushed channels; in-app stays on; only his own settings."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import make_user
from webapp.models.notifications import ChannelCode
from webapp.models.preferences import NotificationPreference
from webapp.settings_self import services

URL = "/me/notifications"


def stored(db, user) -> dict[ChannelCode, bool]:
    rows = db.session.scalars(
        sa.select(NotificationPreference).where(NotificationPreference.user_id == user.id)
    )
    return {row.channel: row.enabled for row in rows}


def test_page_shows_defaults_and_the_top_bar_links_to_it(client, login, world):
    login(world.supervisor.username)
    page = client.get(URL).get_data(as_text=True)
    assert "通知设置" in page and f'href="{URL}"' in page
    assert 'name="inapp" checked disabled' in page
    assert 'name="email" type="checkbox" value="y">' in page  # off: no row yet


def test_saving_preferences_stores_rows(client, login, world, db):
    world.supervisor.email = "sup@example.org"
    world.supervisor.wecom_userid = "zhangsan"
    db.session.commit()
    login(world.supervisor.username)
    response = client.post(URL, data={"email": "y", "wecom": "y"}, follow_redirects=True)
    assert "通知设置已保存" in response.get_data(as_text=True)
    assert stored(db, world.supervisor) == {
        ChannelCode.INAPP: True,
        ChannelCode.EMAIL: True,
        ChannelCode.WECOM: True,
        ChannelCode.DINGTALK: False,
        ChannelCode.WEBHOOK: False,
    }
    client.post(URL, data={"dingtalk": "y"})
    after = stored(db, world.supervisor)
    assert after[ChannelCode.DINGTALK] and not after[ChannelCode.EMAIL]
    assert not after[ChannelCode.WECOM]


def test_inapp_cannot_be_turned_off(client, login, world, db):
    db.session.add(
        NotificationPreference(user_id=world.viewer.id, channel=ChannelCode.INAPP, enabled=False)
    )
    db.session.commit()
    assert services.choices(world.viewer)[ChannelCode.INAPP] is True
    login(world.viewer.username)
    client.post(URL, data={"inapp": "", "email": "y"})
    assert stored(db, world.viewer)[ChannelCode.INAPP] is True


def test_hint_when_a_chosen_channel_has_no_address(client, login, world, db):
    world.supervisor.email = None
    world.supervisor.wecom_userid = ""
    db.session.commit()
    login(world.supervisor.username)
    page = client.post(URL, data={"email": "y", "wecom": "y"}, follow_redirects=True).get_data(
        as_text=True
    )
    assert page.count('class="errors missing-address"') == 2
    assert "已选择企业微信，但尚未设置对应的地址" in page


def test_user_sees_and_changes_only_his_own_settings(client, login, world, db):
    other = make_user("viewer", world.mine, username="other_user")
    other.email = "secret-other@example.org"
    other.wecom_userid = "other-wecom"
    db.session.commit()
    services.save(other, {ChannelCode.EMAIL})
    login(world.supervisor.username)
    page = client.get(f"{URL}?user_id={other.id}").get_data(as_text=True)
    assert "secret-other@example.org" not in page and "other-wecom" not in page
    client.post(f"{URL}?user_id={other.id}", data={"user_id": other.id, "webhook": "y"})
    assert stored(db, other)[ChannelCode.EMAIL] is True
    assert stored(db, other)[ChannelCode.WEBHOOK] is False
    assert stored(db, world.supervisor)[ChannelCode.WEBHOOK] is True


def test_page_needs_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
