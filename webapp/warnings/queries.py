"""Reading warnings: the register (台账) and its export, the 待审批 queue, the detail page's
deadlines and actions, the cadre profile's panel and timeline, and "as of date" views."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from sqlalchemy.orm import selectinload

from webapp import clock
from webapp.audit.services import day_start_utc, record_operation
from webapp.cadres.services import TimelineEntry
from webapp.extensions import db
from webapp.holidays.services import work_calendar
from webapp.i18n import translate
from webapp.lookups import all_params
from webapp.models import (
    Cadre,
    OrgUnit,
    Role,
    User,
    Warning,
    WarningEvent,
    WarningProposal,
    warning_basis,
)
from webapp.security.permissions import Permission
from webapp.security.scope import scoped, subtree_ids
from webapp.warnings.history import (
    Snapshot,
    colour_of,
    in_force_tier,
    local_day,
    replay,
    snapshot_on,
)
from webapp.warnings.services import clock_day, current_due, may_perform, snapshot_of
from workflows.calendar import PROVISIONAL_LABEL, WorkCalendar
from workflows.deadlines import Light, light
from workflows.guards import TransitionContext
from workflows.states import Event, State
from workflows.tiers import Tier, param_roles, role_label
from workflows.transitions import allowed_events, effective_roles

DEADLINE_LABELS = {
    "action": _l("处置期限"),
    "rectification": _l("整改期限"),
    "review": _l("复核期限"),
}


# ---------------------------------------------------------------------------------------------
# Register


@dataclass(frozen=True)
class WarningFilters:
    """What the register is filtered by."""

    q: str = ""
    tier: int = 0
    state: str = ""
    unit_id: int = 0
    overdue: bool = False
    created_from: date | None = None
    created_to: date | None = None
    issued_from: date | None = None
    issued_to: date | None = None
    cadre_id: int = 0

    def describe(self) -> str:
        """Return the filters in words, for the export's audit line."""
        parts = [f"{k}={v}" for k, v in vars(self).items() if v not in ("", 0, False, None)]
        return "，".join(parts) or "无筛选"


def overdue_condition(today: date) -> sa.ColumnElement:
    """Return the WHERE clause for warnings whose running deadline has passed."""
    # A paused clock stands at its pause day: overdue only if it was overdue then.
    day = sa.case((Warning.paused.is_(True), Warning.paused_since), else_=sa.literal(today))
    return sa.or_(
        sa.and_(Warning.state == State.ISSUED.value, Warning.action_due < day),
        sa.and_(Warning.state == State.RECTIFYING.value, Warning.rectification_due < day),
        sa.and_(Warning.state == State.REVIEWING.value, Warning.review_due < day),
    )


def register_query(user: User, filters: WarningFilters, today: date | None = None) -> sa.Select:
    """Build the scoped, filtered register select, newest first."""
    today = today or clock.org_today()
    stmt = scoped(sa.select(Warning).join(Warning.cadre), Warning, user)
    if filters.q:
        stmt = stmt.where(
            sa.or_(
                Cadre.name.contains(filters.q.strip(), autoescape=True),
                Warning.number.contains(filters.q.strip(), autoescape=True),
            )
        )
    if filters.cadre_id:
        stmt = stmt.where(Warning.cadre_id == filters.cadre_id)
    if filters.tier:
        stmt = stmt.where(Warning.tier == filters.tier)
    if filters.state:
        stmt = stmt.where(Warning.state == filters.state)
    if filters.unit_id:
        unit = db.session.get(OrgUnit, filters.unit_id)
        if unit is not None:
            stmt = stmt.where(Cadre.unit_id.in_(subtree_ids(unit)))
    if filters.overdue:
        stmt = stmt.where(overdue_condition(today))
    if filters.created_from:
        stmt = stmt.where(Warning.created_at >= day_start_utc(filters.created_from))
    if filters.created_to:
        stmt = stmt.where(
            Warning.created_at < day_start_utc(filters.created_to + timedelta(days=1))
        )
    if filters.issued_from:
        stmt = stmt.where(Warning.issued_on >= filters.issued_from)
    if filters.issued_to:
        stmt = stmt.where(Warning.issued_on <= filters.issued_to)
    return stmt.order_by(Warning.id.desc())


def search_warnings(user: User, filters: WarningFilters, page: int):
    """Return one page of the register."""
    return db.paginate(
        register_query(user, filters),
        page=page,
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )


