"""The chain is keyed and its heads are recorded outside the database: cuts and rewrites show."""

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from tests.factories import make_unit, make_user
from webapp.audit.chain import GENESIS, TABLES, canonical, digest
from webapp.audit.checks import ChainBroken, check, daily_record
from webapp.audit.heads import Head, append_heads, read_heads
from webapp.audit.verify import verify_table
from webapp.models import AccessLog
from webapp.security.crypto import keys_for, log_chain_key

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
ACCESS = TABLES["access_log"]


def plain_sha256(table, row) -> str:
    """Hash a row as an attacker without the key would: the old unkeyed SHA-256."""
    return hashlib.sha256(canonical(table, row)).hexdigest()


def rewrite(db, row_id: int, username: str, hasher) -> None:
    """Change one access-log row and recompute every hash from it on, as a forger would."""
    db.session.execute(
        sa.text("UPDATE access_log SET username = :u WHERE id = :id"), {"u": username, "id": row_id}
    )
    previous = GENESIS
    for row in db.session.execute(select(ACCESS).order_by(ACCESS.c.id)).mappings().all():
        if row["id"] < row_id:
            previous = row["row_hash"]
            continue
        values = {**row, "prev_hash": previous}
        previous = hasher(ACCESS, values)
        db.session.execute(
            sa.text("UPDATE access_log SET prev_hash = :p, row_hash = :h WHERE id = :id"),
            {"p": values["prev_hash"], "h": previous, "id": row["id"]},
        )


def access_report(db, head_file):
    return verify_table(db.session.connection(), ACCESS, read_heads(head_file).get("access_log"))


@pytest.fixture
def accesses(db):
    """Write four access-log rows through the ORM; return their ids."""
    rows = [
        AccessLog(username=f"reader{n}", object_type="Cadre", object_id=str(n)) for n in range(4)
    ]
    db.session.add_all(rows)
    db.session.commit()
    return [row.id for row in rows]


def test_the_chain_key_is_derived_apart_from_the_data_key(app, db, accesses):
    data_key = app.config["DATA_KEY"]
    key = log_chain_key(data_key)
    assert len(key) == 32
    assert key not in (base64.urlsafe_b64decode(data_key), keys_for(data_key)[1])
    assert (
        log_chain_key(base64.urlsafe_b64encode(b"another-data-key-of-32-bytes!!!!").decode()) != key
    )
    row = db.session.execute(select(ACCESS).where(ACCESS.c.id == accesses[0])).mappings().one()
    content = canonical(ACCESS, row)
    assert row["row_hash"] == hmac.new(key, content, hashlib.sha256).hexdigest()
    assert row["row_hash"] != hashlib.sha256(content).hexdigest()


def test_a_row_rewritten_with_plain_sha256_hashes_is_found(db, accesses, head_file):
    rewrite(db, accesses[1], "forged", plain_sha256)
    broken = access_report(db, head_file).broken
    assert (broken.row_id, broken.problem) == (accesses[1], "altered")


def test_deleting_the_last_row_is_found_once_a_head_was_recorded(db, accesses, head_file):
    assert check(db.session.connection(), "cli", NOW).intact
    db.session.execute(sa.text("DELETE FROM access_log WHERE id = :id"), {"id": accesses[3]})
    report = access_report(db, head_file)
    assert (report.broken.problem, report.broken.previous_id) == ("head_gone", accesses[3])
    assert (
        f"#{accesses[3]}" in report.broken.message
        and "2026-12-01T08:00:00+00:00" in report.broken.message
    )


def test_the_cli_names_the_log_whose_last_rows_were_cut(app, db, accesses):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    db.session.execute(sa.text("DELETE FROM access_log WHERE id >= :id"), {"id": accesses[2]})
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "access_log: 已损坏" in result.output and f"#{accesses[3]}" in result.output
    assert "audit_log: 完好" in result.output


def test_a_rewrite_by_someone_with_the_key_changes_the_recorded_head(db, accesses, head_file):
    check(db.session.connection(), "cli", NOW)
    rewrite(db, accesses[1], "forged", digest)
    assert verify_table(db.session.connection(), ACCESS).intact  # the chain alone cannot tell
    broken = access_report(db, head_file).broken
    assert (broken.row_id, broken.problem) == (accesses[3], "head_changed")


