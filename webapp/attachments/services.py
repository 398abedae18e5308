"""Check uploads by content, store them under random names, and hand them back safely.

The first bytes name a file's type (`sniff`); `webapp.attachments.inspect` then checks the
whole structure of that type and re-encodes images, and only what passed is stored.

Any area can hold attachments: it registers an `Owner` under a short type name saying how
to find the owning record for viewing and for editing (both within the user's scope, None
otherwise) and what to do after a file is added or removed (write its history).
"""

from __future__ import annotations

import hashlib
import io
import secrets
import shutil
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, Any

import filetype
from flask import Blueprint, current_app, request
from flask_babel import gettext as _
from sqlalchemy import select

from webapp import signals
from webapp.attachments.inspect import Unsafe, check_ooxml, check_pdf, clean_image
from webapp.clock import utc_now
from webapp.extensions import db
from webapp.lookups import param_int, param_str
from webapp.models import Attachment, User
from webapp.signals import answers
from webapp.storage import files
from webapp.storage.store import FileStore


@dataclass(frozen=True)
class FileKind:
    """A file type we accept: its name, extension and the MIME type we serve it with."""

    kind: str
    extension: str
    content_type: str


KINDS = {
    "pdf": FileKind("pdf", "pdf", "application/pdf"),
    "jpg": FileKind("jpg", "jpg", "image/jpeg"),
    "png": FileKind("png", "png", "image/png"),
    "docx": FileKind(
        "docx",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": FileKind(
        "xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
}
# The part each Office Open XML package must hold; a plain zip or another Office file has none.
OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
# What filetype names the kinds we accept (any other guess is refused).
SNIFFED_KINDS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
ZIP_MIMES = frozenset(
    {
        "application/zip",
        *(kind.content_type for kind in KINDS.values() if kind.kind in OOXML_MAIN_PART),
    }
)
MAX_NAME_CHARS = 100
HEAD_BYTES = 1024


class RejectedFile(ValueError):
    """A file we refuse; the message names the file and says why, in Chinese."""


def sniff(stream: IO[bytes]) -> str | None:
    """Return the kind of a file judged by its content (never its name), or None."""
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    guessed = filetype.guess(head)
    if guessed is None:
        # PDF readers accept the header anywhere in the first 1024 bytes (after a BOM,
        # blanks, a mail header); filetype wants it first, so we look further ourselves,
        # but only in a file no other signature has claimed.
        return "pdf" if b"%PDF-" in head else None
    if guessed.mime in ZIP_MIMES:
        # filetype guesses Office files from the first bytes of the archive; the package's
        # main part is what makes a zip a Word document or a workbook.
        return _ooxml_kind(stream)
    return SNIFFED_KINDS.get(guessed.mime)


def _ooxml_kind(stream: IO[bytes]) -> str | None:
    # Reading the central directory only: nothing is decompressed, so a zip bomb costs nothing.
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        stream.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for kind, part in OOXML_MAIN_PART.items():
        if part in names:
            return kind
    return None


def clean_name(raw: str | None, extension: str) -> str:
    """Return a safe display name: no folders, no control characters, the true extension."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().lstrip(".").strip()
    stem = name.rsplit(".", 1)[0].strip() if "." in name else name
    stem = stem[:MAX_NAME_CHARS] or _("附件")
    # The content decided the type, so the name carries that type's extension: a PDF
    # uploaded as "scan.exe" is offered back as "scan.pdf".
    return f"{stem}.{extension}"


def allowed_kinds() -> list[str]:
    """Return the kinds the `upload.allowed_types` parameter allows (known kinds only)."""
    wanted = [k.strip().lower() for k in param_str("upload.allowed_types").split(",")]
    return [k for k in wanted if k in KINDS]


def max_bytes() -> int:
    """Return the largest file accepted, from the `upload.max_mb` parameter."""
    return param_int("upload.max_mb") * 1024 * 1024


def stream_size(stream: IO[bytes]) -> int:
    """Return a seekable stream's size without reading it."""
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def check_file(stream: IO[bytes], filename: str | None) -> FileKind:
    """Return the file's kind, or raise RejectedFile (too large, empty, wrong content)."""
    return prepare(stream, filename)[0]


def prepare(stream: IO[bytes], filename: str | None) -> tuple[FileKind, IO[bytes]]:
    """Return the file's kind and the bytes to keep (an image re-encoded), or raise."""
    shown = clean_name(filename, "").rstrip(".") or _("附件")
    size = stream_size(stream)
    if size == 0:
        raise RejectedFile(_("文件“%(name)s”是空文件", name=shown))
    limit_mb = param_int("upload.max_mb")
    if size > max_bytes():
        raise RejectedFile(
            _(
                "文件“%(name)s”大小为 %(size).1f MB，超过 %(limit)s MB 的上限",
                name=shown,
                size=size / 1024 / 1024,
                limit=limit_mb,
            )
        )
    kind = sniff(stream)
    allowed = allowed_kinds()
    if kind is None or kind not in allowed:
        raise RejectedFile(
            _(
                "文件“%(name)s”的内容不是允许的类型（%(kinds)s），未上传",
                name=shown,
                kinds="、".join(allowed),
            )
        )
    try:
        cleaned = inspect_content(stream, kind)
    except Unsafe as exc:
        raise RejectedFile(
            _("文件“%(name)s”未上传：%(reason)s", name=shown, reason=str(exc))
        ) from None
    return KINDS[kind], cleaned


def inspect_content(stream: IO[bytes], kind: str) -> IO[bytes]:
    """Check a file's whole structure for its kind; return what to store."""
    if kind == "pdf":
        check_pdf(stream)
    elif kind in OOXML_MAIN_PART:
        check_ooxml(stream)
    else:
        return io.BytesIO(clean_image(stream, kind))
    stream.seek(0)
    return stream


def attachment_files() -> FileStore:
    """Return the store attachments are kept in (never served directly)."""
    return files("attachments")


def store(
    stream: IO[bytes],
    filename: str | None,
    owner_type: str,
    user: User,
    owner_id: int | None = None,
) -> Attachment:
    """Check and store one file, returning its (unsaved-to-commit) Attachment row."""
    kind, stream = prepare(stream, filename)
    stored_name = secrets.token_hex(16)
    digest = hashlib.sha256()
    stream.seek(0)
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
    stream.seek(0)
    size = attachment_files().save(stored_name, stream)
    attachment = Attachment(
        owner_type=owner_type,
        owner_id=owner_id,
        original_name=clean_name(filename, kind.extension),
        stored_name=stored_name,
        kind=kind.kind,
        content_type=kind.content_type,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by_id=user.id,
    )
    db.session.add(attachment)
    return attachment


def store_many(
    files: Iterable[Any], owner_type: str, user: User, owner_id: int | None = None
) -> tuple[list[Attachment], list[str]]:
    """Store every acceptable file; return the stored ones and a message per refused one."""
    stored, errors = [], []
    for file in files:
        if not getattr(file, "filename", None):
            continue  # an empty file input
        try:
            stored.append(store(file.stream, file.filename, owner_type, user, owner_id))
        except RejectedFile as exc:
            errors.append(str(exc))
    db.session.flush()
    return stored, errors


def staged(ids: Iterable[int], owner_type: str, user: User) -> list[Attachment]:
    """Return the user's own staged (not yet owned) files among the given ids."""
    ids = [i for i in ids if i]
    if not ids:
        return []
    stmt = select(Attachment).where(
        Attachment.id.in_(ids),
        Attachment.owner_type == owner_type,
        Attachment.owner_id.is_(None),
        Attachment.uploaded_by_id == user.id,
        Attachment.removed_at.is_(None),
    )
    return list(db.session.scalars(stmt.order_by(Attachment.id)))


def claim(ids: Iterable[int], owner_type: str, owner_id: int, user: User) -> list[Attachment]:
    """Give the user's staged files to the record just saved; return them."""
    claimed = staged(ids, owner_type, user)
    for attachment in claimed:
        attachment.owner_id = owner_id
    return claimed


def attachments_of(owner_type: str, owner_id: int) -> list[Attachment]:
    """Return a record's current (not removed) attachments, oldest first."""
    stmt = select(Attachment).where(
        Attachment.owner_type == owner_type,
        Attachment.owner_id == owner_id,
        Attachment.removed_at.is_(None),
    )
    return list(db.session.scalars(stmt.order_by(Attachment.id)))


def parse_ids(text: str | None) -> list[int]:
    """Read "3,5,8" from a hidden field into ids, ignoring anything else."""
    return [int(part) for part in (text or "").split(",") if part.strip().isdigit()]


@dataclass(frozen=True)
class Owner:
    """How an area's records own attachments."""

    # Return the record if the user may see it (for download), else None.
    viewable: Callable[[int, User], Any | None]
    # Return the record if the user may change its attachments, else None.
    editable: Callable[[int, User], Any | None]
    # Called after a file was added or removed, in the same transaction (write history).
    on_change: Callable[[Any, User, str, Attachment], None]
    # Where to go back to after removing a file.
    url: Callable[[Any], str]


def owner_of(owner_type: str) -> Owner | None:
    """Return how records of a type own attachments, as the areas answered at start-up."""
    owners = current_app.extensions.get("attachment_owners")
    if owners is None:
        owners = {}
        for part in answers(signals.attachment_owners, current_app._get_current_object()):
            owners.update(part)
        current_app.extensions["attachment_owners"] = owners
    return owners.get(owner_type)


def viewable_owner(attachment: Attachment, user: User) -> Any | None:
    """Return the record owning a file if the user may see it; staged files: uploader only."""
    if attachment.removed_at is not None:
        return None
    if attachment.owner_id is None:
        return attachment if attachment.uploaded_by_id == user.id else None
    owner = owner_of(attachment.owner_type)
    return owner.viewable(attachment.owner_id, user) if owner else None


def editable_owner(attachment: Attachment, user: User) -> Any | None:
    """Return the record owning a file if the user may change its attachments."""
    if attachment.removed_at is not None or attachment.owner_id is None:
        return None
    owner = owner_of(attachment.owner_type)
    return owner.editable(attachment.owner_id, user) if owner else None


def add_to(record: Any, owner_type: str, files: Iterable[Any], user: User) -> tuple[int, list[str]]:
    """Store files for an existing record, write its history, commit; return (count, errors)."""
    stored, errors = store_many(files, owner_type, user, owner_id=record.id)
    for attachment in stored:
        owner_of(owner_type).on_change(record, user, "attachment_added", attachment)
    db.session.commit()
    return len(stored), errors


def remove(attachment: Attachment, record: Any, user: User) -> None:
    """Take a file off its record; the stored file is kept for the audit trail."""
    attachment.removed_at = utc_now()
    attachment.removed_by_id = user.id
    owner_of(attachment.owner_type).on_change(record, user, "attachment_removed", attachment)
    db.session.commit()


def purge_staged(older_than) -> int:
    """Delete staged files never claimed and uploaded before `older_than`; return how many."""
    stmt = select(Attachment).where(
        Attachment.owner_id.is_(None), Attachment.created_at < older_than
    )
    count = 0
    for attachment in db.session.scalars(stmt):
        attachment_files().delete(attachment.stored_name)
        db.session.delete(attachment)
        count += 1
    db.session.commit()
    return count


def copy_to(attachment: Attachment, out: IO[bytes]) -> None:
    """Copy a stored file's bytes into a stream (for zips and document bundles)."""
    with attachment_files().open(attachment.stored_name) as src:
        shutil.copyfileobj(src, out)


FILES_PER_REQUEST = 5


def allow_large_uploads(blueprint: Blueprint, endpoints: set[str]) -> None:
    """Let a blueprint's upload forms carry files up to the size parameter.

    URL value preprocessors run before CSRF protection parses the form: with the app-wide
    request limit a 30 MB file would end in a bare 413 page and lose every field typed; with
    this one the form comes back intact with the file's error beside it.
    """

    @blueprint.url_value_preprocessor
    def raise_request_limit(endpoint, _values):
        if endpoint in endpoints and request.method == "POST":
            request.max_content_length = max_bytes() * FILES_PER_REQUEST + 2 * 1024 * 1024


@dataclass(frozen=True)
class OwnerFiles:
    """The attachment operations of one kind of owner (a report, a talk)."""

    owner_type: str

    def stage(self, files: list[Any], user: User) -> tuple[list[int], list[str]]:
        """Keep acceptable files sent with a form not saved yet; return their ids and errors."""
        stored, errors = store_many(files, self.owner_type, user)
        db.session.commit()
        return [a.id for a in stored], errors

    def staged(self, ids: list[int], user: User) -> list[Attachment]:
        """Return the user's staged files among the ids (to list them on a re-shown form)."""
        return staged(ids, self.owner_type, user)

    def of(self, owner: Any) -> list[Attachment]:
        """Return an owner's current attachments."""
        return attachments_of(self.owner_type, owner.id)

    def add(self, owner: Any, user: User, files: list[Any]) -> tuple[int, list[str]]:
        """Attach files to a saved owner; return how many were kept and why others were not."""
        return add_to(owner, self.owner_type, files, user)