def open_proposals(user: User) -> list[WarningProposal]:
    """Return the escalation proposals in scope that still wait for a person, oldest first."""
    stmt = scoped(
        sa.select(WarningProposal)
        .join(Warning, Warning.id == WarningProposal.warning_id)
        .where(WarningProposal.status == "open"),
        Warning,
        user,
    ).order_by(WarningProposal.id)
    return list(db.session.scalars(stmt))


# ---------------------------------------------------------------------------------------------
# Deadlines and lights


@dataclass(frozen=True)
class DeadlineView:
    """One deadline of a warning as the pages show it."""

    kind: str
    label: str
    due: date
    provisional: bool
    running: bool
    light: Light | None

    @property
    def note(self) -> str:
        """Return the provisional hint, or an empty string."""
        return PROVISIONAL_LABEL if self.provisional else ""


def yellow_percent() -> int:
    """Return the share of a time limit after which the light turns yellow."""
    return int(all_params().get("reminder.yellow_percent", 50))


def running_light(
    warning: Warning, today: date, cal: WorkCalendar, percent: int | None = None
) -> Light | None:
    """Return the light of the deadline running in the warning's state, if any."""
    kind, due, _ = current_due(warning)
    if not kind or due is None or warning.clock_started_on is None:
        return None
    return light(
        warning.clock_started_on,
        due,
        clock_day(warning, today),
        cal,
        warning.clock_paused_workdays or 0,
        yellow_percent=percent if percent is not None else yellow_percent(),
    )


def deadlines(warning: Warning, today: date | None = None) -> list[DeadlineView]:
    """Return the warning's deadlines, the running one with its 黄灯/红灯."""
    today = today or clock.org_today()
    cal = work_calendar()
    running_kind = current_due(warning)[0]
    views = []
    for kind in ("action", "rectification", "review"):
        due = getattr(warning, f"{kind}_due")
        if due is None:
            continue
        running = kind == running_kind
        views.append(
            DeadlineView(
                kind,
                DEADLINE_LABELS[kind],
                due,
                getattr(warning, f"{kind}_due_provisional"),
                running,
                running_light(warning, today, cal) if running else None,
            )
        )
    return views


# ---------------------------------------------------------------------------------------------
# What this user may do now


def user_events(warning: Warning, user: User) -> tuple[Event, ...]:
    """Return the events the user may perform on the warning now (standing guards only)."""
    ctx = TransitionContext(
        actor_is_proposer=warning.proposer_id == user.id,
        paused=warning.paused,
        approval_step=warning.approval_step,
    )
    return allowed_events(
        warning.state, warning.tier, ctx, role=user.role.code, params=all_params()
    )


def approver_roles(user: User) -> set[str]:
    """Return the approval-step roles a user answers for (committee via its recorders)."""
    roles = set(effective_roles({user.role.code}))
    if user.role.code in param_roles(all_params(), "warning.committee_recorder_roles"):
        roles.add("committee")
    return roles


def pending_for(user: User) -> list[Warning]:
    """Return the warnings in scope waiting for this user's approval step, oldest first."""
    stmt = scoped(
        sa.select(Warning).where(Warning.state == State.PENDING_APPROVAL.value), Warning, user
    ).order_by(Warning.updated_at, Warning.id)
    return [w for w in db.session.scalars(stmt) if may_perform(w, Event.APPROVE, user)]


def role_name(code: str | None) -> str:
    """Return a role's display name: the Role table's, else the workflow's label."""
    if not code:
        return ""
    name = db.session.scalar(sa.select(Role.name).where(Role.code == code))
    return name or translate(role_label(code))


# ---------------------------------------------------------------------------------------------
# Export


EXPORT_HEADERS = (
    "预警编号",
    "干部",
    "单位",
    "职务",
    "预警等级",
    "状态",
    "待审批环节",
    "提出人",
    "提出日期",
    "下达日期",
    "当前期限",
    "期限提示",
    "影响期至",
    "办结日期",
    "依据",
    "事由",
)


def export_register(user: User, filters: WarningFilters) -> tuple[bytes, int]:
    """Write the filtered, scoped register to an .xlsx file and audit the export."""
    today = clock.org_today()
    cal = work_calendar()
    percent = yellow_percent()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("预警台账")
    sheet.append(list(EXPORT_HEADERS))
    stmt = register_query(user, filters, today).options(
        selectinload(Warning.basis), selectinload(Warning.proposer)
    )
    count = 0
    for w in db.session.scalars(stmt):
        _, due, provisional = current_due(w)
        lit = running_light(w, today, cal, percent)
        sheet.append(
            [
                w.number,
                w.cadre.name,
                w.cadre.unit.name,
                w.cadre.position,
                tier_label(w.tier),
                State(w.state).label,
                role_name(w.awaiting_role),
                w.proposer.full_name,
                clock.to_org(w.created_at).date(),
                w.issued_on,
                due,
                " ".join(filter(None, [lit.label if lit else "", PROVISIONAL_LABEL * provisional])),
                w.influence_until,
                w.closed_on,
                "、".join(item.number for item in w.basis),
                w.reason,
            ]
        )
        count += 1
    buffer = io.BytesIO()
    book.save(buffer)
    record_operation("export", "Warning", "", f"导出预警台账 {count} 条（{filters.describe()}）")
    db.session.commit()
    return buffer.getvalue(), count


