"""BENCH_SQL_LOG: the benchmark's record of a marked request's statements."""

from __future__ import annotations

import pickle

from sqlalchemy import text

from webapp import create_app
from webapp.extensions import db
from webapp.statement_log import HEADER


def records(path) -> list[tuple]:
    """Return every record the server processes wrote."""
    found = []
    for file in path.parent.glob(path.name + ".*"):
        with open(file, "rb") as stream:
            while True:
                try:
                    found.append(pickle.load(stream))
                except EOFError:
                    break
    return found


def test_only_marked_requests_are_recorded_with_their_parameters(tmp_path):
    log = tmp_path / "statements"
    app = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'b.db'}", "BENCH_SQL_LOG": str(log)},
    )

    @app.get("/_test/select")
    def select():
        return str(db.session.scalar(text("SELECT :n + 1"), {"n": 41}))

    client = app.test_client()
    assert client.get("/_test/select").get_data(as_text=True) == "42"
    assert records(log) == []
    assert client.get("/_test/select", headers={HEADER: "one"}).status_code == 200
    (tag, statement, parameters, many), *rest = [r for r in records(log) if "SELECT" in r[1]]
    assert (tag, parameters, many, rest) == ("one", (41,), False, [])
    assert statement.startswith("SELECT ?")
    with app.app_context():
        db.engine.dispose()
