"""Warnings (预警事项), their append-only history and the records each step leaves behind.

Only `webapp.warnings.services` writes `Warning.state` and `Warning.tier`; a test holds it to
that. The cadre's unit is the warning's unit for the data scope.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.auth import User
from webapp.models.base import Base, EnumInt, EnumText, TimestampMixin, utcnow
from webapp.models.cadres import Cadre, CountedUnderCadre
from webapp.models.negative_info import NegativeInfo
from webapp.models.talks import Inquiry, Talk
from workflows.states import State
from workflows.text import from_data
from workflows.tiers import Tier

# The negative-information items a warning rests on (依据).
warning_basis = sa.Table(
    "warning_basis",
    Base.metadata,
    sa.Column("warning_id", sa.ForeignKey("warning.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("negative_info_id", sa.ForeignKey("negative_info.id"), primary_key=True, index=True),
)


class Warning(CountedUnderCadre, TimestampMixin, Base):
    """A warning case moving through the workflow of DESIGN §5."""

    __tablename__ = "warning"
    __audited__ = True
    # The register lists newest first (id): these serve its state, tier and cadre filters.
    __table_args__ = (
        sa.Index("ix_warning_state_id", "state", "id"),
        sa.Index("ix_warning_tier_id", "tier", "id"),
        # 状态 and 层级 side by side, with the scope unit: the filtered page and a province-wide
        # capped count read this index alone.
        sa.Index("ix_warning_state_tier_order", "state", "tier", "id", "scope_unit_id"),
        sa.Index("ix_warning_cadre_id_id", "cadre_id", "id"),
        sa.Index("ix_warning_scope_id", "scope_unit_id", "id"),
        # A scoped user's count of 状态 and 层级: a seek per unit in scope, not a walk of the
        # province's pair (the order index above keeps the unit last).
        sa.Index("ix_warning_scope_state_tier", "scope_unit_id", "state", "tier"),
        # The register's order (id) with the scope unit: a scoped page from the index alone.
        sa.Index("ix_warning_id_scope", "id", "scope_unit_id"),
    )
    __audit_content__ = frozenset({"reason", "paused_reason"})

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    cadre_id: Mapped[int] = mapped_column(sa.ForeignKey("cadre.id"), index=True)
    tier: Mapped[Tier] = mapped_column(EnumInt(Tier))
    state: Mapped[State] = mapped_column(EnumText(State, 20), default=State.DRAFT)
    # Index into the tier's approval chain while pending approval; the role is kept for lists.
    approval_step: Mapped[int | None]
    awaiting_role: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    # The tier last approved: an escalation awaiting approval leaves it in force.
    issued_tier: Mapped[Tier | None] = mapped_column(EnumInt(Tier))
    paused: Mapped[bool] = mapped_column(default=False)
    paused_since: Mapped[date | None]
    paused_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    proposer_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    handler_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    suggested_tier: Mapped[int | None]
    # The suggestion's reasons as message data (workflows.text.to_data): each reader sees them
    # in their own language.
    suggestion_data: Mapped[list | None] = mapped_column(sa.JSON)
    # Start of the deadline now running and the workdays paused within it (for the lights).
    clock_started_on: Mapped[date | None]
    clock_paused_workdays: Mapped[int] = mapped_column(default=0)
    # The span the running deadline was set with (working days, or months for rectification):
    # a recount after 节假日维护 uses it, never the parameter value in force later.
    clock_workdays: Mapped[int | None]
    clock_months: Mapped[int | None]
    action_due: Mapped[date | None] = mapped_column(index=True)
    action_due_provisional: Mapped[bool] = mapped_column(default=False)
    rectification_due: Mapped[date | None] = mapped_column(index=True)
    rectification_due_provisional: Mapped[bool] = mapped_column(default=False)
    review_due: Mapped[date | None] = mapped_column(index=True)
    review_due_provisional: Mapped[bool] = mapped_column(default=False)
    issued_on: Mapped[date | None] = mapped_column(index=True)
    closed_on: Mapped[date | None] = mapped_column(index=True)
    influence_until: Mapped[date | None] = mapped_column(index=True)
    version: Mapped[int] = mapped_column(default=1)

    cadre: Mapped[Cadre] = relationship(lazy="joined")
    # Every list, export and page that shows a warning names its proposer: loaded with the
    # batch of warnings (one query for a page or an export chunk), never one a row.
    proposer: Mapped[User] = relationship(foreign_keys=[proposer_id], lazy="selectin")
    handler: Mapped[User | None] = relationship(foreign_keys=[handler_id])
    basis: Mapped[list[NegativeInfo]] = relationship(
        secondary=warning_basis, order_by="NegativeInfo.id"
    )
    events: Mapped[list[WarningEvent]] = relationship(
        back_populates="warning", order_by="WarningEvent.id"
    )
    approvals: Mapped[list[Approval]] = relationship(order_by="Approval.id")
    actions: Mapped[list[WarningAction]] = relationship(order_by="WarningAction.id")
    rectifications: Mapped[list[Rectification]] = relationship(order_by="Rectification.id")
    clarifications: Mapped[list[Clarification]] = relationship(order_by="Clarification.id")
    tolerance_decisions: Mapped[list[ToleranceDecision]] = relationship(
        order_by="ToleranceDecision.id"
    )
    referrals: Mapped[list[Referral]] = relationship(order_by="Referral.id")
    committee_decisions: Mapped[list[CommitteeDecision]] = relationship(
        order_by="CommitteeDecision.id"
    )
    proposals: Mapped[list[WarningProposal]] = relationship(
        back_populates="warning", order_by="WarningProposal.id"
    )

    # A second writer holding a stale copy gets a conflict instead of overwriting silently.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @classmethod
    def scope_columns(cls):
        """Return the cadre's unit and the proposer: the columns the data scope filters on."""
        return cls.scope_unit_id, cls.proposer_id

    def __str__(self) -> str:
        return self.number

    @property
    def suggestion_reasons(self) -> list[str]:
        """Return the suggestion's reasons as messages (they translate at display)."""
        return [from_data(item) for item in self.suggestion_data or []]

    @property
    def suggestion(self) -> str:
        """Return the suggestion's reasons as Chinese text, one per line."""
        return "\n".join(str(r) for r in self.suggestion_reasons)


