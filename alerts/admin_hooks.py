"""What the reminder admin pages may ask of alerts, handed over through `app.extensions`.

The webapp never imports alerts (DESIGN §8): `alerts.init_app` puts these functions where the
pages look for them.
"""

from __future__ import annotations

from flask import current_app

from alerts import schedule
from alerts.channels import CHANNELS, Outgoing, Recipient, SendResult
from alerts.jobs import Outcome, run_job
from webapp.extensions import db
from webapp.models import User
from webapp.models.notifications import ChannelCode

TEST_TITLE = "测试消息"
TEST_BODY = "这是干部监督预警系统发出的测试消息，收到即表示消息通道配置正确。"


def list_jobs() -> list[tuple[str, str, str]]:
    """Return (id, label, cron in force) of every declared job."""
    return [(spec.id, spec.label, schedule.cron_for(spec)) for spec in schedule.JOBS]


def run_job_now(job_id: str) -> Outcome:
    """Run one job now, recorded as a manual run (a paused job runs too)."""
    spec = schedule.job(job_id)
    return run_job(current_app._get_current_object(), spec.id, spec.work, trigger="manual")


def test_send(channel: str, config: dict, user_id: int) -> SendResult:
    """Send the test message to a user through a channel with the given settings."""
    user = db.session.get(User, user_id)
    recipient = Recipient(user.id, user.username, user.email, user.unit.path if user.unit else "")
    sender = CHANNELS[ChannelCode(channel)]
    address = sender.address(recipient)
    if address is None:
        return SendResult(False, None, "您的账号未设置该通道的接收地址")
    return sender.send(Outgoing(0, TEST_TITLE, TEST_BODY, "", address), config)
