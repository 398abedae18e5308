"""What every logged-in request pays: the session record and its user in one statement."""

from __future__ import annotations

from tests.factories import make_unit, make_user
from tests.statements import counted_statements


def test_the_session_and_its_user_are_read_in_one_statement(app, client, login):
    make_user("supervisor", make_unit(), username="lisi")
    login("lisi")
    with app.app_context():  # a request of its own, as served: nothing cached in the test's g
        client.get("/")
        with counted_statements() as statements:
            assert client.get("/").status_code == 200
    reading_users = [s for s in statements if "FROM app_user" in s or "JOIN app_user" in s]
    reading_sessions = [s for s in statements if "FROM user_session" in s]
    assert len(reading_sessions) == 1
    assert reading_users == reading_sessions  # the same one statement
    assert sum("FROM parameter" in s for s in statements) == 1  # once, however many read it
