"""Attachments on talks: uploaded with the form or later, refused by content, scoped downloads."""

from __future__ import annotations

from io import BytesIO

import pytest
from sqlalchemy import select

from tests.factories import make_talk, make_user
from tests.webapp.attachments.files import PDF
from tests.webapp.talks.test_talks import errors_of, talk_form
from webapp.models import Attachment, AuditLog, DataScope, Talk

EXE = b"MZ\x90\x00" + b"\x00" * 200


@pytest.fixture(autouse=True)
def upload_dir(app, tmp_path, monkeypatch):
    """Store uploads in a fresh folder per test."""
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(folder))
    return folder


def with_files(data: dict, *files: tuple[bytes, str]) -> dict:
    return {**data, "attachments": [(BytesIO(content), name) for content, name in files]}


def test_files_uploaded_with_the_form_belong_to_the_talk(client, login, db, world):
    login(world.supervisor.username)
    response = client.post(
        "/talks/new",
        data=with_files(talk_form(world.cadre), (PDF, "谈话笔录.pdf")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    talk = db.session.scalars(select(Talk)).one()
    attachment = db.session.scalars(select(Attachment)).one()
    assert (attachment.owner_type, attachment.owner_id) == ("Talk", talk.id)
    page = client.get(f"/talks/{talk.id}").get_data(as_text=True)
    assert "谈话笔录.pdf" in page
    download = client.get(f"/attachments/{attachment.id}/download")
    assert download.status_code == 200 and download.data == PDF
    download.close()


def test_a_refused_file_keeps_the_form_and_saves_nothing(client, login, db, world):
    login(world.supervisor.username)
    data = talk_form(world.cadre, place="第二会议室")
    response = client.post(
        "/talks/new",
        data=with_files(data, (EXE, "笔录.pdf"), (PDF, "签收单.pdf")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "不是允许的类型" in errors_of(page, "attachments")
    assert 'value="第二会议室"' in page  # what was typed is still there
    assert "签收单.pdf" in page  # the good file is kept, staged
    assert db.session.scalars(select(Talk)).first() is None
    staged = db.session.scalars(select(Attachment)).one()
    assert staged.owner_id is None

    again = client.post("/talks/new", data={**data, "staged_ids": str(staged.id)})
    assert again.status_code == 302
    talk = db.session.scalars(select(Talk)).one()
    db.session.refresh(staged)
    assert staged.owner_id == talk.id


def test_files_added_later_and_removed(client, login, db, world):
    talk = make_talk(world.cadre)
    login(world.supervisor.username)
    response = client.post(
        f"/talks/{talk.id}/attachments",
        data={"attachments": [(BytesIO(PDF), "书面检查.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    attachment = db.session.scalars(select(Attachment)).one()
    assert attachment.owner_id == talk.id
    removed = client.post(f"/attachments/{attachment.id}/remove")
    assert removed.status_code == 302
    assert removed.headers["Location"].endswith(f"/talks/{talk.id}#attachments")
    db.session.refresh(attachment)
    assert attachment.removed_at is not None


def test_attachment_of_a_talk_outside_scope_is_404(client, login, db, world):
    talk = make_talk(world.stranger)
    owner = make_user("supervisor", world.other, DataScope.UNIT)
    login(owner.username)
    client.post(
        f"/talks/{talk.id}/attachments",
        data={"attachments": [(BytesIO(PDF), "域外.pdf")]},
        content_type="multipart/form-data",
    )
    attachment = db.session.scalars(select(Attachment)).one()
    client.post("/auth/logout")
    login(world.supervisor.username)
    assert client.get(f"/attachments/{attachment.id}/download").status_code == 404
    assert client.post(f"/attachments/{attachment.id}/remove").status_code == 404
    upload = client.post(
        f"/talks/{talk.id}/attachments",
        data={"attachments": [(BytesIO(PDF), "x.pdf")]},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 404
    assert not db.session.scalars(
        select(AuditLog).where(
            AuditLog.action == "download", AuditLog.user_id == world.supervisor.id
        )
    ).first()
