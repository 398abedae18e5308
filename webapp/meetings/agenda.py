"""Build a meeting's agenda within its unit's subtree and freeze it as rows.

Each section is one query over the records as they stand (`lines_for`), all limited to the
cadres whose unit lies under the meeting's unit (the young cadres alone for a young kind).
The lines are then written as `AgendaItem` rows with the cadre's colour and a one-line
portrait of the last 12 months, so later changes to the records never rewrite an agenda;
刷新议程 rebuilds it while the meeting has not started.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from webapp.cadres.portrait import portraits
from webapp.clock import org_zone
from webapp.extensions import db
from webapp.models import (
    Cadre,
    NegativeInfo,
    Obligation,
    OrgUnit,
    Warning,
    WarningEvent,
    WarningProposal,
)
from webapp.models.meetings import AgendaItem, Meeting
from webapp.security.scope import subtree_ids
from workflows.obligations import ObligationKind
from workflows.text import N_
from workflows.verification import CONCLUSIONS, Status


class Section(enum.StrEnum):
    """An agenda section, in the order the agenda lists them."""

    NEW_INFO = "new_info"
    VERIFIED = "verified"
    WARNING_CREATED = "warning_created"
    WARNING_ESCALATED = "warning_escalated"
    WARNING_ISSUED = "warning_issued"
    WARNING_LIFTED = "warning_lifted"
    WARNING_REVOKED = "warning_revoked"
    PROPOSALS = "proposals"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    INFLUENCE_ENDING = "influence_ending"
    MANDATORY_TALKS = "mandatory_talks"
    YOUNG_CADRES = "young_cadres"

    @property
    def label(self) -> str:
        """Return the Chinese heading (translated at display)."""
        return SECTION_LABELS[self]


SECTION_LABELS = {
    Section.NEW_INFO: N_("新收到的负面信息"),
    Section.VERIFIED: N_("核实办结"),
    Section.WARNING_CREATED: N_("新提出的预警"),
    Section.WARNING_ESCALATED: N_("升级的预警"),
    Section.WARNING_ISSUED: N_("下达的预警"),
    Section.WARNING_LIFTED: N_("销号的预警"),
    Section.WARNING_REVOKED: N_("撤销的预警"),
    Section.PROPOSALS: N_("待决定的升级建议"),
    Section.OVERDUE: N_("已逾期事项"),
    Section.DUE_SOON: N_("下次会议前到期事项"),
    Section.INFLUENCE_ENDING: N_("影响期将满"),
    Section.MANDATORY_TALKS: N_("未完成的必谈"),
    Section.YOUNG_CADRES: N_("年轻干部"),
}
ORDER = {section: index for index, section in enumerate(Section)}
# Their own sections, so the overdue and due lists hold the case deadlines only.
OWN_SECTION_KINDS = (ObligationKind.INFLUENCE_ENDING, ObligationKind.MANDATORY_TALK)


@dataclass(frozen=True)
class Window:
    """What an agenda covers: records from `start` to `end` (inclusive), due up to `next_on`."""

    unit: OrgUnit
    start: date
    end: date
    next_on: date
    young: bool = False

    def cadres(self) -> sa.Select:
        """Select the ids of the cadres the meeting reviews."""
        stmt = sa.select(Cadre.id).where(Cadre.unit_id.in_(subtree_ids(self.unit)))
        return stmt.where(Cadre.is_young.is_(True)) if self.young else stmt

    def instants(self) -> tuple[datetime, datetime]:
        """Return the window's first and past-the-last instants in UTC."""
        zone = org_zone()
        first = datetime.combine(self.start, time(0), zone).astimezone(UTC)
        after = datetime.combine(self.end + timedelta(days=1), time(0), zone).astimezone(UTC)
        return first, after


@dataclass(frozen=True)
class Line:
    """One agenda line before it is frozen."""

    section: Section
    cadre_id: int
    subject_type: str
    subject_id: int
    subject_ref: str = ""
    summary: str = ""
    tier: int | None = None
    due_on: date | None = None

    @property
    def key(self) -> tuple:
        """Return the sort key: section, cadre, subject."""
        return (ORDER[self.section], self.cadre_id, self.subject_type, self.subject_id)


def _new_info(w: Window) -> list[Line]:
    stmt = sa.select(NegativeInfo).where(
        NegativeInfo.cadre_id.in_(w.cadres()),
        NegativeInfo.received_on.between(w.start, w.end),
    )
    return [
        Line(
            Section.NEW_INFO,
            i.cadre_id,
            "negative_info",
            i.id,
            i.number,
            i.summary[:200],
            i.default_tier,
        )
        for i in db.session.scalars(stmt)
    ]


def _verified(w: Window) -> list[Line]:
    stmt = sa.select(NegativeInfo).where(
        NegativeInfo.cadre_id.in_(w.cadres()),
        NegativeInfo.verified_on.between(w.start, w.end),
        NegativeInfo.status.in_([s.value for s in CONCLUSIONS]),
    )
    return [
        Line(
            Section.VERIFIED,
            i.cadre_id,
            "negative_info",
            i.id,
            i.number,
            Status(i.status).label,
            i.default_tier,
        )
        for i in db.session.scalars(stmt)
    ]


def _warning_condition(section: Section) -> sa.ColumnElement[bool]:
    match section:
        case Section.WARNING_CREATED:
            return WarningEvent.event == "create"
        case Section.WARNING_ESCALATED:
            return WarningEvent.event == "escalate"
        case Section.WARNING_ISSUED:
            return sa.and_(WarningEvent.to_state == "issued", WarningEvent.from_state != "issued")
        case Section.WARNING_LIFTED:
            return WarningEvent.to_state == "lifted"
        case Section.WARNING_REVOKED:
            return sa.and_(WarningEvent.to_state == "revoked", WarningEvent.from_state != "revoked")
    raise ValueError(section)


