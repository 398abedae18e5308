"""The line shown after a login: the previous login and the failed attempts since."""

from __future__ import annotations

from flask_babel import gettext as _

from webapp.auth.services import LastLogin
from webapp.templating import fmt_datetime


def last_login_line(previous: LastLogin | None) -> tuple[str, str]:
    """Return the flash text and category describing a user's previous login."""
    if previous is None or previous.at is None:
        line = _("这是您的首次登录。")
    else:
        line = _(
            "上次登录：%(at)s，IP %(ip)s。",
            at=fmt_datetime(previous.at),
            ip=previous.ip or "-",
        )
    if previous is not None and previous.failures:
        failures = _("此后有 %(n)s 次登录失败，如非本人操作请立即修改密码。", n=previous.failures)
        return f"{line}{failures}", "warning"
    return line, "info"
