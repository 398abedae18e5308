"""Each invalid field answers 422 with its path in Chinese; a bad attachment is refused; nothing written."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import func, select

from tests.webapp.api.conftest import submission
from webapp.extensions import db
from webapp.models import ApiSubmission, Attachment, NegativeInfo


def nothing_written() -> bool:
    tables = (NegativeInfo, ApiSubmission, Attachment)
    return all(db.session.scalar(select(func.count()).select_from(t)) == 0 for t in tables)


@pytest.mark.parametrize(
    ("changes", "pointer", "words"),
    [
        ({"summary": ""}, "/summary", "长度"),
        ({"occurred_on": "2026-13-45"}, "/occurred_on", "日期格式"),
        ({"occurred_on": "2026-03-11"}, "/occurred_on", "晚于今天"),
        ({"situation": "no_such_code"}, "/situation", "请从列表中选择"),
        ({"source_channel": "carrier_pigeon"}, "/source_channel", ""),
        ({"cadre": {"name": "王建国"}}, "/cadre/id_number", "身份证号"),
        ({"cadre": {"name": "王建国", "unit_code": "nope"}}, "/cadre/unit_code", "单位"),
        ({"external_id": 5}, "/external_id", "应为文本"),
        ({"surprise": 1}, "/surprise", "不认识的字段"),
        ({"details_has_identity": "maybe"}, "/details_has_identity", "true 或 false"),
        ({"summary": "a\x00b"}, "/summary", "不能保存"),
    ],
)
def test_each_invalid_field_is_named_by_its_path(world, call, changes, pointer, words):
    response = call("POST", "/api/v1/negative-info", json=submission(world, **changes))
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
    errors = response.get_json()["errors"]
    assert pointer in [e["pointer"] for e in errors]
    assert words in next(e["detail"] for e in errors if e["pointer"] == pointer)
    assert nothing_written()


def test_a_situation_of_another_category_is_refused(world, call):
    from webapp.negative_info.records import situations

    other = next(s for s in situations().values() if s.category != "supervision")
    response = call("POST", "/api/v1/negative-info", json=submission(world, situation=other.value))
    assert response.status_code == 422
    assert "/situation" in [e["pointer"] for e in response.get_json()["errors"]]


def attached(content: bytes, name: str = "scan.pdf") -> list[dict]:
    return [{"filename": name, "content_base64": base64.b64encode(content).decode()}]


def test_a_fake_type_attachment_is_refused_and_nothing_written(world, call):
    body = submission(world, attachments=attached(b"MZ\x90\x00 not really a pdf"))
    response = call("POST", "/api/v1/negative-info", json=body)
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "/attachments/0"
    assert nothing_written()


def test_an_oversize_attachment_is_refused_and_nothing_written(world, call, monkeypatch):
    from webapp.attachments import services as attachments

    monkeypatch.setattr(attachments, "max_bytes", lambda: 10)
    body = submission(world, attachments=attached(b"%PDF-1.4 " + b"x" * 20))
    response = call("POST", "/api/v1/negative-info", json=body)
    assert response.status_code == 422
    assert "超过" in response.get_json()["errors"][0]["detail"]
    assert nothing_written()


def test_not_base64_is_refused_at_its_path(world, call):
    body = submission(world, attachments=[{"filename": "a.pdf", "content_base64": "@@@"}])
    response = call("POST", "/api/v1/negative-info", json=body)
    assert response.get_json()["errors"][0]["pointer"] == "/attachments/0/content_base64"
    assert nothing_written()


def test_a_body_that_is_not_json_is_415(world, call):
    response = call("POST", "/api/v1/negative-info", data="x", content_type="text/plain")
    assert response.status_code == 415
    assert nothing_written()


def test_too_many_multipart_files_are_refused(world, call):
    import io
    import json

    files = [(io.BytesIO(b"%PDF-1.4"), f"{n}.pdf") for n in range(6)]
    data = {"data": json.dumps(submission(world)), "attachments": files}
    response = call("POST", "/api/v1/negative-info", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "/attachments"
    assert nothing_written()