def test_a_log_with_fewer_rows_than_recorded_is_found(db, accesses, head_file):
    found = check(db.session.connection(), "cli", NOW).latest("access_log")
    append_heads(head_file, [Head(**{**found.__dict__, "rows": found.rows + 5})])
    report = access_report(db, head_file)
    assert (report.broken.row_id, report.broken.problem) == (None, "fewer_rows")
    assert f"少于 2026-12-01T08:00:00+00:00 记录的 {found.rows + 5} 行" in report.broken.message


def test_only_intact_logs_get_a_new_head(db, accesses, head_file):
    first = check(db.session.connection(), "cli", NOW)
    assert {head.table for head in first.written} == set(TABLES)
    db.session.execute(sa.text("DELETE FROM access_log WHERE id = :id"), {"id": accesses[3]})
    second = check(db.session.connection(), "daily", NOW)
    assert {head.table for head in second.written} == set(TABLES) - {"access_log"}
    assert second.latest("access_log") == first.latest("access_log")
    assert not check(db.session.connection(), "cli", NOW).intact  # it keeps failing


def test_heads_are_appended_as_json_lines_and_the_furthest_is_used(db, accesses, head_file):
    check(db.session.connection(), "cli", NOW)
    db.session.add(AccessLog(username="later", object_type="Cadre", object_id="9"))
    db.session.commit()
    check(db.session.connection(), "page", NOW)
    stale = read_heads(head_file)["access_log"]
    lines = head_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 * len(TABLES)
    assert json.loads(lines[0]).keys() == {"table", "last_id", "last_hash", "rows", "at", "by"}
    with head_file.open("a", encoding="utf-8") as out:  # an older head appended late, a torn line
        out.write(lines[0] if json.loads(lines[0])["table"] == "access_log" else lines[2])
        out.write("\n" + lines[-1][:20])
    newest = read_heads(head_file)["access_log"]
    assert newest == stale and newest.by == "page" and newest.rows == 5


def test_a_head_that_cannot_be_written_fails_the_cli(app, db, accesses, tmp_path, monkeypatch):
    (tmp_path / "not-a-folder").write_text("")
    monkeypatch.setitem(app.config, "AUDIT_HEAD_FILE", str(tmp_path / "not-a-folder" / "heads"))
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "链头文件无法读写" in result.output


def test_the_daily_record_records_heads_and_fails_on_a_break(db, accesses, head_file):
    assert daily_record(NOW)["access_log"] == 4
    assert read_heads(head_file)["access_log"].by == "daily"
    db.session.execute(sa.text("DELETE FROM access_log WHERE id = :id"), {"id": accesses[3]})
    db.session.commit()
    with pytest.raises(ChainBroken, match="access_log"):
        daily_record(NOW)


def test_the_page_shows_the_latest_recorded_head_to_copy(client, login, db, accesses, head_file):
    make_user("auditor", make_unit(), username="head_copier")
    login("head_copier")
    page = client.get("/audit/verify").get_data(as_text=True)
    recorded = read_heads(head_file)["access_log"]
    assert recorded.by == "page" and recorded.line() in page.replace("&#34;", '"')
    cut = sa.text("DELETE FROM access_log WHERE id >= :id")  # the head and the page's own read
    db.session.execute(cut, {"id": recorded.last_id})
    page = client.get("/audit/verify").get_data(as_text=True)
    assert "已损坏" in page and "链尾的行被删除" in page
    assert recorded.line() in page.replace("&#34;", '"')  # the head it was checked against


def test_a_test_app_without_a_head_file_keeps_no_heads(app, db, accesses, monkeypatch):
    monkeypatch.delitem(app.config, "AUDIT_HEAD_FILE")
    result = check(db.session.connection(), "cli", NOW)
    assert result.intact and result.path is None and result.written == []
    assert not (Path(app.instance_path) / "audit-heads.jsonl").exists()
