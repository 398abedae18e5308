"""Status, cadre lookup, warnings with cursor pages, dictionaries: all within the client's scope."""

from __future__ import annotations

from tests.factories import make_warning
from tests.webapp.api.conftest import submission
from webapp.extensions import db
from webapp.models import NegativeInfo
from webapp.negative_info import services as reports


def test_the_status_tells_the_conclusion_and_never_the_internal_note(world, call):
    made = call("POST", "/api/v1/negative-info", json=submission(world)).get_json()
    info = db.session.get(NegativeInfo, made["id"])
    info.status, info.verification_note = "untrue", "内部意见：举报人与其有矛盾"
    db.session.commit()
    body = call("GET", f"/api/v1/negative-info/{made['id']}").get_json()
    assert body["status"] == "untrue" and body["conclusion"] == "失实" and body["concluded"]
    assert "内部意见" not in str(body)


def test_cadre_lookup_masks_id_numbers_and_keeps_to_scope(world, call):
    body = call("GET", "/api/v1/cadres", query_string={"q": world.cadre.name}).get_json()
    assert [c["name"] for c in body["items"]] == [world.cadre.name]
    far = call("GET", "/api/v1/cadres", query_string={"q": world.far_cadre.name}).get_json()
    assert far["items"] == []
    found = body["items"][0]
    assert found["id_number_masked"].endswith("*") and world.cadre.id_number not in str(body)


def test_an_empty_query_is_422_with_its_path(world, call):
    response = call("GET", "/api/v1/cadres", query_string={"q": ""})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "/query/q"


def test_warnings_page_by_cursor_within_scope(world, call):
    mine = [make_warning(world.cadre, world.supervisor, f"YJ-T-{n}") for n in range(3)]
    make_warning(world.far_cadre, world.outsider, "YJ-T-far")
    db.session.commit()
    first = call("GET", "/api/v1/warnings", query_string={"limit": 2}).get_json()
    assert [w["id"] for w in first["items"]] == [w.id for w in mine[:2]]
    rest = call(
        "GET", "/api/v1/warnings", query_string={"limit": 2, "cursor": first["next_cursor"]}
    ).get_json()
    assert [w["id"] for w in rest["items"]] == [mine[2].id] and rest["next_cursor"] is None
    one = call("GET", f"/api/v1/warnings/{mine[0].id}").get_json()
    assert one["state"] == "issued" and one["tier_label"].startswith("一级预警")


def test_warnings_filter_by_state_and_unit(world, call):
    make_warning(world.cadre, world.supervisor, "YJ-T-1", state="issued")
    make_warning(world.cadre, world.supervisor, "YJ-T-2", state="lifted")
    db.session.commit()
    body = call(
        "GET", "/api/v1/warnings", query_string={"state": "lifted", "unit_code": world.mine.code}
    ).get_json()
    assert [w["number"] for w in body["items"]] == ["YJ-T-2"]


def test_a_bad_cursor_is_422(world, call):
    response = call("GET", "/api/v1/warnings", query_string={"cursor": "not-a-cursor"})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "/query/cursor"


def test_dictionaries_give_the_codes_to_use(world, call):
    body = call("GET", "/api/v1/dictionaries/negative_situation").get_json()
    situations = reports.situations()
    assert {i["value"] for i in body["items"]} == set(situations)
    assert call("GET", "/api/v1/dictionaries/secret_list").status_code == 404
