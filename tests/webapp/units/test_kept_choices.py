"""The registers' unit <select>: kept a few seconds per worker and data scope, an edit seen at once."""

from __future__ import annotations

import pytest

from tests.factories import make_unit, make_user
from tests.statements import statements_of_get
from webapp import lookups
from webapp.admin.services import save_unit
from webapp.lookups import forget_cached, forget_request_copies
from webapp.models import DataScope
from webapp.units.picker import select_choices


@pytest.fixture
def kept(app, db, monkeypatch):
    """Turn the worker's cache on (the suite runs with it off) and start it empty."""
    monkeypatch.setitem(app.config, "LOOKUP_CACHE_SECONDS", 5)
    clock = {"now": 1000.0}
    monkeypatch.setattr(lookups.time, "monotonic", lambda: clock["now"])
    forget_cached()
    yield clock
    forget_cached()


@pytest.fixture
def tree(db):
    root = make_unit("某省")
    east, west = make_unit("东城市", root), make_unit("西城市", root)
    db.session.commit()
    return {"root": root, "east": east, "west": west}


def names(choices) -> set[str]:
    return {label.strip("　") for _id, label in choices}


def tree_reads(statements: list[str]) -> int:
    return sum("ORDER BY org_unit.sort_order" in s for s in statements)


def test_a_register_page_reads_the_units_once_while_they_are_kept(
    app, client, login, monkeypatch, kept, tree
):
    login(make_user("reviewer", tree["root"], DataScope.ALL).username)
    assert tree_reads(statements_of_get(client, "/cadres/")) == 0  # its warm-up GET read them
    monkeypatch.setitem(app.config, "LOOKUP_CACHE_SECONDS", 0)
    assert tree_reads(statements_of_get(client, "/cadres/")) == 2  # the top, the level below


def test_a_unit_added_elsewhere_shows_once_the_kept_copy_expires(kept, tree, db):
    user = make_user("reviewer", tree["root"], DataScope.ALL)
    assert "北城市" not in names(select_choices(user))
    make_unit("北城市", tree["root"])  # another worker's edit: this one is not told
    db.session.commit()
    forget_request_copies()
    assert "北城市" not in names(select_choices(user))
    kept["now"] += 6
    forget_request_copies()
    assert "北城市" in names(select_choices(user))


def test_a_unit_saved_in_this_worker_shows_at_once(kept, tree, db):
    user = make_user("reviewer", tree["root"], DataScope.ALL)
    assert "北城市" not in names(select_choices(user))
    data = {"code": "north", "name": "北城市", "sort_order": 0, "active": True}
    save_unit(None, {**data, "parent_id": tree["root"].id})
    forget_request_copies()
    assert "北城市" in names(select_choices(user))


def test_each_data_scope_keeps_its_own_units(kept, tree):
    everyone = make_user("reviewer", tree["root"], DataScope.ALL)
    east = make_user("supervisor", tree["east"], DataScope.UNIT_AND_BELOW)
    chosen = make_user("supervisor", tree["root"], DataScope.CUSTOM, scope_units=[tree["west"]])
    assert names(select_choices(everyone)) == {"某省", "东城市", "西城市"}
    assert names(select_choices(east)) == {"东城市"}
    assert names(select_choices(chosen)) == {"西城市"}
    forget_request_copies()
    assert names(select_choices(east)) == {"东城市"}
    assert names(select_choices(everyone)) == {"某省", "东城市", "西城市"}


def test_the_chosen_unit_is_added_to_a_copy_not_to_the_kept_list(kept, tree, db):
    office = make_unit("东城市财政局", tree["east"])
    deep = make_unit("东城市财政局办公室", office)
    db.session.commit()
    user = make_user("reviewer", tree["root"], DataScope.ALL)
    with_deep = select_choices(user, deep.id)
    assert with_deep[0][0] == deep.id
    assert deep.id not in {i for i, _label in select_choices(user)}
