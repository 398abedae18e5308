"""Both file stores keep, hand back, size and delete files alike; the database one is atomic."""

from __future__ import annotations

import io
import os

import pytest
from sqlalchemy import func, select

from tests.factories import make_cadre, make_report, make_unit, make_user
from tests.webapp.attachments.files import PDF
from tests.webapp.imports.xlsx import CADRE_HEADERS, cadre_row, token_of, upload, write_xlsx
from webapp.attachments.services import store
from webapp.models import Cadre, DataScope, ImportJob, StoredChunk
from webapp.storage import files

BIG = os.urandom(2 * 1024 * 1024 + 123)  # three chunks in the database


@pytest.fixture(params=["folder", "database"])
def backend(request, app, tmp_path, monkeypatch):
    """Point both areas at one backend; the folders exist but must stay empty for `database`."""
    for key, folder in (("UPLOAD_DIR", "uploads"), ("IMPORT_DIR", "imports")):
        (tmp_path / folder).mkdir()
        monkeypatch.setitem(app.config, key, str(tmp_path / folder))
    monkeypatch.setitem(app.config, "STORAGE_BACKEND", request.param)
    return request.param


def files_on_disk(tmp_path) -> list[str]:
    return sorted(str(p) for p in tmp_path.rglob("*") if p.is_file())


@pytest.mark.parametrize("content", [b"", b"short", BIG], ids=["empty", "short", "chunked"])
def test_a_saved_file_comes_back_whole_until_deleted(db, app, backend, content):
    with app.test_request_context():
        store_ = files("attachments")
        assert store_.save("ab12", io.BytesIO(content)) == len(content)
        assert store_.size("ab12") == len(content)
        with store_.open("ab12") as back:
            assert back.read() == content
        with store_.local_copy("ab12") as path:
            assert path.read_bytes() == content
        store_.delete("ab12")
        assert store_.size("ab12") is None
        with pytest.raises(FileNotFoundError):
            store_.open("ab12")


def test_what_is_written_to_a_path_is_stored_and_replaces_the_old(db, app, backend):
    with app.test_request_context():
        store_ = files("imports")
        store_.save("job.jsonl", io.BytesIO(b"old"))
        with store_.writing("job.jsonl") as path:
            path.write_text("新的内容", encoding="utf-8")
        with store_.open("job.jsonl") as back:
            assert back.read().decode() == "新的内容"


def test_areas_do_not_share_names(db, app, backend):
    with app.test_request_context():
        files("attachments").save("same", io.BytesIO(b"a"))
        files("imports").save("same", io.BytesIO(b"bb"))
        assert (files("attachments").size("same"), files("imports").size("same")) == (1, 2)


def test_the_database_store_keeps_nothing_of_a_rolled_back_request(db, app, monkeypatch):
    monkeypatch.setitem(app.config, "STORAGE_BACKEND", "database")
    with app.test_request_context():
        nested = db.session.begin_nested()
        files("attachments").save("gone", io.BytesIO(b"x"))
        nested.rollback()
        assert files("attachments").size("gone") is None


def test_an_attachment_uploaded_to_the_database_is_downloaded_from_it(
    db, app, client, login, backend, tmp_path
):
    unit = make_unit("市财政局")
    user = make_user("supervisor", unit, DataScope.UNIT_AND_BELOW)
    info = make_report(make_cadre(unit, "王建国"))
    with app.test_request_context():
        attachment = store(io.BytesIO(PDF), "来信.pdf", "negative_info", user, info.id)
    db.session.flush()
    login(user.username)
    response = client.get(f"/attachments/{attachment.id}/download")
    body = response.get_data()
    response.close()
    assert (response.status_code, body) == (200, PDF)
    stored_rows = db.session.scalar(select(func.count()).select_from(StoredChunk))
    if backend == "database":
        assert files_on_disk(tmp_path) == [] and stored_rows == 1
    else:
        assert len(files_on_disk(tmp_path)) == 1 and stored_rows == 0


def test_an_import_previews_and_writes_from_the_database_store(
    db, app, client, login, backend, tmp_path
):
    unit = make_unit("市委办公室")
    login(make_user("supervisor", unit, DataScope.UNIT_AND_BELOW).username)
    workbook = write_xlsx(tmp_path / "干部.xlsx", CADRE_HEADERS, [cadre_row(unit)])
    token = token_of(upload(client, workbook))
    job = db.session.scalars(select(ImportJob).where(ImportJob.token == token)).one()
    assert job.state == "valid", (job.errors, job.message)
    if backend == "database":
        assert files_on_disk(tmp_path / "imports") == []
        assert db.session.scalar(select(func.count()).select_from(StoredChunk)) == 2
    client.post(f"/excel/jobs/{token}/confirm")
    assert db.session.scalar(select(func.count(Cadre.id)).where(Cadre.unit_id == unit.id)) == 1
    assert db.session.scalar(select(func.count()).select_from(StoredChunk)) == 0
