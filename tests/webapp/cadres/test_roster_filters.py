"""The roster's filters offer only what the user may see."""

from __future__ import annotations

from tests.factories import make_cadre, make_unit, make_user
from webapp.models import DataScope


def unit_options(page: str) -> str:
    """Return the <select> of the unit filter."""
    start = page.index('name="unit_id"')
    return page[start : page.index("</select>", start)]


def test_unit_scoped_user_is_offered_only_own_unit(client, login, db):
    root = make_unit("某市")
    own, other = make_unit("市财政局", root), make_unit("市教育局", root)
    make_cadre(own, name="张三")
    make_cadre(other, name="李域外")
    user = make_user("supervisor", own, DataScope.UNIT)
    login(user.username)
    page = client.get("/cadres/").get_data(as_text=True)
    options = unit_options(page)
    assert f'value="{own.id}"' in options
    assert f'value="{other.id}"' not in options and "市教育局" not in options
    assert "某市" not in options
    assert "李域外" not in page


def test_unit_below_scope_is_offered_with_its_children(client, login, db):
    root = make_unit("某市")
    own = make_unit("市财政局", root)
    child = make_unit("预算科", own)
    other = make_unit("市教育局", root)
    user = make_user("viewer", own, DataScope.UNIT_AND_BELOW)
    login(user.username)
    options = unit_options(client.get("/cadres/").get_data(as_text=True))
    assert f'value="{own.id}"' in options and f'value="{child.id}"' in options
    assert f'value="{other.id}"' not in options and f'value="{root.id}"' not in options


def test_filtering_by_a_unit_outside_scope_shows_nothing_outside(client, login, db):
    root = make_unit("某市")
    own, other = make_unit("市财政局", root), make_unit("市教育局", root)
    make_cadre(own, name="张三")
    make_cadre(other, name="李域外")
    user = make_user("supervisor", own, DataScope.UNIT)
    login(user.username)
    page = client.get(f"/cadres/?unit_id={other.id}").get_data(as_text=True)
    assert "李域外" not in page
