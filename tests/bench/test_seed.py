"""`flask bench seed` at a small size: consistent rows, valid states, and no mixing with data."""

from __future__ import annotations

from itertools import pairwise

import pytest
import sqlalchemy as sa

from bench.seed import PASSWORD, PROFILE_ITEMS, RealDataPresent, seed
from bench.sizes import Sizes
from tests.factories import make_cadre, make_unit
from webapp.models import (
    Cadre,
    NegativeInfo,
    Obligation,
    OrgUnit,
    Talk,
    User,
    Warning,
    WarningEvent,
)
from webapp.models.warnings import warning_basis
from workflows.obligations import ObligationKind
from workflows.states import State

SMALL = Sizes(units=20, cadres=200, infos=600, warnings=120, talks=400)


@pytest.fixture
def seeded(db):
    """Seed the small size into the test's database."""
    return seed(SMALL)


def rows(db, *columns):
    """Return every row of the selected columns."""
    return db.session.execute(sa.select(*columns)).all()


def test_it_makes_the_asked_sizes(db, seeded):
    counted = {
        model: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (OrgUnit, Cadre, NegativeInfo, Warning, Talk)
    }
    assert counted == {OrgUnit: 20, Cadre: 200, NegativeInfo: 600, Warning: 120, Talk: 400}
    assert seeded.counts["warning_event"] > 120 * 2


def test_the_unit_tree_has_paths_and_a_district_subtree(db, seeded):
    units = {u.id: u for u in db.session.scalars(sa.select(OrgUnit))}
    for unit in units.values():
        parent_path = units[unit.parent_id].path if unit.parent_id else "/"
        assert unit.path == f"{parent_path}{unit.id}/"
    district = units[seeded.district_unit_id]
    assert district.name.endswith(("区", "县"))
    assert any(u.path.startswith(district.path) and u.id != district.id for u in units.values())


def test_records_point_at_consistent_rows(db, seeded):
    cadres = dict(rows(db, Cadre.id, Cadre.unit_id))
    items = {i: c for i, c in rows(db, NegativeInfo.id, NegativeInfo.cadre_id)}
    assert set(items.values()) <= set(cadres)
    assert all(
        unit == cadres[c] for c, unit in rows(db, NegativeInfo.cadre_id, NegativeInfo.unit_id)
    )
    warnings = dict(rows(db, Warning.id, Warning.cadre_id))
    assert set(warnings.values()) <= set(cadres)
    for warning_id, item_id in rows(
        db, warning_basis.c.warning_id, warning_basis.c.negative_info_id
    ):
        assert items[item_id] == warnings[warning_id]  # a warning rests on its cadre's item
    assert {c for (c,) in rows(db, Talk.cadre_id)} <= set(cadres)
    for subject, cadre, kind in rows(
        db, Obligation.subject_id, Obligation.cadre_id, Obligation.kind
    ):
        assert warnings[subject] == cadre, kind


def test_each_warning_stands_where_its_history_led(db, seeded):
    history: dict[int, list] = {}
    for row in db.session.scalars(sa.select(WarningEvent).order_by(WarningEvent.id)):
        history.setdefault(row.warning_id, []).append(row)
    owed = {}
    for subject, kind in rows(db, Obligation.subject_id, Obligation.kind):
        owed.setdefault(subject, set()).add(kind)
    states = set()
    for w in db.session.scalars(sa.select(Warning)):
        events = history[w.id]
        assert events[0].event == "create" and events[-1].to_state == w.state.value
        assert all(a.to_state == b.from_state for a, b in pairwise(events))
        states.add(w.state)
        if w.state is State.PENDING_APPROVAL:
            assert w.awaiting_role and ObligationKind.APPROVAL_WAITING in owed[w.id]
        if w.state is State.ISSUED:
            assert w.action_due and ObligationKind.ACTION_DUE in owed[w.id]
        if w.state is State.RECTIFYING:
            assert ObligationKind.RECTIFICATION_REPORT_DUE in owed[w.id]
        if w.state in (State.DRAFT, State.REVOKED):
            assert w.id not in owed
    assert {State.LIFTED, State.RECTIFYING, State.DRAFT} <= states


def test_the_profile_cadre_has_fifty_records(db, seeded):
    cadre = seeded.profile_cadre_id
    counted = sum(
        db.session.scalar(sa.select(sa.func.count()).where(model.cadre_id == cadre))
        for model in (NegativeInfo, Warning, Talk)
    )
    assert counted >= sum(PROFILE_ITEMS) == 50


def test_the_bench_users_log_in(db, seeded, client):
    for username in (seeded.province_user, seeded.district_user):
        response = client.post("/auth/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302, username
        assert client.get("/cadres/").status_code == 200
        client.post("/auth/logout")


def test_it_refuses_a_database_that_was_seeded(db, seeded):
    with pytest.raises(RealDataPresent):
        seed(SMALL)


def test_it_refuses_real_data_and_writes_nothing(db):
    make_cadre(make_unit("某市"), "王建国")
    db.session.commit()
    with pytest.raises(RealDataPresent):
        seed(SMALL)
    assert (
        db.session.scalar(sa.select(sa.func.count(User.id)).where(User.username.like("bench_%")))
        == 0
    )


def test_values_read_back_as_the_app_wrote_them(db, seeded):
    # Sealed, enum and JSON columns went in through their types (COPY on PostgreSQL).
    from stdnum.cn import ric

    db.session.expire_all()
    cadre = db.session.get(Cadre, seeded.profile_cadre_id)
    assert ric.is_valid(cadre.id_number)
    talk = db.session.scalars(sa.select(Talk).where(Talk.cadre_id == cadre.id)).first()
    assert talk.interviewers[0]["name"].startswith("基准")
    warning = db.session.scalars(sa.select(Warning).where(Warning.cadre_id == cadre.id)).first()
    assert isinstance(warning.state, State)
