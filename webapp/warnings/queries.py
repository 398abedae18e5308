"""Reading warnings: the 待审批 queue, the detail page's deadlines and actions, the cadre
profile's panel and timeline, and "as of date" views."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import has_request_context, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import lazyload, selectinload

from webapp import clock
from webapp.cadres.services import TimelineEntry
from webapp.extensions import db
from webapp.i18n import translate
from webapp.lookups import all_params, role_names
from webapp.models import (
    Cadre,
    Inquiry,
    Talk,
    User,
    Warning,
    WarningEvent,
    WarningProposal,
    warning_basis,
)
from webapp.obligations import lights
from webapp.security.permissions import Permission
from webapp.security.scope import scope_condition, scoped
from webapp.warnings import due as due_source
from webapp.warnings.facts import clock_started, current_due, snapshot_of
from webapp.warnings.history import (
    Snapshot,
    colour_of,
    event_label,
    in_force_tier,
    local_day,
    replay,
    snapshot_on,
)
from webapp.warnings.step import standing_facts
from webapp.warnings.writer import approval_barred, may_perform
from workflows.calendar import PROVISIONAL_LABEL
from workflows.deadlines import Light
from workflows.guards import TransitionContext
from workflows.obligations import ObligationKind, Terms
from workflows.states import Event, State
from workflows.tiers import Tier, param_roles, role_label
from workflows.transitions import allowed_events, effective_roles

DEADLINE_LABELS = {
    "action": _l("处置期限"),
    "rectification": _l("整改期限"),
    "review": _l("复核期限"),
    "self_criticism": _l("书面检查期限"),
}


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


def running_lights(warning_ids: Iterable[int] | sa.Select, today: date | None = None):
    """Return the running deadline's light of each warning that has one (one query)."""
    return lights.lights_of(due_source.SUBJECT, warning_ids, due_source.RUNNING_KINDS, today)


def deadlines(warning: Warning, today: date | None = None) -> list[DeadlineView]:
    """Return the warning's deadlines, the running one with its 黄灯/红灯."""
    return deadlines_of([warning], today)[warning.id]


def deadlines_of(
    warnings: Sequence[Warning],
    today: date | None = None,
    running: Mapping[int, Light] | None = None,
) -> dict[int, list[DeadlineView]]:
    """Return each warning's deadlines (two queries however many; `running`: lights read)."""
    if running is None:
        running = running_lights([w.id for w in warnings if clock_started(w)], today)
    owed = lights.owed_of(
        due_source.SUBJECT, [w.id for w in warnings], ObligationKind.SELF_CRITICISM_DUE, today
    )
    return {w.id: _deadlines(w, running.get(w.id), owed.get(w.id)) for w in warnings}


def _deadlines(
    warning: Warning, light: Light | None, owed: tuple[Terms, Light | None] | None
) -> list[DeadlineView]:
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
                light if running else None,
            )
        )
    if owed is not None:
        # The 书面检查 a tier-2 admonishment owes, while it is owed (from its obligation).
        terms, lit = owed
        label = DEADLINE_LABELS["self_criticism"]
        views.append(DeadlineView("self_criticism", label, terms.due, terms.provisional, True, lit))
    return views


def user_events(warning: Warning, user: User) -> tuple[Event, ...]:
    """Return the events the user may perform on the warning now (standing guards only)."""
    ctx = TransitionContext(
        **standing_facts(warning, user),
        paused=warning.paused,
        approval_step=warning.approval_step,
    )
    events = allowed_events(
        warning.state, warning.tier, ctx, role=user.role.code, params=all_params()
    )
    # 暂停计时 stops a running deadline; an approval step has none to stop (its wait is no clock).
    if not clock_started(warning):
        events = tuple(e for e in events if e is not Event.PAUSE)
    return events


def action_records(warning: Warning, user: User) -> tuple[list[Talk], list[Inquiry]]:
    """Return the cadre's talks and inquiries the user may see (what an action may rest on)."""
    talks = scoped(sa.select(Talk).where(Talk.cadre_id == warning.cadre_id), Talk, user)
    inquiries = scoped(
        sa.select(Inquiry).where(Inquiry.cadre_id == warning.cadre_id), Inquiry, user
    )
    return list(db.session.scalars(talks)), list(db.session.scalars(inquiries))


def approver_roles(user: User) -> set[str]:
    """Return the approval-step roles a user answers for (committee via its recorders)."""
    roles = set(effective_roles({user.role.code}))
    if user.role.code in param_roles(all_params(), "warning.committee_recorder_roles"):
        roles.add("committee")
    return roles