class WarningEvent(Base):
    """One line of a warning's history: an event with the state and tier before and after."""

    __tablename__ = "warning_event"
    __append_only__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    warning_id: Mapped[int] = mapped_column(sa.ForeignKey("warning.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    actor_name: Mapped[str] = mapped_column(sa.String(64), default="")
    actor_role: Mapped[str] = mapped_column(sa.String(32), default="")
    # A workflow Event value, or "create" for the row that opens the history.
    event: Mapped[str] = mapped_column(sa.String(32))
    from_state: Mapped[str] = mapped_column(sa.String(20), default="")
    to_state: Mapped[str] = mapped_column(sa.String(20))
    from_tier: Mapped[int | None]
    to_tier: Mapped[int]
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    # What the event supplied and the warning's workflow fields after it ("after").
    payload: Mapped[dict | None] = mapped_column(sa.JSON)

    warning: Mapped[Warning] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class _WarningRecord:
    """Columns every side record shares: its warning, who recorded it and when."""

    id: Mapped[int] = mapped_column(primary_key=True)
    warning_id: Mapped[int] = mapped_column(sa.ForeignKey("warning.id"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Approval(_WarningRecord, Base):
    """One decision on one step of a tier's approval chain."""

    __tablename__ = "warning_approval"
    __audited__ = True
    __audit_content__ = frozenset({"comment"})

    tier: Mapped[int]
    step: Mapped[int]
    role: Mapped[str] = mapped_column(sa.String(32))
    decision: Mapped[str] = mapped_column(sa.String(16))  # approved | rejected
    comment: Mapped[str] = mapped_column(sa.Text, default="")

    recorded_by: Mapped[User | None] = relationship(lazy="selectin")  # shown on each row


class CommitteeDecision(_WarningRecord, Base):
    """The party committee's (党委) decision that closes a tier-3 approval chain."""

    __tablename__ = "warning_committee_decision"
    __audited__ = True
    __audit_content__ = frozenset({"summary"})

    document_number: Mapped[str] = mapped_column(sa.String(100))
    decided_on: Mapped[date]
    summary: Mapped[str] = mapped_column(sa.Text, default="")


class WarningAction(_WarningRecord, Base):
    """The measure taken once a warning is issued: talk, letter, inquiry or handling."""

    __tablename__ = "warning_action"
    __audited__ = True
    __audit_content__ = frozenset({"content"})

    tier: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(32))  # a workflows.tiers.ACTION_LABELS key
    org_handling: Mapped[str] = mapped_column(sa.String(32), default="")
    done_on: Mapped[date]
    talk_id: Mapped[int | None] = mapped_column(sa.ForeignKey("talk.id"), index=True)
    inquiry_id: Mapped[int | None] = mapped_column(sa.ForeignKey("inquiry.id"), index=True)
    # Otherwise the record it rests on, by number or title (a letter, a decision document).
    record_ref: Mapped[str] = mapped_column(sa.String(200), default="")
    content: Mapped[str] = mapped_column(sa.Text, default="")

    talk: Mapped[Talk | None] = relationship()
    inquiry: Mapped[Inquiry | None] = relationship()


class Rectification(_WarningRecord, Base):
    """One round of rectification: plan, report and the review of it."""

    __tablename__ = "warning_rectification"
    __audited__ = True
    __audit_content__ = frozenset({"plan", "report", "review_opinion"})

    round: Mapped[int] = mapped_column(default=1)
    plan: Mapped[str] = mapped_column(sa.Text, default="")
    started_on: Mapped[date]
    due: Mapped[date | None]
    report: Mapped[str] = mapped_column(sa.Text, default="")
    reported_on: Mapped[date | None]
    review_opinion: Mapped[str] = mapped_column(sa.Text, default="")
    review_result: Mapped[str] = mapped_column(sa.String(16), default="")  # accepted | returned
    reviewed_on: Mapped[date | None]
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))


class Clarification(_WarningRecord, Base):
    """Clearing a cadre's name (澄清正名) when the basis proved untrue."""

    __tablename__ = "warning_clarification"
    __audited__ = True
    __audit_content__ = frozenset({"summary"})

    # The item found 失实 when the clearing was automatic; empty for a reviewer's judgement.
    negative_info_id: Mapped[int | None] = mapped_column(sa.ForeignKey("negative_info.id"))
    # Empty until a reviewer records how the name is cleared (书面/当面/会议/通报).
    method: Mapped[str] = mapped_column(sa.String(32), default="")
    clarified_on: Mapped[date | None]
    scope: Mapped[str] = mapped_column(sa.String(200), default="")
    document_number: Mapped[str] = mapped_column(sa.String(100), default="")
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    automatic: Mapped[bool] = mapped_column(default=False)

    negative_info: Mapped[NegativeInfo | None] = relationship()


class ToleranceDecision(_WarningRecord, Base):
    """A fault-tolerance decision (容错认定): application, facts, the decision, the outcome."""

    __tablename__ = "warning_tolerance"
    __audited__ = True
    __audit_content__ = frozenset({"application", "facts", "distinctions"})

    application: Mapped[str] = mapped_column(sa.Text, default="")
    facts: Mapped[str] = mapped_column(sa.Text, default="")
    # How the 三个区分开来 apply to this case.
    distinctions: Mapped[str] = mapped_column(sa.Text, default="")
    collective_decision: Mapped[str] = mapped_column(sa.String(200), default="")
    decided_on: Mapped[date]
    outcome: Mapped[str] = mapped_column(sa.String(16))  # a workflows ToleranceOutcome value
    from_tier: Mapped[int]
    to_tier: Mapped[int | None]


class Referral(_WarningRecord, Base):
    """Referral of a tier-3 case to the discipline inspection body (移送)."""

    __tablename__ = "warning_referral"
    __audited__ = True
    __audit_content__ = frozenset({"note"})

    receiving_organ: Mapped[str] = mapped_column(sa.String(100))
    document_number: Mapped[str] = mapped_column(sa.String(100))
    referred_on: Mapped[date]
    note: Mapped[str] = mapped_column(sa.Text, default="")


class WarningProposal(Base):
    """A system proposal to escalate an overdue warning (rule 4); a person decides on it."""

    __tablename__ = "warning_proposal"
    __audited__ = True
    __table_args__ = (
        sa.UniqueConstraint("warning_id", "to_tier", name="uq_warning_proposal_warning_tier"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    warning_id: Mapped[int] = mapped_column(sa.ForeignKey("warning.id"), index=True)
    from_tier: Mapped[int]
    to_tier: Mapped[int]
    overdue_workdays: Mapped[int]
    # Why, as message data (workflows.text.to_data), shown in each reader's language.
    reason_data: Mapped[dict | str] = mapped_column(sa.JSON)
    proposed_on: Mapped[date]
    # open | accepted (the warning was escalated) | lapsed (it left the active states)
    status: Mapped[str] = mapped_column(sa.String(16), default="open", index=True)
    closed_at: Mapped[datetime | None]
    at: Mapped[datetime] = mapped_column(default=utcnow)

    warning: Mapped[Warning] = relationship(back_populates="proposals")

    @property
    def reason(self) -> str:
        """Return the proposal's reason (Chinese; translates at display)."""
        return from_data(self.reason_data)
