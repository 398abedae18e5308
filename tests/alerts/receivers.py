"""Real local receivers for the channel tests: an SMTP server and HTTP servers on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
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


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory):
    """Make a self-signed certificate for 127.0.0.1; return (cert, key) paths."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(key), "-out", str(cert),
            "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=IP:{HOST}",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def server_tls(tls_files) -> ssl.SSLContext:
    """Return a server-side TLS context for the test certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*tls_files)
    return context


@pytest.fixture
def smtp_tls_server(tls_files):
    """Run an SMTP server demanding STARTTLS and another speaking SSL from the first byte."""
    sink = MailSink()
    starttls = Controller(
        sink,
        hostname=HOST,
        port=free_port(),
        tls_context=server_tls(tls_files),
        require_starttls=True,
    )
    implicit = Controller(sink, hostname=HOST, port=free_port(), ssl_context=server_tls(tls_files))
    starttls.start()
    implicit.start()
    try:
        yield sink, starttls.port, implicit.port, str(tls_files[0])
    finally:
        starttls.stop()
        implicit.stop()
