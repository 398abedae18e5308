"""Attachment downloads name the file for every client: UTF-8 and a readable ASCII fallback."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest

from tests.factories import make_cadre, make_report, make_unit, make_user
from tests.webapp.attachments.files import PDF
from webapp.attachments.services import store
from webapp.models import DataScope


@pytest.fixture
def upload_dir(app, tmp_path, monkeypatch):
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(folder))
    return folder


def ascii_file_name(disposition: str) -> str:
    plain = [
        part.strip()
        for part in disposition.split(";")
        if part.strip().lower().startswith("filename=")
    ]
    assert len(plain) == 1, disposition
    return plain[0].split("=", 1)[1].strip('"')


@pytest.mark.parametrize(
    ("uploaded_as", "fallback"),
    [
        ("来信扫描件.pdf", "attachment-{id}.pdf"),
        ('scan "final".pdf', "attachment-{id}.pdf"),
        ("scan-2026_03.pdf", "scan-2026_03.pdf"),
    ],
)
def test_download_has_a_readable_ascii_file_name(
    client, db, login, upload_dir, uploaded_as, fallback
):
    unit = make_unit("市财政局")
    user = make_user("supervisor", unit, DataScope.UNIT_AND_BELOW)
    info = make_report(make_cadre(unit, "王建国"))
    attachment = store(io.BytesIO(PDF), uploaded_as, "negative_info", user, info.id)
    db.session.flush()
    login(user.username)
    response = client.get(f"/attachments/{attachment.id}/download")
    response.close()
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert ascii_file_name(disposition) == fallback.format(id=attachment.id)
    assert f"filename*=UTF-8''{quote(attachment.original_name, safe='')}" in disposition
