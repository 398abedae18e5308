"""Read-only queries of the meetings area (no commit, no request state)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from webapp.extensions import db
from webapp.models import Inquiry, Talk, User
from webapp.models.meetings import AgendaItem, Meeting, MeetingDecision, MeetingStatus
from webapp.security.permissions import Permission
from webapp.security.scope import scoped
from webapp.signals import Section

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


def line_counts(meetings: list[Meeting]) -> dict[int, tuple[int, int]]:
    """Count each meeting's agenda lines and decisions: two grouped queries for a page."""
    ids = [m.id for m in meetings]
    counted = {}
    for model in (AgendaItem, MeetingDecision):
        stmt = (
            sa.select(model.meeting_id, sa.func.count())
            .where(model.meeting_id.in_(ids))
            .group_by(model.meeting_id)
        )
        counted[model] = dict(db.session.execute(stmt).all())
    return {i: (counted[AgendaItem].get(i, 0), counted[MeetingDecision].get(i, 0)) for i in ids}


def load_lines(meeting: Meeting) -> Meeting:
    """Load the meeting's agenda with each line's decisions, and its decisions, at once.

    A decision's line is then found in the session, so naming it sends no query either.
    """
    stmt = (
        sa.select(Meeting)
        .where(Meeting.id == meeting.id)
        .options(
            selectinload(Meeting.agenda).selectinload(AgendaItem.decisions),
            selectinload(Meeting.decisions),
        )
        # Loaded already (and perhaps expired by the access log's commit): load it again.
        .execution_options(populate_existing=True)
    )
    return db.session.scalars(stmt).one()


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


def talk_section(talk: Talk, *, user: User | None = None, **_kw: object):
    """Show on a talk's page the meeting decisions it was linked to (answers `talk_sections`)."""
    if user is None or not user.can(Permission.REPORT_VIEW):
        return None
    stmt = (
        sa.select(MeetingDecision)
        .where(MeetingDecision.record_type == "talk", MeetingDecision.record_id == talk.id)
        .order_by(MeetingDecision.id)
    )
    decisions = [d for d in db.session.scalars(stmt) if may_see(d.meeting, user)]
    if not decisions:
        return None
    # A link made after the meeting closed is a correction: name the decision it completes.
    lines = [
        (d, db.session.get(MeetingDecision, d.corrects_id) if d.corrects_id else d)
        for d in decisions
    ]
    return Section("meetings/_talk_decisions.html", {"lines": lines})


def may_see(meeting: Meeting, user: User) -> bool:
    """Tell whether the meeting is in the user's scope."""
    stmt = scoped(sa.select(Meeting.id).where(Meeting.id == meeting.id), Meeting, user)
    return db.session.scalar(stmt) is not None
