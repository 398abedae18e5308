"""The talks register: the unit filter offers only the user's units; impossible ranges are named."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.factories import make_cadre, make_talk, make_unit, make_user
from tests.webapp.talks.test_talks import errors_of
from webapp.models import DataScope


def unit_options(page: str) -> str:
    """Return the <select> of the unit filter."""
    start = page.index('name="unit_id"')
    return page[start : page.index("</select>", start)]


def test_unit_scoped_user_is_offered_only_own_unit(client, login, db, world):
    user = make_user("supervisor", world.own, DataScope.UNIT)
    login(user.username)
    options = unit_options(client.get("/talks/").get_data(as_text=True))
    assert f'value="{world.own.id}"' in options
    assert f'value="{world.other.id}"' not in options and "市教育局" not in options
    assert "某市" not in options


def test_unit_filter_includes_units_below(client, login, db, world):
    section = make_unit("预算科", world.own)
    make_talk(make_cadre(section, name="钱科员"), reason="科室的谈话")
    make_talk(world.cadre, reason="局里的谈话")
    root_user = make_user("supervisor", world.own.parent, DataScope.ALL)
    make_talk(world.stranger, reason="域外的谈话")
    login(root_user.username)
    page = client.get(f"/talks/?unit_id={world.own.id}").get_data(as_text=True)
    assert "科室的谈话" in page and "局里的谈话" in page and "域外的谈话" not in page
    page = client.get(f"/talks/?unit_id={section.id}").get_data(as_text=True)
    assert "科室的谈话" in page and "局里的谈话" not in page


def test_unit_outside_scope_filters_nothing_in(client, login, db, world):
    make_talk(world.stranger, reason="域外的谈话")
    login(world.supervisor.username)
    page = client.get(f"/talks/?unit_id={world.other.id}").get_data(as_text=True)
    assert "域外的谈话" not in page


def test_reversed_date_range_is_named_beside_the_field_and_kept(client, login, db, world):
    make_talk(
        world.cadre,
        reason="十月的谈话",
        started_at=datetime(2026, 10, 9, 1, 0, tzinfo=UTC),
        ended_at=datetime(2026, 10, 9, 2, 0, tzinfo=UTC),
    )
    login(world.supervisor.username)
    response = client.get("/talks/?date_from=2026-11-01&date_to=2026-10-01")
    page = response.get_data(as_text=True)
    assert "截止日期不能早于起始日期" in errors_of(page, "date_to")
    assert 'value="2026-11-01"' in page and 'value="2026-10-01"' in page