def pending_for(user: User) -> list[Warning]:
    """Return the warnings in scope waiting for this user's approval step, oldest first."""
    stmt = (
        scoped(sa.select(Warning).where(Warning.state == State.PENDING_APPROVAL), Warning, user)
        .order_by(Warning.updated_at, Warning.id)
        # 不得自审 reads each chain's history: load them all at once, not one query a warning.
        .options(selectinload(Warning.events))
    )
    return [
        w
        for w in db.session.scalars(stmt)
        if may_perform(w, Event.APPROVE, user) and not approval_barred(w, user)
    ]


def role_name(code: str | None) -> str:
    """Return a role's display name: the Role table's, else the workflow's label."""
    if not code:
        return ""
    return role_names().get(code) or translate(role_label(code))


def tier_label(tier: int) -> str:
    """Return a tier's badge label, e.g. 一级预警（黄色）."""
    return Tier(tier).label


READ_KEY = "webapp.cadre_warnings"


def cadre_warnings(cadre: Cadre, user: User | None = None) -> list[Warning]:
    """Return the cadre's warnings the user may see, newest first (read once a request)."""
    return _read_cadre_warnings(cadre, user)[1]


def every_cadre_warning(cadre: Cadre, user: User | None = None) -> list[Warning]:
    """Return every warning of the cadre, seen by the user or not, newest first (read once).

    The colour counts them all, as the stored colour does: the 画像's strip and the as-of
    colour read these, in the same query as the user's `cadre_warnings`.
    """
    return _read_cadre_warnings(cadre, user)[0]


def _read_cadre_warnings(cadre: Cadre, user: User | None) -> tuple[list[Warning], list[Warning]]:
    # The profile's timeline, 画像 and panel each ask; the pages that read them write none.
    key = (cadre.id, user.id if user is not None else None)
    # Kept in the request's environ: an app context (and its g) may outlive a request in tests.
    read = request.environ.setdefault(READ_KEY, {}) if has_request_context() else {}
    if key not in read:
        read[key] = _load_cadre_warnings(cadre, user)
    return read[key]


def _load_cadre_warnings(cadre: Cadre, user: User | None) -> tuple[list[Warning], list[Warning]]:
    # The timeline and the as-of page read each warning's history: one query for all of them.
    # The cadre is the one given (in the session already): joining it again for every row
    # would decrypt its sealed columns once a warning. No page of a cadre's warnings shows
    # their proposers. Whether the user may see a row is a column of it, not a second query.
    stmt = (
        sa.select(Warning)
        .where(Warning.cadre_id == cadre.id)
        .order_by(Warning.id.desc())
        .options(selectinload(Warning.events), lazyload(Warning.cadre), lazyload(Warning.proposer))
    )
    if user is None:
        every = list(db.session.scalars(stmt))
        return every, every
    seen = scope_condition(user, *Warning.scope_columns()).label("seen")
    rows = db.session.execute(stmt.add_columns(seen)).all()
    return [w for w, _seen in rows], [w for w, visible in rows if visible]


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
    open_ = [w for w in warnings if not w.state.is_final]
    influences = [
        w
        for w in warnings
        if w.influence_until is not None
        and w.influence_until >= today
        and w.state is not State.REVOKED
    ]
    closed = [w for w in warnings if w.state.is_final]
    return CadrePanel(open_, influences, closed)


def warning_entries(
    cadre: Cadre, *, user: User | None = None, **_kw: object
) -> list[TimelineEntry]:
    """Turn the cadre's warning history that the user may see into timeline entries."""
    if user is None:
        return []
    entries = []
    labels = _Labels()
    for warning in cadre_warnings(cadre, user):
        url = url_for("warnings.detail", warning_id=warning.id) if has_request_context() else None
        # Newest first, as the timeline lists a day's entries in the order given.
        for event in reversed(warning.events):
            label = labels(event_label(event))
            entries.append(
                TimelineEntry(
                    local_day(event),
                    "warning",
                    _("预警 %(number)s：%(event)s", number=warning.number, event=label),
                    f"{labels(tier_label(event.to_tier))} · {labels(State(event.to_state).label)}",
                    url,
                )
            )
    return entries


class _Labels(dict):
    """Translate each label once: a cadre's history repeats a handful of them."""

    def __call__(self, label: object) -> str:
        if not isinstance(label, str):
            return translate(label)
        if label not in self:
            self[label] = translate(label)
        return self[label]


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
    everything = every_cadre_warning(cadre, user)
    colour = colour_of(in_force_tier(snapshot_on(w.events, day), day) for w in everything)
    visible = [warning_as_of(w, day) for w in cadre_warnings(cadre, user)]
    return colour, [a for a in visible if a.snapshot is not None]


def verify_history(warning: Warning) -> bool:
    """Tell whether replaying the history gives the stored state, tier and fields."""
    snap = replay(warning.events)
    return snap is not None and snap == snapshot_of(warning)
