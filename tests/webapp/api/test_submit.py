"""POST /api/v1/negative-info: lands in 待核实 like a liaison submission, once per external id."""

from __future__ import annotations

import base64

from sqlalchemy import func, select

from tests.webapp.api.conftest import submission
from webapp.extensions import db
from webapp.models import Attachment, NegativeInfo

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(NegativeInfo))


def test_a_submission_lands_in_the_pending_queue_like_a_liaisons(world, call):
    before = count()
    response = call("POST", "/api/v1/negative-info", json=submission(world))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/negative-info/{body['id']}")
    assert body["status"] == "pending" and body["status_label"] == "待核实"
    assert body["external_id"] == "XF-2026-0001" and body["conclusion"] is None
    info = db.session.get(NegativeInfo, body["id"])
    assert count() == before + 1
    assert info.via_liaison and info.cadre_id == world.cadre.id
    assert info.number == body["number"] and info.reporting_unit == world.mine.name
    assert [e.event for e in info.history] == ["submitted"]


def test_the_same_submission_twice_makes_one_record(world, call):
    first = call("POST", "/api/v1/negative-info", json=submission(world))
    again = call("POST", "/api/v1/negative-info", json=submission(world))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["id"] == first.get_json()["id"]
    assert count() == 1


def test_the_same_external_id_with_other_content_is_a_conflict_with_the_version(world, call):
    first = call("POST", "/api/v1/negative-info", json=submission(world)).get_json()
    response = call("POST", "/api/v1/negative-info", json=submission(world, summary="另一件事"))
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["current_version"] == first["version"]
    assert count() == 1


def test_a_cadre_named_by_id_number_is_found_in_scope(world, call):
    body = submission(world, cadre={"id_number": world.cadre.id_number})
    response = call("POST", "/api/v1/negative-info", json=body)
    assert response.status_code == 201
    assert db.session.get(NegativeInfo, response.get_json()["id"]).cadre_id == world.cadre.id


def test_an_id_number_outside_scope_is_refused_at_its_path(world, call):
    body = submission(world, cadre={"id_number": world.far_cadre.id_number})
    response = call("POST", "/api/v1/negative-info", json=body)
    assert response.status_code == 422
    assert [e["pointer"] for e in response.get_json()["errors"]] == ["/cadre/id_number"]
    assert count() == 0


def test_base64_attachments_are_kept_with_the_item(world, call):
    body = submission(
        world,
        attachments=[{"filename": "scan.png", "content_base64": base64.b64encode(PNG).decode()}],
    )
    response = call("POST", "/api/v1/negative-info", json=body)
    assert response.status_code == 201, response.get_json()
    kept = db.session.scalars(
        select(Attachment).where(Attachment.owner_id == response.get_json()["id"])
    ).all()
    assert [a.kind for a in kept] == ["png"]


def test_multipart_carries_the_json_and_the_files(world, call):
    import io
    import json

    data = {"data": json.dumps(submission(world)), "attachments": (io.BytesIO(PNG), "scan.png")}
    response = call("POST", "/api/v1/negative-info", data=data, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    kept = db.session.scalars(
        select(Attachment).where(Attachment.owner_id == response.get_json()["id"])
    ).all()
    assert len(kept) == 1


def test_sealed_channel_keeps_the_reporting_side_sealed(world, call):
    response = call(
        "POST", "/api/v1/negative-info", json=submission(world, source_channel="hotline_12380")
    )
    info = db.session.get(NegativeInfo, response.get_json()["id"])
    from webapp.negative_info.sealing import public_value

    assert public_value(info, "reporting_unit") == "来源信息已加密保护"


def test_a_twin_that_missed_the_first_at_the_check_meets_it_at_the_unique_key(
    world, call, monkeypatch
):
    from webapp.api import submissions

    first = call("POST", "/api/v1/negative-info", json=submission(world)).get_json()
    real, calls = submissions.previous, []

    def late(client, external_id):
        # The first look happens before the other request commits: it sees nothing.
        calls.append(external_id)
        return None if len(calls) == 1 else real(client, external_id)

    monkeypatch.setattr(submissions, "previous", late)
    again = call("POST", "/api/v1/negative-info", json=submission(world))
    assert again.status_code == 200 and again.get_json()["id"] == first["id"]
    assert len(calls) == 2 and count() == 1
