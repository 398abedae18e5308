"""Download and remove attachments; who may do so is decided by the owning record."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import Blueprint, abort, flash, redirect, send_file
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.attachments.services import (
    attachment_files,
    editable_owner,
    owner_of,
    purge_staged,
    remove,
    viewable_owner,
)
from webapp.audit.services import record_operation
from webapp.clock import utc_now
from webapp.downloads import content_disposition
from webapp.extensions import db
from webapp.models import Attachment

bp = Blueprint("attachments", __name__, url_prefix="/attachments", cli_group="attachments")


def _attachment_or_404(attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        abort(404)
    return attachment


@bp.route("/<int:attachment_id>/download")
@login_required
def download(attachment_id: int):
    """Send a file to a user who may see its record, as a download, and audit it."""
    attachment = _attachment_or_404(attachment_id)
    if viewable_owner(attachment, current_user) is None:
        abort(404)
    try:
        content = attachment_files().open(attachment.stored_name)
    except FileNotFoundError:
        abort(404)
    record_operation(
        "download",
        "Attachment",
        attachment.id,
        f"{attachment.owner_type}#{attachment.owner_id or '-'} {attachment.original_name}",
    )
    db.session.commit()
    response = send_file(content, mimetype=attachment.content_type, max_age=0)
    response.headers["Content-Disposition"] = content_disposition(
        attachment.original_name, f"attachment-{attachment.id}.{attachment.kind}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<int:attachment_id>/remove", methods=["POST"])
@login_required
def remove_file(attachment_id: int):
    """Take a file off its record (kept on disk and in the history)."""
    attachment = _attachment_or_404(attachment_id)
    record = editable_owner(attachment, current_user)
    if record is None:
        abort(404)
    remove(attachment, record, current_user)
    flash(_("已移除附件：%(name)s", name=attachment.original_name), "success")
    return redirect(owner_of(attachment.owner_type).url(record) + "#attachments")


@bp.cli.command("purge-staged")
@click.option("--hours", default=24, show_default=True, help="Age of staged files to delete.")
def purge_staged_command(hours: int):
    """Delete uploaded files that were never attached to a saved record."""
    count = purge_staged(utc_now() - timedelta(hours=hours))
    click.echo(f"已清理 {count} 个未保存的附件。")
