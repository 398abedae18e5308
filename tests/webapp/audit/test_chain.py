"""Every log row is chained to the one before it; verification names the first row tampered with."""

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from tests.factories import make_unit, make_user
from webapp.audit.chain import TABLES, digest
from webapp.audit.recorder import AppendOnlyError
from webapp.audit.verify import verify_all, verify_table
from webapp.models import AccessLog, AuditLog, LoginLog


def report_of(db, table: str):
    return verify_table(db.session.connection(), TABLES[table])


def raw_insert(db, columns: list[str], values: dict) -> None:
    """Insert an access-log row with plain SQL, as someone going round the application would."""
    table = TABLES["access_log"]
    statement = sa.text(
        f"INSERT INTO access_log ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"
    ).bindparams(*(sa.bindparam(c, type_=table.c[c].type) for c in columns))
    db.session.execute(statement, {c: values[c] for c in columns})


def access(n: int) -> AccessLog:
    return AccessLog(username=f"reader{n}", object_type="Cadre", object_id=str(n))


@pytest.fixture
def accesses(db):
    """Write four access-log rows through the ORM; return their ids."""
    rows = [access(n) for n in range(4)]
    db.session.add_all(rows)
    db.session.commit()
    return [row.id for row in rows]


def test_rows_written_every_way_the_app_writes_form_intact_chains(db, accesses):
    make_unit("留痕单位")  # an audit row from the session hook (a Core executemany)
    db.session.execute(sa.insert(AuditLog), [{"action": "export", "object_type": "Cadre"}] * 3)
    db.session.add(LoginLog(username="someone", success=False, reason="unknown_user"))
    db.session.flush()
    assert all(report.intact for report in verify_all(db.session.connection()))
    first, second = db.session.get(AccessLog, accesses[0]), db.session.get(AccessLog, accesses[1])
    assert second.prev_hash == first.row_hash and len(first.row_hash) == 64
    assert first.row_hash == digest(TABLES["access_log"], first.__dict__)
    assert first.at is not None  # the ORM object reads back what the hook filled in


def test_an_edited_row_is_named(db, accesses):
    db.session.execute(
        sa.text("UPDATE access_log SET username = 'someone_else' WHERE id = :id"),
        {"id": accesses[2]},
    )
    broken = report_of(db, "access_log").broken
    assert (broken.row_id, broken.problem) == (accesses[2], "altered")
    assert "被修改" in broken.message


def test_an_edited_row_with_a_recomputed_hash_breaks_the_next_link(db, accesses):
    row = dict(
        db.session.execute(select(AccessLog.__table__).where(AccessLog.id == accesses[1]))
        .mappings()
        .one()
    )
    row["username"] = "forged"
    db.session.execute(
        sa.text("UPDATE access_log SET username = 'forged', row_hash = :h WHERE id = :id"),
        {"h": digest(TABLES["access_log"], row), "id": accesses[1]},
    )
    broken = report_of(db, "access_log").broken
    assert (broken.row_id, broken.problem, broken.previous_id) == (
        accesses[2],
        "deleted",
        accesses[1],
    )


def test_a_deleted_row_is_named_by_the_row_after_it(db, accesses):
    db.session.execute(sa.text("DELETE FROM access_log WHERE id = :id"), {"id": accesses[1]})
    broken = report_of(db, "access_log").broken
    assert (broken.row_id, broken.problem, broken.previous_id) == (
        accesses[2],
        "deleted",
        accesses[0],
    )
    assert f"#{accesses[0]}" in broken.message


def test_deleting_the_first_rows_is_found(db, accesses):
    db.session.execute(sa.text("DELETE FROM access_log WHERE id <= :id"), {"id": accesses[0]})
    broken = report_of(db, "access_log").broken
    assert (broken.row_id, broken.problem) == (accesses[1], "bad_start")


def test_a_row_inserted_behind_the_apps_back_is_named(db, accesses):
    ghost = {"username": "ghost", "object_type": "Cadre", "object_id": "1", "path": "", "ip": ""}
    ghost["at"] = db.session.get(AccessLog, accesses[0]).at
    raw_insert(db, list(ghost), ghost)
    ghost = db.session.scalar(select(AccessLog.id).where(AccessLog.username == "ghost"))
    broken = report_of(db, "access_log").broken
    assert (broken.row_id, broken.problem) == (ghost, "missing_hash")


def test_a_forged_row_slipped_into_a_gap_is_named(db):
    start = (db.session.scalar(select(func.max(AccessLog.id))) or 0) + 100
    db.session.add(AccessLog(id=start, username="a", object_type="Cadre", object_id="1"))
    db.session.flush()
    db.session.add(AccessLog(id=start + 2, username="b", object_type="Cadre", object_id="2"))
    db.session.flush()
    table = TABLES["access_log"]
    first = dict(db.session.execute(select(table).where(table.c.id == start)).mappings().one())
    forged = {**first, "id": start + 1, "username": "forger", "prev_hash": first["row_hash"]}
    forged["row_hash"] = digest(table, forged)
    raw_insert(db, list(forged), forged)
    broken = report_of(db, "access_log").broken
    assert (broken.row_id, broken.problem) == (start + 1, "inserted")


def test_the_app_refuses_core_updates_of_log_tables(db, accesses):
    with pytest.raises(AppendOnlyError):
        db.session.execute(sa.update(AccessLog).values(username="x"))
    db.session.rollback()
    assert report_of(db, "access_log").intact


def test_the_cli_verifies_and_names_the_broken_row(app, db, accesses):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "access_log: 完好" in result.output
    db.session.execute(sa.text("DELETE FROM access_log WHERE id = :id"), {"id": accesses[2]})
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"access_log: 第 #{accesses[3]} 行损坏" in result.output


def test_the_auditor_verifies_from_the_log_pages(client, login, db, accesses):
    make_user("auditor", make_unit(), username="verifier")
    login("verifier")
    page = client.get("/audit/operations").get_data(as_text=True)
    assert "校验日志链" in page and "/audit/verify" in page
    assert client.get("/audit/verify").get_data(as_text=True).count("完好") == 3
    db.session.execute(
        sa.text("UPDATE access_log SET object_id = '999' WHERE id = :id"), {"id": accesses[1]}
    )
    page = client.get("/audit/verify").get_data(as_text=True)
    assert "已损坏" in page and f"#{accesses[1]}" in page and "该行被修改" in page


def test_only_the_auditor_verifies(client, login, db):
    for role in ("sysadmin", "secadmin", "supervisor"):
        make_user(role, make_unit(), username=f"not_auditor_{role}")
        login(f"not_auditor_{role}")
        assert client.get("/audit/verify").status_code == 403
        client.post("/auth/logout")


@pytest.mark.parametrize(
    "other",
    [
        {"object_type": "Cadre", "object_id": "2"},  # the same chain
        {"username": "x", "success": False},  # another chain: one lock, so no deadlock
    ],
    ids=["same_log", "other_log"],
)
def test_two_writers_queue_for_the_chain_on_postgresql(app, db, other):
    if app.config["DB_KIND"] != "postgresql":
        pytest.skip("SQLite writers queue on BEGIN IMMEDIATE already")
    model = AccessLog if "object_type" in other else LoginLog
    with db.engine.connect() as first, db.engine.connect() as second:
        first.execute(sa.insert(AccessLog), {"object_type": "Cadre", "object_id": "1"})
        second.execute(sa.text("SET LOCAL lock_timeout = '100ms'"))
        with pytest.raises(sa.exc.OperationalError, match="lock timeout"):
            second.execute(sa.insert(model), other)
        second.rollback()
        first.rollback()
