"""SQL statements per request for the warning pages: `python -m bench.statements`.

A fresh SQLite file gets the reference data, a unit, the workflow's people and a cadre with
one verified negative-information item; then each request runs once through the test client
while an engine listener counts the statements it sends. Printed as a table.
"""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import event

PASSWORD = "Bench-Passw0rd!"


@contextmanager
def counting(engine):
    """Count the statements the engine sends inside the block."""
    seen: list[str] = []

    def before(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


def _world():
    from tests.factories import make_cadre, make_report, make_unit, make_user
    from webapp.extensions import db
    from webapp.models import DataScope

    root = make_unit("某市")
    unit = make_unit("市财政局", root)
    users = {
        role: make_user(role, root, DataScope.ALL, username=f"b_{role}", password=PASSWORD)
        for role in ("supervisor", "reviewer", "approver", "minister")
    }
    cadre = make_cadre(unit, "王建国")
    info = make_report(cadre, users["supervisor"], status="true", verified_on=date(2026, 1, 20))
    db.session.commit()
    return cadre.id, info.id


def measure() -> list[tuple[str, int, int]]:
    """Return (request, status, statements) for the three measured requests.

    Each request runs in its own app context, as under a real server (a shared one would keep
    per-request caches alive between requests and count their reloads).
    """
    from webapp import create_app
    from webapp.extensions import db
    from webapp.models import Warning
    from webapp.seed.reference import ensure_reference_data

    folder = Path(tempfile.mkdtemp())
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'b.db'}"})
    with app.app_context():
        db.create_all()
        ensure_reference_data()
        cadre_id, info_id = _world()
        engine = db.engine
    client = app.test_client()
    client.post("/auth/login", data={"username": "b_supervisor", "password": PASSWORD})
    rows = []
    with counting(engine) as seen:
        resp = client.post(
            f"/warnings/new?cadre_id={cadre_id}",
            data={"items": [info_id], "tier": "1", "reason": "经研判", "save_submit": "1"},
        )
    rows.append(("POST 保存并送审", resp.status_code, len(seen)))
    with app.app_context():
        warning_id, version = db.session.execute(db.select(Warning.id, Warning.version)).one()
    with counting(engine) as seen:
        resp = client.get(f"/warnings/{warning_id}")
    rows.append(("GET 预警详情", resp.status_code, len(seen)))
    client.post("/auth/logout")
    client.post("/auth/login", data={"username": "b_reviewer", "password": PASSWORD})
    with counting(engine) as seen:
        resp = client.post(
            f"/warnings/{warning_id}/events/approve",
            data={"approve-comment": "同意", "approve-version": str(version)},
        )
    rows.append(("POST 审批通过", resp.status_code, len(seen)))
    return rows


def main() -> None:
    """Print the table."""
    print("| request | status | SQL statements |")
    print("|---|---|---|")
    for name, status, count in measure():
        print(f"| {name} | {status} | {count} |")


if __name__ == "__main__":
    main()
