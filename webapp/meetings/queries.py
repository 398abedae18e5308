"""Read-only queries of the meetings area (no commit, no request state)."""

from __future__ import annotations

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import Inquiry, Talk, User
from webapp.models.meetings import Meeting, MeetingDecision, MeetingStatus
from webapp.security.scope import scoped

PER_PAGE = 30
RECORD_MODELS = {"inquiry": Inquiry, "talk": Talk}


def search_meetings(user: User, form, page: int = 1):
    """Return a page of the meetings in the user's scope, newest first, filtered by the form."""
    stmt = scoped(sa.select(Meeting), Meeting, user)
    if not form.errors:
        if form.kind.data:
            stmt = stmt.where(Meeting.kind == form.kind.data)
        if form.status.data:
            stmt = stmt.where(Meeting.status == MeetingStatus(form.status.data))
        if form.held_from.data:
            stmt = stmt.where(Meeting.held_on >= form.held_from.data)
        if form.held_to.data:
            stmt = stmt.where(Meeting.held_on <= form.held_to.data)
    stmt = stmt.order_by(Meeting.held_on.desc(), Meeting.id.desc())
    return db.paginate(stmt, page=page, per_page=PER_PAGE, error_out=False)


def linkable_records(decision: MeetingDecision, user: User) -> list:
    """Return the talks or inquiries of the line's cadre the user may link to the decision."""
    model = RECORD_MODELS.get(decision.record_type)
    if model is None or decision.agenda_item is None:
        return []
    stmt = scoped(
        sa.select(model).where(model.cadre_id == decision.agenda_item.cadre_id), model, user
    ).order_by(model.id.desc())
    return list(db.session.scalars(stmt.limit(20)))


def next_meeting(user: User):
    """Return the next meeting not yet closed in the user's scope, or None (for the workbench)."""
    stmt = scoped(sa.select(Meeting), Meeting, user).where(Meeting.status != MeetingStatus.CLOSED)
    return db.session.scalars(stmt.order_by(Meeting.held_on, Meeting.id).limit(1)).first()
