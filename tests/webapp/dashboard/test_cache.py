"""The 晴雨表's counts are kept between requests and never outlive a change to what they count."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.factories import make_cadre
from tests.statements import counted_statements
from tests.webapp.dashboard.conftest import expected
from webapp.extensions import db
from webapp.models import Cadre, DashboardFigures, DashboardGeneration, Obligation, utcnow


def shown_cadres(client, path="/dashboard/") -> int:
    # The test's own session ends its transaction first: on SQLite it would hold the write
    # lock the page needs to keep its counts (then it counts afresh every time).
    db.session.rollback()
    page = client.get(path).get_data(as_text=True)
    return int(re.search(r"在册干部 (\d+) 人", page).group(1))


def kept_rows() -> dict[str, object]:
    db.session.rollback()
    rows = db.session.execute(sa.select(DashboardFigures.key, DashboardFigures.computed_at))
    return dict(rows.all())


def test_a_second_view_reads_the_kept_counts(board, client, login):
    login(board.district.username)
    want = expected(board, board.east)["cadres"]
    assert shown_cadres(client) == want
    kept = kept_rows()
    assert {key.split("|")[0] for key in kept} == {"headline", "board"}
    with counted_statements() as statements:
        assert shown_cadres(client) == want
    assert not [s for s in statements if re.search(r"FROM cadre\b", s)]
    assert kept_rows() == kept
    page = client.get("/dashboard/").get_data(as_text=True)
    assert "计算于" in page


def test_a_new_cadre_shows_at_once(board, client, login):
    login(board.district.username)
    before = shown_cadres(client)
    make_cadre(board.east_street, status_colour="red")
    db.session.commit()
    assert shown_cadres(client) == before + 1
    assert shown_cadres(client, "/dashboard/screen") != 0


def test_a_bulk_update_moves_the_counts_on(board, client, login):
    login(board.district.username)
    before = shown_cadres(client)
    assert before == expected(board, board.east)["cadres"]
    street = [c.id for c in board.cadres if board.in_tree(board.east_street, c)]
    db.session.execute(sa.update(Cadre).where(Cadre.id.in_(street)).values(unit_id=board.west.id))
    db.session.commit()
    assert shown_cadres(client) == before - len(street)


def test_the_home_page_brief_shares_the_kept_headline(board, client, login):
    login(board.district.username)
    db.session.rollback()
    client.get("/")
    assert {key.split("|")[0] for key in kept_rows()} == {"headline"}
    shown_cadres(client)
    assert {key.split("|")[0] for key in kept_rows()} == {"headline", "board"}


@pytest.mark.parametrize("who", ["province", "district"])
def test_counting_afresh_sends_a_bounded_number_of_statements(app, board, client, login, who):
    app.config["DASHBOARD_CACHE"] = False
    login(getattr(board, who).username)
    with counted_statements() as statements:
        assert client.get("/dashboard/").status_code == 200
    assert len(statements) <= 40


def test_a_reminder_firing_keeps_the_counts_closing_moves_them(board, client, login):
    login(board.district.username)
    shown_cadres(client)

    def generation():
        db.session.rollback()
        return db.session.scalar(sa.select(DashboardGeneration.n))

    was = generation()
    owed = db.session.get(Obligation, board.obligations[0].id)
    owed.fired_stages = {"first": "2026-12-01"}
    owed.next_fire_on = None
    db.session.commit()
    assert generation() == was
    owed.closed_at = utcnow()
    db.session.commit()
    assert generation() == was + 1
