"""Every role × data scope × object inside/outside scope; no administrator opens a case page."""

import pytest
from flask import url_for

from tests.factories import (
    make_cadre,
    make_inquiry,
    make_report,
    make_talk,
    make_unit,
    make_user,
    make_warning,
)
from webapp.documents.registry import DOCUMENTS
from webapp.imports.jobs import specs as import_specs
from webapp.models import DataScope, Talk
from webapp.security.permissions import DEFAULT_ROLES, UNASSIGNED, Permission

ROLES = {spec["code"]: set(spec["permissions"]) for spec in DEFAULT_ROLES}
CASES = [
    (scope, where)
    for scope in DataScope
    for where in ("inside", "outside")
    if not (scope == DataScope.ALL and where == "outside")  # nothing is outside 全部
]


def place_cadre(scope, where, user, units, other_user):
    """Put a cadre inside or outside the user's scope, as each scope defines it."""
    own, sub, other = units["own"], units["sub"], units["other"]
    placement = {
        (DataScope.ALL, "inside"): (other, other_user),
        (DataScope.UNIT_AND_BELOW, "inside"): (sub, other_user),
        (DataScope.UNIT_AND_BELOW, "outside"): (other, other_user),
        (DataScope.UNIT, "inside"): (own, other_user),
        (DataScope.UNIT, "outside"): (sub, other_user),
        (DataScope.CUSTOM, "inside"): (other, other_user),
        (DataScope.CUSTOM, "outside"): (own, other_user),
        (DataScope.SELF, "inside"): (other, user),
        (DataScope.SELF, "outside"): (own, other_user),
    }
    unit, creator = placement[(scope, where)]
    return make_cadre(unit, name="矩阵测试干部", created_by=creator)


@pytest.mark.parametrize("role", sorted(ROLES))
@pytest.mark.parametrize(("scope", "where"), CASES, ids=[f"{s.value}-{w}" for s, w in CASES])
def test_scope_matrix(client, login, role, scope, where):
    root = make_unit("根")
    units = {"own": make_unit("本部门", root), "other": make_unit("其他部门", root)}
    units["sub"] = make_unit("下级部门", units["own"])
    user = make_user(role, units["own"], scope, scope_units=[units["other"]])
    other_user = make_user("supervisor", root)
    cadre = place_cadre(scope, where, user, units, other_user)
    login(user.username)

    can_view = Permission.CADRE_VIEW in ROLES[role]
    can_edit = Permission.CADRE_EDIT in ROLES[role]
    visible = where == "inside"

    profile = client.get(f"/cadres/{cadre.id}")
    edit = client.get(f"/cadres/{cadre.id}/edit")
    listing = client.get("/cadres/?q=矩阵测试")

    assert profile.status_code == (403 if not can_view else 200 if visible else 404)
    assert edit.status_code == (403 if not can_edit else 200 if visible else 404)
    if can_view:
        assert listing.status_code == 200
        assert ("矩阵测试干部" in listing.get_data(as_text=True)) is visible
    else:
        assert listing.status_code == 403
    if not visible or not can_view:
        assert "矩阵测试干部" not in profile.get_data(as_text=True)


def test_edit_post_outside_scope_changes_nothing(client, login, db):
    root = make_unit("根")
    own, other = make_unit("本部门", root), make_unit("其他部门", root)
    user = make_user("supervisor", own, DataScope.UNIT)
    cadre = make_cadre(other, name="原名")
    login(user.username)
    response = client.post(f"/cadres/{cadre.id}/edit", data={"name": "篡改"})
    assert response.status_code == 404
    db.session.refresh(cadre)
    assert cadre.name == "原名"


# --------------------------------------------------------------------------- 三员 see no case

CASE_AREAS = (
    "cadres",
    "negative_info",
    "talks",
    "inquiries",
    "warnings",
    "documents",
    "imports",
    "meetings",
)
ADMIN_ROLES = ("sysadmin", "secadmin", "auditor", UNASSIGNED)


@pytest.fixture
def case_world(world, db):
    """The world with one record of every case kind about its cadre, each with its own text."""
    records = {
        "cadre_id": world.cadre,
        "info_id": make_report(world.cadre, world.supervisor, summary="矩阵摘要：收受礼金"),
        "talk_id": make_talk(world.cadre, world.supervisor, content="矩阵谈话内容"),
        "inquiry_id": make_inquiry(world.cadre, world.supervisor, matters="矩阵函询事项"),
        "warning_id": make_warning(world.cadre, world.supervisor, "YJ-MATRIX-0001"),
    }
    db.session.commit()
    return records


CASE_TEXT = ("王建国", "矩阵摘要", "矩阵谈话内容", "矩阵函询事项", "YJ-MATRIX-0001")


# Values of the routes' string arguments (an import token, a meeting list and its format).
WORDS = {"token": "x", "kind": "problems", "fmt": "xlsx"}


def case_urls(app, records) -> list[str]:
    """Every GET page of the case areas, with ids from the world (and 工作台)."""
    ids = {name: record.id for name, record in records.items()}
    urls = ["/"]
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint.split(".")[0] not in CASE_AREAS:
            continue
        if rule.endpoint == "documents.download":
            for code, spec in DOCUMENTS.items():
                record = records["talk_id" if spec.model is Talk else "inquiry_id"]
                urls.append(url_for(rule.endpoint, code=code, record_id=record.id))
            continue
        if rule.endpoint.startswith("imports.") and "kind" in rule.arguments:
            urls += [url_for(rule.endpoint, kind=kind) for kind in import_specs()]
            continue
        values = {name: ids.get(name, WORDS.get(name, 1)) for name in rule.arguments}
        urls.append(url_for(rule.endpoint, **values))
    return urls


def fetch(client, url: str) -> tuple[int, str]:
    with client.get(url) as response:
        return response.status_code, response.get_data(as_text=False).decode("utf-8", "replace")


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_administrators_open_no_case_page(app, client, login, case_world, world, role):
    admin = make_user(role, world.root, DataScope.ALL)
    login(admin.username)
    with app.test_request_context():
        urls = case_urls(app, case_world)
    areas = {url.split("/")[1] for url in urls}
    expected = {"cadres", "negative-info", "talks", "inquiries", "warnings", "documents"}
    assert expected | {"meetings"} <= areas
    for url in urls:
        status, body = fetch(client, url)
        assert not [text for text in CASE_TEXT if text in body], url
        if url != "/":
            assert status in (403, 404), url


def test_the_case_text_is_on_the_case_pages_for_a_supervisor(client, login, case_world, world):
    login(world.supervisor.username)
    pages = {
        "王建国": f"/cadres/{world.cadre.id}",
        "矩阵摘要": f"/negative-info/{case_world['info_id'].id}",
        "矩阵谈话内容": f"/talks/{case_world['talk_id'].id}",
        "矩阵函询事项": f"/inquiries/{case_world['inquiry_id'].id}",
        "YJ-MATRIX-0001": f"/warnings/{case_world['warning_id'].id}",
    }
    for text, url in pages.items():
        status, body = fetch(client, url)
        assert status == 200 and text in body, url
