"""The files a warning's page lists (committee decisions', actions', reports'), read at once."""

from __future__ import annotations

import sqlalchemy as sa
from flask import has_request_context, request

from webapp.extensions import db
from webapp.models import Attachment, Warning
from webapp.warnings.owners import ACTION_OWNER, COMMITTEE_OWNER, RECTIFICATION_OWNER

READ_KEY = "webapp.warning_documents"

Documents = dict[tuple[str, int], list[Attachment]]


def documents_of(owner_type: str, record) -> list[Attachment]:
    """Return a warning record's current attachments, oldest first (one query a warning)."""
    read = request.environ.setdefault(READ_KEY, {}) if has_request_context() else {}
    if record.warning_id not in read:
        read[record.warning_id] = _load(db.session.get(Warning, record.warning_id))
    return read[record.warning_id].get((owner_type, record.id), [])


def _load(warning: Warning) -> Documents:
    owners = {
        COMMITTEE_OWNER: [c.id for c in warning.committee_decisions],
        ACTION_OWNER: [a.id for a in warning.actions],
        RECTIFICATION_OWNER: [r.id for r in warning.rectifications],
    }
    owned = [
        sa.and_(Attachment.owner_type == kind, Attachment.owner_id.in_(ids))
        for kind, ids in owners.items()
        if ids
    ]
    found: Documents = {}
    if not owned:
        return found
    stmt = sa.select(Attachment).where(sa.or_(*owned), Attachment.removed_at.is_(None))
    for attachment in db.session.scalars(stmt.order_by(Attachment.id)):
        found.setdefault((attachment.owner_type, attachment.owner_id), []).append(attachment)
    return found