def tier_label(tier: int) -> str:
    """Return a tier's badge label, e.g. 一级预警（黄色）."""
    return Tier(tier).label


# ---------------------------------------------------------------------------------------------
# Cadre profile: panel, timeline, colour on a date


def cadre_warnings(cadre: Cadre, user: User | None = None) -> list[Warning]:
    """Return the cadre's warnings the user may see, newest first."""
    stmt = sa.select(Warning).where(Warning.cadre_id == cadre.id).order_by(Warning.id.desc())
    if user is not None:
        stmt = scoped(stmt, Warning, user)
    return list(db.session.scalars(stmt))


def item_warnings(info_id: int, user: User) -> list[Warning]:
    """Return the warnings resting on a negative-info item that the user may see, newest first."""
    if not user.can(Permission.CADRE_VIEW):
        return []
    stmt = (
        sa.select(Warning)
        .join(warning_basis, warning_basis.c.warning_id == Warning.id)
        .where(warning_basis.c.negative_info_id == info_id)
        .order_by(Warning.id.desc())
    )
    return list(db.session.scalars(scoped(stmt, Warning, user)).unique())


@dataclass(frozen=True)
class CadrePanel:
    """What the cadre profile shows about warnings: open ones and influence periods."""

    open: list[Warning]
    influences: list[Warning]
    closed: list[Warning]


def cadre_panel(cadre: Cadre, user: User) -> CadrePanel:
    """Return the user's view of a cadre's warnings for the profile page."""
    today = clock.org_today()
    warnings = cadre_warnings(cadre, user)
    open_ = [w for w in warnings if not State(w.state).is_final]
    influences = [
        w
        for w in warnings
        if w.influence_until is not None
        and w.influence_until >= today
        and w.state != State.REVOKED.value
    ]
    closed = [w for w in warnings if State(w.state).is_final]
    return CadrePanel(open_, influences, closed)


def warning_entries(
    cadre: Cadre, *, user: User | None = None, **_kw: object
) -> list[TimelineEntry]:
    """Turn the cadre's warning history that the user may see into timeline entries."""
    if user is None:
        return []
    entries = []
    for warning in cadre_warnings(cadre, user):
        url = url_for("warnings.detail", warning_id=warning.id) if has_request_context() else None
        # Newest first, as the timeline lists a day's entries in the order given.
        for event in reversed(warning.events):
            label = _("发起") if event.event == "create" else translate(Event(event.event).label)
            entries.append(
                TimelineEntry(
                    local_day(event),
                    "warning",
                    _("预警 %(number)s：%(event)s", number=warning.number, event=label),
                    f"{translate(tier_label(event.to_tier))} · {translate(State(event.to_state).label)}",
                    url,
                )
            )
    return entries


@dataclass(frozen=True)
class AsOf:
    """A warning as it stood at the end of a day."""

    warning: Warning
    snapshot: Snapshot | None
    events: list[WarningEvent]
    in_force: object


def warning_as_of(warning: Warning, day: date) -> AsOf:
    """Rebuild a warning's state and tier at the end of `day` from its history."""
    events = [e for e in warning.events if local_day(e) <= day]
    snap = snapshot_on(warning.events, day)
    return AsOf(warning, snap, events, in_force_tier(snap, day))


def cadre_as_of(cadre: Cadre, day: date, user: User) -> tuple[str, list[AsOf]]:
    """Return the cadre's status colour on `day` and each warning as it stood then."""
    # The colour counts every warning of the cadre, as the stored colour does; the list
    # shows only those the user may see.
    everything = db.session.scalars(sa.select(Warning).where(Warning.cadre_id == cadre.id))
    colour = colour_of(in_force_tier(snapshot_on(w.events, day), day) for w in everything)
    visible = [warning_as_of(w, day) for w in cadre_warnings(cadre, user)]
    return colour, [a for a in visible if a.snapshot is not None]


def verify_history(warning: Warning) -> bool:
    """Tell whether replaying the history gives the stored state, tier and fields."""
    snap = replay(warning.events)
    return snap is not None and snap == snapshot_of(warning)
