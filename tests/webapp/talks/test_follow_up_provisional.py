"""A 回访 date in a year whose holidays are not entered (2027) is marked 暂定, list and page alike."""

from __future__ import annotations

from datetime import date

from tests.factories import make_talk
from tests.talk_fixtures import frozen  # noqa: F401  (talk dates are relative to its clock)

MARK = "data-provisional"


def test_a_2027_follow_up_is_provisional_and_a_2026_one_is_not(client, login, db, world):
    later = make_talk(world.cadre, follow_up_on=date(2027, 2, 22))
    sooner = make_talk(world.cadre, follow_up_on=date(2026, 12, 21))
    db.session.commit()
    login(world.supervisor.username)
    assert MARK in client.get(f"/talks/{later.id}").get_data(as_text=True)
    assert MARK not in client.get(f"/talks/{sooner.id}").get_data(as_text=True)
    rows = client.get("/talks/").get_data(as_text=True).split("<tbody>")[1].split("</tr>")
    marked = [row for row in rows if MARK in row]
    assert len(marked) == 1 and "2027-02-22" in marked[0]


def test_a_talk_without_follow_up_is_not_marked(client, login, db, world):
    talk = make_talk(world.cadre, talk_type="heart", follow_up_on=None)
    db.session.commit()
    login(world.supervisor.username)
    page = client.get(f"/talks/{talk.id}").get_data(as_text=True)
    assert "未安排" in page and MARK not in page
