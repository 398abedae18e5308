"""Every role × data scope × object inside/outside scope: profile, edit and list answer right."""

import pytest

from tests.factories import make_cadre, make_unit, make_user
from webapp.models import DataScope
from webapp.security.permissions import DEFAULT_ROLES, Permission

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
