"""Scope over records about a cadre is one set test on the unit subtree, never a lookup per row."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import (
    make_cadre,
    make_inquiry,
    make_report,
    make_talk,
    make_unit,
    make_user,
    make_warning,
)
from tests.statements import counted_statements
from webapp.extensions import db
from webapp.models import DataScope, Inquiry, NegativeInfo, Talk, Warning
from webapp.security.scope import in_subtree, scoped, subtree_ids

ABOUT_A_CADRE = {
    "talk": Talk,
    "inquiry": Inquiry,
    "warning": Warning,
    "negative_info": NegativeInfo,
}
SCOPES = (DataScope.UNIT_AND_BELOW, DataScope.UNIT, DataScope.CUSTOM)


def visible(model, user) -> set[int]:
    return set(db.session.scalars(scoped(select(model.id), model, user)))


@pytest.mark.parametrize("table", sorted(ABOUT_A_CADRE))
@pytest.mark.parametrize("scope", SCOPES)
def test_the_scope_is_not_correlated_with_the_row(world, table, scope):
    model = ABOUT_A_CADRE[table]
    user = make_user("supervisor", world.mine, scope, scope_units=[world.mine])
    sql = str(scoped(select(model.id), model, user).compile(db.engine))
    # The old forms looked each row's cadre up ("WHERE cadre.id = talk.cadre_id"), then
    # tested it in a set ("talk.cadre_id IN (SELECT cadre.id …"); the cadre's unit is now kept
    # on the record (webapp/security/scope_unit.py).
    assert f"{table}.scope_unit_id IN" in sql and "cadre" not in sql


@pytest.mark.parametrize("scope", SCOPES)
def test_records_follow_the_cadre_s_unit_and_unlinked_items_their_own(world, scope):
    section = make_unit("预算科", world.mine)
    inside, outside = make_cadre(section), make_cadre(world.other)
    user = make_user("supervisor", world.mine, scope, scope_units=[world.mine, section])
    mine = {
        Talk: make_talk(inside).id,
        Inquiry: make_inquiry(inside).id,
        Warning: make_warning(inside, world.reviewer, "YJ-S-1").id,
        NegativeInfo: make_report(inside, unit_id=world.other.id).id,  # filed under another unit
    }
    theirs = {
        Talk: make_talk(outside).id,
        Inquiry: make_inquiry(outside).id,
        Warning: make_warning(outside, world.reviewer, "YJ-S-2").id,
        NegativeInfo: make_report(outside, unit_id=section.id).id,
    }
    unlinked_in = make_report(inside, cadre_id=None, unit_id=section.id).id
    unlinked_out = make_report(outside, cadre_id=None, unit_id=world.other.id).id
    for model in mine:
        seen = visible(model, user)
        if scope is DataScope.UNIT:  # the section is below the user's one unit
            assert mine[model] not in seen
        else:
            assert mine[model] in seen
        assert theirs[model] not in seen
    seen = visible(NegativeInfo, user)
    assert (unlinked_in in seen) is (scope is not DataScope.UNIT)
    assert unlinked_out not in seen


def test_the_unit_filter_takes_the_subtree_through_the_cadre(world):
    section = make_unit("预算科", world.mine)
    talk = make_talk(make_cadre(section)).id
    make_talk(world.far_cadre)
    found = db.session.scalars(select(Talk.id).where(in_subtree(Talk, world.root)))
    assert talk in set(found)
    assert set(db.session.scalars(select(Talk.id).where(in_subtree(Talk, world.mine)))) == {talk}


def test_a_subtree_is_read_once_and_again_after_a_unit_is_written(world):
    assert world.mine.path  # loaded before counting
    with counted_statements() as statements:
        first = subtree_ids(world.mine)
        assert subtree_ids(world.mine) == first
    assert [s for s in statements if "org_unit.path LIKE" in s] == statements[-1:]
    assert len(statements) <= 2  # the subtree, and a savepoint the fixture may open
    section = make_unit("新设科室", world.mine)  # a flush that writes a unit
    assert subtree_ids(world.mine) == [*first, section.id]
