"""Email over SMTP (plain, STARTTLS or SSL), Chinese subject and body MIME-encoded."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from typing import Any

from alerts.channels.base import Channel, Outgoing, Recipient, SendResult, describe, timeout_of
from webapp.models.notifications import ChannelCode

SECURITY_MODES = ("starttls", "ssl", "plain")


def build_message(message: Outgoing, config: Mapping[str, Any]) -> EmailMessage:
    """Return the MIME message: RFC 2047 subject, UTF-8 base64 body (safe on any server)."""
    sender = config["sender"]
    mail = EmailMessage()
    mail["Subject"] = message.title
    mail["From"] = formataddr((config.get("sender_name") or "干部监督预警系统", sender))
    mail["To"] = message.address
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    mail.set_content(message.body, charset="utf-8", cte="base64")
    return mail


class EmailChannel(Channel):
    """Send through the organisation's SMTP server to the user's address."""

    code = ChannelCode.EMAIL
    label = "电子邮件"
    config_keys = (
        "host",
        "port",
        "security",
        "username",
        "password",
        "sender",
        "sender_name",
        "ca_file",
        "timeout",
    )

    def address(self, recipient: Recipient) -> str | None:
        """Return the user's email address."""
        return recipient.email or None

    def send(self, message: Outgoing, config: Mapping[str, Any]) -> SendResult:
        """Send one email; SMTP refusals and network errors come back as a failed result."""
        security = config.get("security") or "starttls"
        if security not in SECURITY_MODES or not config.get("host") or not config.get("sender"):
            return SendResult(False, error="邮件通道配置不完整")
        try:
            mail = build_message(message, config)
            with self._connect(config, security) as smtp:
                if config.get("username"):
                    smtp.login(config["username"], config.get("password") or "")
                refused = smtp.send_message(mail, config["sender"], [message.address])
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()), (None, b""))
            return SendResult(False, code, f"recipient refused: {reply!r}"[:500])
        except smtplib.SMTPResponseException as exc:
            return SendResult(False, exc.smtp_code, describe(exc))
        except (smtplib.SMTPException, OSError, ValueError) as exc:
            return SendResult(False, None, describe(exc))
        if refused:
            return SendResult(False, None, f"refused: {refused!r}"[:500])
        return SendResult(True, 250)

    @staticmethod
    def _connect(config: Mapping[str, Any], security: str) -> smtplib.SMTP:
        host, timeout = config["host"], timeout_of(config)
        # An intranet SMTP server often has a certificate from the organisation's own CA.
        context = ssl.create_default_context(cafile=config.get("ca_file") or None)
        if security == "ssl":
            return smtplib.SMTP_SSL(
                host, int(config.get("port") or 465), timeout=timeout, context=context
            )
        smtp = smtplib.SMTP(host, int(config.get("port") or 25), timeout=timeout)
        if security == "starttls":
            try:
                smtp.starttls(context=context)
            except BaseException:
                smtp.close()
                raise
        return smtp
