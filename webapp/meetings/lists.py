"""The three lists (问题清单、实绩清单、整改清单) for a unit and a period, within the user's scope.

Each list is built from the records as they stand and returns plain rows (the page, the
Excel and the Word document show the same ones); a quarterly review freezes them into
`ListSnapshot` rows when it closes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from webapp.clock import org_zone
from webapp.extensions import db
from webapp.lookups import dict_label
from webapp.models import (
    Cadre,
    CadreEvent,
    Clarification,
    NegativeInfo,
    Obligation,
    OrgUnit,
    Rectification,
    ToleranceDecision,
    User,
    Warning,
    WarningEvent,
    warning_basis,
)
from webapp.models.meetings import ListSnapshot, Meeting
from webapp.obligations.lights import lights_of
from webapp.security.scope import scoped, subtree_ids
from webapp.warnings.facts import current_due
from workflows.obligations import ObligationKind
from workflows.states import ACTIVE_STATES, FINAL_STATES, State
from workflows.text import N_
from workflows.tiers import Tier
from workflows.verification import VERIFIED

PROBLEMS, RESULTS, RECTIFICATIONS = "problems", "results", "rectifications"
LIST_LABELS = {PROBLEMS: N_("问题清单"), RESULTS: N_("实绩清单"), RECTIFICATIONS: N_("整改清单")}
HEADERS = {
    PROBLEMS: ["干部", "单位", "问题类别", "编号", "内容", "来源", "等级", "期限"],
    RESULTS: ["干部", "单位", "实绩类别", "编号", "内容", "日期"],
    RECTIFICATIONS: ["干部", "单位", "预警编号", "责任人", "整改措施", "整改期限", "提示"],
}
WIDTHS = [10, 24, 14, 16, 40, 14, 12, 12]


@dataclass(frozen=True)
class ListQuery:
    """Which unit and period a list covers."""

    unit: OrgUnit
    start: date
    end: date


@dataclass
class Produced:
    """One list: its kind, headers and rows."""

    kind: str
    rows: list[list[Any]] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        """Return the list's column headings."""
        return HEADERS[self.kind]

    @property
    def label(self) -> str:
        """Return the list's name."""
        return str(LIST_LABELS[self.kind])


def _cadres(q: ListQuery, user: User | None) -> sa.Select:
    """Select the cadres under the unit that the user may see (all of them without a user)."""
    stmt = sa.select(Cadre.id).where(Cadre.unit_id.in_(subtree_ids(q.unit)))
    return stmt if user is None else scoped(stmt, Cadre, user)


def _span(q: ListQuery) -> tuple[datetime, datetime]:
    zone = org_zone()
    first = datetime.combine(q.start, time(0), zone).astimezone(UTC)
    return first, datetime.combine(q.end + timedelta(days=1), time(0), zone).astimezone(UTC)


def _tier_label(tier: int | None) -> str:
    return str(Tier(tier).label) if tier else ""


def _sorted(rows: list[list[Any]]) -> list[list[Any]]:
    # Grouped per cadre (by unit then name), then by category and number.
    return sorted(rows, key=lambda r: (r[1], r[0], r[2], r[3]))


def problems(q: ListQuery, user: User | None) -> Produced:
    """Return 问题清单: verified items not closed, active warnings, overdue items, per cadre."""
    cadres = _cadres(q, user)
    rows: list[list[Any]] = []
    closed_basis = (
        sa.select(warning_basis.c.negative_info_id)
        .join(Warning, Warning.id == warning_basis.c.warning_id)
        .where(Warning.state.in_([s.value for s in FINAL_STATES]))
    )
    items = db.session.scalars(
        sa.select(NegativeInfo).where(
            NegativeInfo.cadre_id.in_(cadres),
            NegativeInfo.status.in_([s.value for s in VERIFIED]),
            NegativeInfo.verified_on <= q.end,
            NegativeInfo.id.not_in(closed_basis),
        )
    )
    for i in items:
        rows.append(
            [
                i.cadre.name,
                i.cadre.unit.name,
                "核实属实的负面信息",
                i.number,
                i.summary[:200],
                dict_label("source_channel", i.source_channel),
                _tier_label(i.default_tier),
                None,
            ]
        )
    warnings = db.session.scalars(
        sa.select(Warning).where(
            Warning.cadre_id.in_(cadres), Warning.state.in_([s.value for s in ACTIVE_STATES])
        )
    )
    for w in warnings:
        rows.append(
            [
                w.cadre.name,
                w.cadre.unit.name,
                "在办预警",
                w.number,
                str(w.state.label),
                "预警",
                _tier_label(int(w.tier)),
                current_due(w)[1],
            ]
        )
    overdue = db.session.scalars(
        sa.select(Obligation).where(
            Obligation.cadre_id.in_(cadres),
            Obligation.closed_at.is_(None),
            Obligation.due_on < q.end,
            Obligation.kind != ObligationKind.INFLUENCE_ENDING.value,
        )
    )
    for o in overdue:
        rows.append(
            [
                o.cadre.name,
                o.cadre.unit.name,
                "逾期事项",
                f"{o.subject_type}#{o.subject_id}",
                str(o.kind.label),
                "时限",
                "",
                o.due_on,
            ]
        )
    return Produced(PROBLEMS, _sorted(rows))


