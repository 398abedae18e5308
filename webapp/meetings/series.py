"""Meeting series (会议类型设置): which kind is held for which unit, who keeps the minutes, who attends."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from webapp.extensions import db
from webapp.meetings.kinds import KIND_SPECS
from webapp.meetings.services import MeetingError
from webapp.models import OrgUnit, Role, User
from webapp.models.meetings import MeetingSeries
from webapp.security.permissions import Permission
from webapp.units import unit_in_scope


@dataclass(frozen=True)
class SeriesInput:
    """What the series form says."""

    kind: str
    unit_id: int
    secretary_id: int
    attendee_ids: tuple[int, ...] = ()
    active: bool = True


def case_people() -> list[User]:
    """Return the active users whose role does case work (the people a meeting may name)."""
    roles = [
        r.id for r in db.session.scalars(sa.select(Role)) if Permission.REPORT_VIEW in r.permissions
    ]
    stmt = sa.select(User).where(User.role_id.in_(roles), User.active.is_(True))
    return list(db.session.scalars(stmt.order_by(User.id)))


def save_series(actor: User, given: SeriesInput) -> MeetingSeries:
    """Set the series of a kind for a unit in the actor's scope (one per kind and unit)."""
    if given.kind not in KIND_SPECS:
        raise MeetingError(_l("请选择会议类型"), "kind")
    unit = db.session.get(OrgUnit, given.unit_id)
    if unit is None or not unit_in_scope(actor, unit):
        raise MeetingError(_l("请选择您数据权限内的单位"), "unit")
    people = {u.id: u for u in case_people()}
    if given.secretary_id not in people:
        raise MeetingError(_l("请选择记录人"), "secretary")
    series = db.session.scalars(
        sa.select(MeetingSeries).where(
            MeetingSeries.kind == given.kind, MeetingSeries.unit_id == unit.id
        )
    ).first() or MeetingSeries(kind=given.kind, unit=unit)
    series.active = given.active
    series.secretary_id = given.secretary_id
    series.attendees = [people[i] for i in given.attendee_ids if i in people]
    db.session.add(series)
    db.session.commit()
    return series


def series_in_scope(user: User) -> list[MeetingSeries]:
    """Return the series of the units in the user's scope."""
    rows = db.session.scalars(
        sa.select(MeetingSeries).order_by(MeetingSeries.unit_id, MeetingSeries.id)
    )
    return [s for s in rows if unit_in_scope(user, s.unit)]
