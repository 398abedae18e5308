"""The warnings area's records that own attachments: committee decisions, rounds, actions."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for

from webapp.attachments import services as attachments
from webapp.extensions import db
from webapp.models import CommitteeDecision, Rectification, User, Warning, WarningAction
from webapp.security.permissions import Permission
from webapp.security.scope import scoped

# Attachments owned by a party-committee decision (the uploaded decision document).
COMMITTEE_OWNER = "warning_committee"
# Attachments of a rectification report (整改报告的附件), owned by its round.
RECTIFICATION_OWNER = "warning_rectification"
# Attachments of a recorded action (the 书面检查 the cadre handed in).
ACTION_OWNER = "warning_action"


def _visible(user: User, warning_id: int) -> bool:
    if not user.can(Permission.CADRE_VIEW):
        return False
    stmt = scoped(sa.select(Warning.id).where(Warning.id == warning_id), Warning, user)
    return db.session.scalar(stmt) is not None


def _record_for(model, user: User, record_id: int):
    record = db.session.get(model, record_id)
    return record if record is not None and _visible(user, record.warning_id) else None


def _warning_url(record) -> str:
    return url_for("warnings.detail", warning_id=record.warning_id)


def attachment_owners(_app: object) -> dict[str, attachments.Owner]:
    """Let decisions and rectification rounds own documents (answers `signals.attachment_owners`)."""
    return {
        kind: attachments.Owner(
            viewable=lambda record_id, user, model=model: _record_for(model, user, record_id),
            # A recorded decision or report is part of the history: its files are never swapped.
            editable=lambda record_id, user: None,
            on_change=lambda record, user, event, attachment: None,
            url=_warning_url,
        )
        for kind, model in (
            (COMMITTEE_OWNER, CommitteeDecision),
            (RECTIFICATION_OWNER, Rectification),
            (ACTION_OWNER, WarningAction),
        )
    }