def results(q: ListQuery, user: User | None) -> Produced:
    """Return 实绩清单: lifted warnings, accepted rectifications, clarifications, tolerance
    decisions, cadres back to green and awards within the period."""
    cadres = _cadres(q, user)
    first, after = _span(q)
    rows: list[list[Any]] = []

    def add(cadre: Cadre, category: str, ref: str, text: str, day: date | None) -> None:
        rows.append([cadre.name, cadre.unit.name, category, ref, text, day])

    lifted = db.session.execute(
        sa.select(Warning, WarningEvent.at)
        .join(WarningEvent, WarningEvent.warning_id == Warning.id)
        .where(
            Warning.cadre_id.in_(cadres),
            WarningEvent.to_state == State.LIFTED.value,
            WarningEvent.from_state != State.LIFTED.value,
            WarningEvent.at >= first,
            WarningEvent.at < after,
        )
    ).unique()
    for w, at in lifted:
        add(
            w.cadre, "预警销号", w.number, str(Tier(w.tier).label), at.astimezone(org_zone()).date()
        )
    accepted = db.session.execute(
        sa.select(Rectification, Warning)
        .join(Warning, Warning.id == Rectification.warning_id)
        .where(
            Warning.cadre_id.in_(cadres),
            Rectification.review_result == "accepted",
            Rectification.reviewed_on.between(q.start, q.end),
        )
    ).unique()
    for r, w in accepted:
        add(w.cadre, "整改验收通过", w.number, (r.plan or "")[:200], r.reviewed_on)
    clarified = db.session.execute(
        sa.select(Clarification, Warning)
        .join(Warning, Warning.id == Clarification.warning_id)
        .where(
            Warning.cadre_id.in_(cadres),
            Clarification.method != "",
            Clarification.clarified_on.between(q.start, q.end),
        )
    ).unique()
    for c, w in clarified:
        add(w.cadre, "澄清正名", w.number, dict_label("clarification_method", c.method),
            c.clarified_on)  # fmt: skip
    tolerated = db.session.execute(
        sa.select(ToleranceDecision, Warning)
        .join(Warning, Warning.id == ToleranceDecision.warning_id)
        .where(Warning.cadre_id.in_(cadres), ToleranceDecision.decided_on.between(q.start, q.end))
    ).unique()
    for t, w in tolerated:
        add(w.cadre, "容错认定", w.number, dict_label("tolerance_outcome", t.outcome),
            t.decided_on)  # fmt: skip
    green = db.session.scalars(
        sa.select(Warning).where(
            Warning.cadre_id.in_(cadres),
            Warning.state == State.LIFTED.value,
            Warning.influence_until.between(q.start, q.end),
            Warning.cadre.has(Cadre.status_colour == "green"),
        )
    )
    for w in green:
        add(w.cadre, "复绿", w.number, "影响期满", w.influence_until)
    awards = db.session.scalars(
        sa.select(CadreEvent).where(
            CadreEvent.cadre_id.in_(cadres),
            CadreEvent.kind == "award",
            CadreEvent.occurred_on.between(q.start, q.end),
        )
    )
    for e in awards:
        add(e.cadre, "表彰奖励", e.document_number, e.description[:200], e.occurred_on)
    return Produced(RESULTS, _sorted(rows))


def rectifications(q: ListQuery, user: User | None) -> Produced:
    """Return 整改清单: open rectifications with owner, measures, deadline and light."""
    cadres = _cadres(q, user)
    pairs = (
        db.session.execute(
            sa.select(Rectification, Warning)
            .join(Warning, Warning.id == Rectification.warning_id)
            .where(
                Warning.cadre_id.in_(cadres),
                Warning.state.in_([State.RECTIFYING.value, State.REVIEWING.value]),
                # Only the round still open: a returned report closes its round with
                # "returned" and starts a new one, which is the one to list.
                Rectification.review_result == "",
                Rectification.started_on <= q.end,
            )
        )
        .unique()
        .all()
    )
    kinds = (ObligationKind.RECTIFICATION_REPORT_DUE, ObligationKind.REVIEW_DUE)
    lights = lights_of("warning", [w.id for _, w in pairs], kinds, q.end)
    rows = []
    for r, w in pairs:
        lit = lights.get(w.id)
        owner = w.handler.full_name if w.handler else ""
        rows.append(
            [w.cadre.name, w.cadre.unit.name, w.number, owner, (r.plan or "")[:300], r.due,
             str(lit.label) if lit else ""]
        )  # fmt: skip
    return Produced(RECTIFICATIONS, _sorted(rows))


BUILDERS = {PROBLEMS: problems, RESULTS: results, RECTIFICATIONS: rectifications}


def produce(kind: str, q: ListQuery, user: User | None) -> Produced:
    """Return one of the three lists; without a user, the whole unit subtree (for snapshots)."""
    return BUILDERS[kind](q, user)


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def snapshot_lists(meeting: Meeting, today: date) -> list[ListSnapshot]:
    """Freeze the three lists of the meeting's unit subtree and period (no commit).

    Built over the unit alone, as the agenda is, so the frozen lists do not depend on the
    scope of whoever closes the meeting.
    """
    q = ListQuery(meeting.unit, meeting.period_start, max(meeting.held_on, today))
    out = []
    for kind in BUILDERS:
        produced = produce(kind, q, None)
        snapshot = ListSnapshot(
            meeting_id=meeting.id,
            list_kind=kind,
            unit_id=meeting.unit_id,
            period_start=q.start,
            period_end=q.end,
            headers=produced.headers,
            rows=[[_jsonable(v) for v in row] for row in produced.rows],
        )
        db.session.add(snapshot)
        out.append(snapshot)
    return out


def from_snapshot(snapshot: ListSnapshot) -> Produced:
    """Return a frozen list as it was."""
    return Produced(snapshot.list_kind, [list(row) for row in snapshot.rows])
