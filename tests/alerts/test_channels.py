"""Each channel against a real local receiver; failures come back as results, never raised."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

from werkzeug import Response

from alerts.channels import CHANNELS, Outgoing, build_channels
from alerts.channels.dingtalk import DingTalkChannel, sign
from alerts.channels.inapp import InAppChannel
from alerts.channels.smtp import EmailChannel
from alerts.channels.webhook import SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookChannel, signature
from alerts.channels.wecom import TokenCache, WeComChannel
from tests.alerts.receivers import (
    HOST,
    free_port,
    http_server,
    smtp_config,
    smtp_server,
    smtp_tls_server,
    tls_files,
)
from webapp.models.notifications import ChannelCode

__all__ = ["http_server", "smtp_server", "smtp_tls_server", "tls_files"]  # fixtures used below

TITLE = "干部监督预警：核查到期"
BODY = "您有 2 项「核查到期」待处理，请登录系统查看：https://ganbu.example/todo"


def outgoing(address: str | None = "li@ganbu.example", notification_id: int = 1) -> Outgoing:
    return Outgoing(notification_id, TITLE, BODY, "https://ganbu.example/todo", address)


def test_registry_holds_one_instance_of_each_channel():
    assert set(CHANNELS) == set(ChannelCode)
    assert all(channel.code == code for code, channel in CHANNELS.items())
    assert build_channels()[ChannelCode.WECOM] is not CHANNELS[ChannelCode.WECOM]


def test_in_app_is_delivered_without_any_setting():
    assert InAppChannel().send(outgoing(), {}).ok


# --- email ------------------------------------------------------------------------------------


def test_email_arrives_with_chinese_subject_and_body(smtp_server):
    sink, port = smtp_server
    result = EmailChannel().send(outgoing(), smtp_config(port))
    assert result.ok and result.code == 250
    (mail,) = sink.received
    assert mail.rcpt_tos == ["li@ganbu.example"]
    assert mail.mail_from == "alerts@ganbu.example"
    assert mail.message["Subject"] == TITLE
    assert mail.message["To"] == "li@ganbu.example"
    assert mail.message.get_content().strip() == BODY


def test_email_headers_are_mime_encoded_on_the_wire(smtp_server, monkeypatch):
    sink, port = smtp_server
    raw: list[bytes] = []
    original = sink.handle_DATA

    async def keep_raw(server, session, envelope):
        raw.append(envelope.content)
        return await original(server, session, envelope)

    monkeypatch.setattr(sink, "handle_DATA", keep_raw)
    assert EmailChannel().send(outgoing(), smtp_config(port)).ok
    head = raw[0].split(b"\r\n\r\n", 1)[0]
    assert head.isascii()  # RFC 2047 words, not raw UTF-8, in the headers
    assert b"=?utf-8?" in head.lower()


def test_email_refused_connection_is_a_result_not_an_exception():
    result = EmailChannel().send(outgoing(), smtp_config(free_port()))
    assert not result.ok and result.code is None and result.unreachable
    assert "Refused" in result.error or "refused" in result.error


def test_email_without_host_is_reported_as_incomplete():
    result = EmailChannel().send(outgoing(), {"sender": "a@b.example"})
    assert not result.ok and "配置不完整" in result.error


# --- 企业微信 ---------------------------------------------------------------------------------


def wecom_config(server) -> dict:
    return {
        "api_base": server.url_for("/").rstrip("/"),
        "corp_id": "ww-corp",
        "secret": "corp-secret",
        "agent_id": "1000002",
        "timeout": 5,
    }


def expect_wecom(server, sent: list[dict], token: str = "TOKEN-1", expires_in: int = 7200):
    server.expect_request(
        "/cgi-bin/gettoken", query_string={"corpid": "ww-corp", "corpsecret": "corp-secret"}
    ).respond_with_json(
        {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": expires_in}
    )

    def send(request):
        sent.append({"token": request.args["access_token"], **json.loads(request.data)})
        return Response(json.dumps({"errcode": 0, "errmsg": "ok"}), content_type="application/json")

    server.expect_request("/cgi-bin/message/send", method="POST").respond_with_handler(send)


def gettoken_calls(server) -> int:
    return sum(1 for request, _response in server.log if request.path == "/cgi-bin/gettoken")


def test_wecom_fetches_one_token_for_two_messages(http_server):
    sent: list[dict] = []
    expect_wecom(http_server, sent)
    channel = WeComChannel(TokenCache())
    config = wecom_config(http_server)
    assert channel.send(outgoing("zhangsan", 1), config).ok
    assert channel.send(outgoing("lisi", 2), config).ok
    assert gettoken_calls(http_server) == 1
    assert [(m["touser"], m["token"], m["agentid"]) for m in sent] == [
        ("zhangsan", "TOKEN-1", 1000002),
        ("lisi", "TOKEN-1", 1000002),
    ]
    assert sent[0]["msgtype"] == "text" and BODY in sent[0]["text"]["content"]


def test_wecom_fetches_a_new_token_once_the_old_one_expires(http_server):
    sent: list[dict] = []
    expect_wecom(http_server, sent, expires_in=7200)
    clock = [1000.0]
    channel = WeComChannel(TokenCache(clock=lambda: clock[0]))
    config = wecom_config(http_server)
    assert channel.send(outgoing("zhangsan"), config).ok
    clock[0] += 7200 - 400  # still inside the lifetime less the safety margin
    assert channel.send(outgoing("zhangsan"), config).ok
    assert gettoken_calls(http_server) == 1
    clock[0] += 200  # now inside the margin: refresh before 企业微信 would refuse it
    assert channel.send(outgoing("zhangsan"), config).ok
    assert gettoken_calls(http_server) == 2


def test_wecom_refused_token_is_fetched_again_and_the_send_retried(http_server):
    answers = iter([{"errcode": 42001, "errmsg": "access_token expired"}, {"errcode": 0}])
    http_server.expect_request("/cgi-bin/gettoken").respond_with_json(
        {"errcode": 0, "access_token": "T", "expires_in": 7200}
    )
    http_server.expect_request("/cgi-bin/message/send").respond_with_handler(
        lambda request: Response(json.dumps(next(answers)), content_type="application/json")
    )
    assert WeComChannel(TokenCache()).send(outgoing("zhangsan"), wecom_config(http_server)).ok
    assert gettoken_calls(http_server) == 2


def test_wecom_bad_secret_is_a_failed_result(http_server):
    http_server.expect_request("/cgi-bin/gettoken").respond_with_json(
        {"errcode": 40001, "errmsg": "invalid credential"}
    )
    result = WeComChannel(TokenCache()).send(outgoing("zhangsan"), wecom_config(http_server))
    assert not result.ok and result.code == 200 and "40001" in result.error


def test_wecom_invalid_user_is_a_failed_result(http_server):
    http_server.expect_request("/cgi-bin/gettoken").respond_with_json(
        {"errcode": 0, "access_token": "T", "expires_in": 7200}
    )
    http_server.expect_request("/cgi-bin/message/send").respond_with_json(
        {"errcode": 0, "errmsg": "ok", "invaliduser": "nobody"}
    )
    result = WeComChannel(TokenCache()).send(outgoing("nobody"), wecom_config(http_server))
    assert not result.ok and "invaliduser" in result.error


# --- 钉钉 -------------------------------------------------------------------------------------

ROBOT_SECRET = "SEC0123456789abcdef"


def expected_sign(timestamp: str, secret: str) -> str:
    """钉钉's documented algorithm, written out independently of the channel's code."""
    digest = hmac.new(
        secret.encode(), f"{timestamp}\n{secret}".encode(), digestmod=hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()


def robot(server, received: list[dict], secret: str = ROBOT_SECRET):
    def handle(request):
        timestamp, given = request.args["timestamp"], request.args["sign"]  # URL-decoded here
        fresh = abs(int(timestamp) - time.time() * 1000) < 3_600_000
        if not fresh or not hmac.compare_digest(given, expected_sign(timestamp, secret)):
            return Response(json.dumps({"errcode": 310000, "errmsg": "sign not match"}))
        received.append({"token": request.args["access_token"], **json.loads(request.data)})
        return Response(json.dumps({"errcode": 0, "errmsg": "ok"}), content_type="application/json")

    server.expect_request("/robot/send", method="POST").respond_with_handler(handle)


def test_dingtalk_signs_the_request_as_dingtalk_checks_it(http_server):
    received: list[dict] = []
    robot(http_server, received)
    config = {
        "webhook_url": http_server.url_for("/robot/send?access_token=abc"),
        "secret": ROBOT_SECRET,
    }
    result = DingTalkChannel().send(outgoing(None), config)
    assert result.ok, result.error
    assert received[0]["token"] == "abc"
    assert received[0]["msgtype"] == "text" and BODY in received[0]["text"]["content"]


def test_dingtalk_wrong_secret_is_refused_and_reported(http_server):
    robot(http_server, [])
    config = {"webhook_url": http_server.url_for("/robot/send?access_token=abc"), "secret": "wrong"}
    result = DingTalkChannel().send(outgoing(None), config)
    assert not result.ok and "310000" in result.error


def test_dingtalk_sign_is_url_encoded_base64():
    # A sign whose Base64 holds '+', '/' or '=' must reach 钉钉 percent-encoded.
    value = sign(1_700_000_000_000, ROBOT_SECRET)
    assert "+" not in value and "/" not in value and "=" not in value
    assert value.endswith("%3D")


# --- webhook ----------------------------------------------------------------------------------


def test_webhook_body_is_signed_with_hmac_sha256(http_server):
    seen: list = []

    def handle(request):
        seen.append(
            (request.headers[TIMESTAMP_HEADER], request.headers[SIGNATURE_HEADER], request.data)
        )
        return Response("", status=204)

    http_server.expect_request("/oa/notify", method="POST").respond_with_handler(handle)
    config = {"url": http_server.url_for("/oa/notify"), "secret": "hook-secret"}
    result = WebhookChannel(clock=lambda: 1_764_000_000).send(outgoing("zhangsan", 9), config)
    assert result.ok and result.code == 204
    timestamp, given, body = seen[0]
    mac = hmac.new(b"hook-secret", timestamp.encode() + b"." + body, hashlib.sha256)
    assert given == "sha256=" + mac.hexdigest() == signature("hook-secret", timestamp, body)
    assert timestamp == "1764000000"
    payload = json.loads(body)
    assert payload == {
        "id": 9,
        "recipient": "zhangsan",
        "title": TITLE,
        "body": BODY,
        "link": "https://ganbu.example/todo",
    }


def test_webhook_server_error_is_a_failed_result_with_its_code(http_server):
    http_server.expect_request("/oa/notify").respond_with_data("boom", status=500)
    config = {"url": http_server.url_for("/oa/notify"), "secret": "s"}
    result = WebhookChannel().send(outgoing(), config)
    assert not result.ok and result.code == 500 and not result.unreachable


def test_webhook_timeout_is_bounded_by_the_setting(http_server):
    http_server.expect_request("/slow").respond_with_handler(
        lambda request: (time.sleep(1.5), Response("late"))[1]
    )
    config = {"url": http_server.url_for("/slow"), "secret": "s", "timeout": 0.3}
    started = time.monotonic()
    result = WebhookChannel().send(outgoing(), config)
    assert time.monotonic() - started < 1.2
    assert not result.ok and result.unreachable and "timed out" in result.error


def test_http_channels_never_raise_on_refused_connections():
    dead = f"http://{HOST}:{free_port()}/x"
    configs = {
        WebhookChannel(): {"url": dead, "secret": "s"},
        DingTalkChannel(): {"webhook_url": dead, "secret": "s"},
        WeComChannel(TokenCache()): {
            "api_base": dead,
            "corp_id": "c",
            "secret": "s",
            "agent_id": 1,
        },
    }
    for channel, config in configs.items():
        result = channel.send(outgoing("zhangsan"), config)
        assert not result.ok and result.unreachable, channel.code


def test_email_over_starttls_and_ssl_with_the_organisations_ca(smtp_tls_server):
    sink, starttls_port, ssl_port, ca_file = smtp_tls_server
    for security, port in (("starttls", starttls_port), ("ssl", ssl_port)):
        config = {**smtp_config(port), "security": security, "ca_file": ca_file}
        result = EmailChannel().send(outgoing(), config)
        assert result.ok, (security, result.error)
    assert [mail.message["Subject"] for mail in sink.received] == [TITLE, TITLE]


def test_email_refuses_a_certificate_it_cannot_verify(smtp_tls_server):
    _sink, starttls_port, _ssl_port, _ca_file = smtp_tls_server
    config = {**smtp_config(starttls_port), "security": "starttls"}  # no CA: the system's only
    result = EmailChannel().send(outgoing(), config)
    assert not result.ok and "CERTIFICATE_VERIFY_FAILED" in result.error


def test_plain_smtp_is_refused_by_a_server_demanding_starttls(smtp_tls_server):
    sink, starttls_port, _ssl_port, _ca_file = smtp_tls_server
    result = EmailChannel().send(outgoing(), smtp_config(starttls_port))
    assert not result.ok and result.code == 530 and sink.received == []


def test_wecom_non_numeric_agent_id_is_a_failed_result(http_server):
    http_server.expect_request("/cgi-bin/gettoken").respond_with_json(
        {"errcode": 0, "access_token": "T", "expires_in": 7200}
    )
    config = {**wecom_config(http_server), "agent_id": "应用一"}
    result = WeComChannel(TokenCache()).send(outgoing("zhangsan"), config)
    assert not result.ok and "agent_id" in result.error
