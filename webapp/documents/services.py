"""Fill a document, name its file, audit the download and send it."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO
from typing import Any

from flask import Response, send_file

from webapp.audit.services import record_operation
from webapp.documents.layout import to_bytes
from webapp.documents.registry import DocumentSpec
from webapp.documents.talks import ReminderLetter, reminder_letter
from webapp.downloads import content_disposition
from webapp.extensions import db
from webapp.models import Cadre

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Characters no common file system accepts in a name, and path separators.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def file_name(title: str, whom: str, day: date) -> str:
    """Name a file by what and whom: 谈话记录表-张三-2026-11-20.docx."""
    whom = _UNSAFE.sub("_", whom).strip(" .") or "_"
    return f"{title}-{whom}-{day.isoformat()}.docx"


def ascii_name(code: str, day: date) -> str:
    """Name a file for clients that cannot read UTF-8 names: talk-record-2026-11-20.docx."""
    return f"{code}-{day.isoformat()}.docx"


def send_docx(data: bytes, name: str, fallback: str) -> Response:
    """Send .docx bytes as a download, never cached.

    The header carries the Chinese name (RFC 6266 ``filename*``) and an ASCII ``filename``
    for clients that read only that one; werkzeug alone would leave ``--2026-11-20.docx``.
    """
    response = send_file(BytesIO(data), mimetype=DOCX, max_age=0)
    response.headers["Content-Disposition"] = content_disposition(name, fallback)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def download(spec: DocumentSpec, record: Any) -> Response:
    """Fill a document from a record the user may see, audit the download, and send it."""
    name = file_name(spec.title, record.cadre_name, spec.dated(record))
    data = to_bytes(spec.build(record))
    record_operation("download", spec.model.__name__, record.id, name)
    db.session.commit()
    return send_docx(data, name, ascii_name(spec.code, spec.dated(record)))


def download_reminder_letter(cadre: Cadre, matters: str, requirements: str, day: date) -> Response:
    """Write a reminder letter to a cadre without a talk (书面提醒), audit and send it."""
    letter = ReminderLetter(cadre.name, matters, requirements, day)
    name = file_name("提醒函", cadre.name, day)
    data = to_bytes(reminder_letter(letter))
    record_operation("download", "Cadre", cadre.id, name)
    db.session.commit()
    return send_docx(data, name, ascii_name("reminder-letter", day))