def _warnings_changed(section: Section) -> Callable[[Window], list[Line]]:
    def build(w: Window) -> list[Line]:
        first, after = w.instants()
        stmt = (
            sa.select(WarningEvent.warning_id, sa.func.max(WarningEvent.to_tier))
            .join(Warning, WarningEvent.warning_id == Warning.id)
            .where(
                Warning.cadre_id.in_(w.cadres()),
                WarningEvent.at >= first,
                WarningEvent.at < after,
                _warning_condition(section),
            )
            .group_by(WarningEvent.warning_id)
        )
        tiers = dict(db.session.execute(stmt).all())
        warnings = db.session.scalars(sa.select(Warning).where(Warning.id.in_(tiers))).all()
        return [
            Line(
                section,
                warning.cadre_id,
                "warning",
                warning.id,
                warning.number,
                warning.state.label,
                int(tiers[warning.id]),
            )
            for warning in warnings
        ]

    return build


def _proposals(w: Window) -> list[Line]:
    stmt = (
        sa.select(WarningProposal, Warning)
        .join(Warning, WarningProposal.warning_id == Warning.id)
        .where(WarningProposal.status == "open", Warning.cadre_id.in_(w.cadres()))
    )
    return [
        Line(
            Section.PROPOSALS,
            warning.cadre_id,
            "warning",
            warning.id,
            warning.number,
            proposal.reason,
            proposal.to_tier,
        )
        for proposal, warning in db.session.execute(stmt).unique()
    ]


def _obligations(section: Section, conditions: Callable[[Window], tuple]) -> Callable:
    def build(w: Window) -> list[Line]:
        stmt = sa.select(Obligation).where(
            Obligation.closed_at.is_(None), Obligation.cadre_id.in_(w.cadres()), *conditions(w)
        )
        return [
            Line(
                section, o.cadre_id, o.subject_type, o.subject_id, "", o.kind.label, None, o.due_on
            )
            for o in db.session.scalars(stmt)
        ]

    return build


def _case_kind():
    return Obligation.kind.not_in([k.value for k in OWN_SECTION_KINDS])


SECTION_BUILDERS: dict[Section, Callable[[Window], list[Line]]] = {
    Section.NEW_INFO: _new_info,
    Section.VERIFIED: _verified,
    **{
        s: _warnings_changed(s)
        for s in (
            Section.WARNING_CREATED,
            Section.WARNING_ESCALATED,
            Section.WARNING_ISSUED,
            Section.WARNING_LIFTED,
            Section.WARNING_REVOKED,
        )
    },
    Section.PROPOSALS: _proposals,
    Section.OVERDUE: _obligations(
        Section.OVERDUE, lambda w: (_case_kind(), Obligation.due_on < w.end)
    ),
    Section.DUE_SOON: _obligations(
        Section.DUE_SOON,
        lambda w: (_case_kind(), Obligation.due_on >= w.end, Obligation.due_on <= w.next_on),
    ),
    Section.INFLUENCE_ENDING: _obligations(
        Section.INFLUENCE_ENDING,
        lambda w: (
            Obligation.kind == ObligationKind.INFLUENCE_ENDING.value,
            Obligation.due_on <= w.next_on,
        ),
    ),
    Section.MANDATORY_TALKS: _obligations(
        Section.MANDATORY_TALKS,
        lambda w: (Obligation.kind == ObligationKind.MANDATORY_TALK.value,),
    ),
}


def lines_for(window: Window) -> list[Line]:
    """Return every agenda line of a window, in agenda order."""
    lines = [line for build in SECTION_BUILDERS.values() for line in build(window)]
    if window.young:
        cadres = sorted({line.cadre_id for line in lines})
        lines += [Line(Section.YOUNG_CADRES, cid, "cadre", cid) for cid in cadres]
    return sorted(lines, key=lambda line: line.key)


def window_of(meeting: Meeting, today: date) -> Window:
    """Return what the meeting's agenda covers when built today."""
    from webapp.meetings.kinds import is_young

    end = max(meeting.held_on, today)
    return Window(meeting.unit, meeting.period_start, end, meeting.next_on, is_young(meeting.kind))


def freeze(meeting: Meeting, today: date, now: datetime) -> int:
    """Replace the meeting's agenda with the lines of today; return how many (no commit)."""
    lines = lines_for(window_of(meeting, today))
    cadres = {
        c.id: c
        for c in db.session.scalars(
            sa.select(Cadre).where(Cadre.id.in_({line.cadre_id for line in lines}))
        )
    }
    counts = portraits(set(cadres), today)
    meeting.agenda.clear()
    db.session.flush()
    for position, line in enumerate(lines, start=1):
        cadre = cadres[line.cadre_id]
        meeting.agenda.append(
            AgendaItem(
                position=position,
                section=line.section.value,
                cadre_id=cadre.id,
                cadre_name=cadre.name,
                unit_name=cadre.unit.name,
                position_title=cadre.position,
                colour=cadre.status_colour,
                portrait=counts[cadre.id],
                subject_type=line.subject_type,
                subject_id=line.subject_id,
                subject_ref=line.subject_ref or _ref(line),
                summary=(line.summary or "")[:500],
                tier=line.tier,
                due_on=line.due_on,
            )
        )
    meeting.agenda_built_at = now
    return len(lines)


def _ref(line: Line) -> str:
    if line.subject_type == "warning":
        return db.session.scalar(sa.select(Warning.number).where(Warning.id == line.subject_id))
    if line.subject_type == "negative_info":
        return db.session.scalar(
            sa.select(NegativeInfo.number).where(NegativeInfo.id == line.subject_id)
        )
    return ""
