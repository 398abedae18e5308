"""Real local receivers for the channel tests: an SMTP server and HTTP servers on 127.0.0.1."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from pytest_httpserver import HTTPServer

HOST = "127.0.0.1"


def free_port() -> int:
    """Return a port on 127.0.0.1 nobody listens on (a connection there is refused)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    """One message as the SMTP server got it."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class MailSink:
    """An aiosmtpd handler keeping every message it is given."""

    received: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """Run an SMTP server on 127.0.0.1 for one test; yield (sink, port)."""
    sink = MailSink()
    controller = Controller(sink, hostname=HOST, port=free_port())
    controller.start()
    try:
        yield sink, controller.port
    finally:
        controller.stop()


@pytest.fixture
def http_server():
    """Run an HTTP server on 127.0.0.1 for one test."""
    server = HTTPServer(host=HOST, port=0, threaded=True)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        server.stop()


def smtp_config(port: int) -> dict:
    """Return an email channel config for the local server."""
    return {
        "host": HOST,
        "port": port,
        "security": "plain",
        "sender": "alerts@ganbu.example",
        "timeout": 5,
    }
