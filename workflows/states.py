"""Warning states and workflow events, with their Chinese labels (DESIGN §5)."""

from enum import StrEnum

from workflows.text import N_


class State(StrEnum):
    """Where a warning stands (`Warning.state`)."""

    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    ISSUED = "issued"
    RECTIFYING = "rectifying"
    REVIEWING = "reviewing"
    LIFTED = "lifted"
    REVOKED = "revoked"
    REFERRED = "referred"

    @property
    def label(self) -> str:
        """Return the Chinese state badge, e.g. "已下达"."""
        return _STATE_LABELS[self]

    @property
    def is_final(self) -> bool:
        """Return whether no event can leave this state."""
        return self in FINAL_STATES


class Event(StrEnum):
    """Something a person does to a warning; `transitions.TRANSITIONS` says where it leads."""

    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    RECORD_ACTION = "record_action"
    SUBMIT_REPORT = "submit_report"
    RECORD_SELF_CRITICISM = "record_self_criticism"
    ACCEPT = "accept"
    RETURN = "return"
    ESCALATE = "escalate"
    CLARIFY = "clarify"
    TOLERATE = "tolerate"
    REFER = "refer"
    WITHDRAW = "withdraw"
    PAUSE = "pause"
    RESUME = "resume"

    @property
    def label(self) -> str:
        """Return the Chinese action label, e.g. "送审"."""
        return _EVENT_LABELS[self]


_STATE_LABELS = {
    State.DRAFT: N_("拟预警"),
    State.PENDING_APPROVAL: N_("待审批"),
    State.ISSUED: N_("已下达"),
    State.RECTIFYING: N_("整改中"),
    State.REVIEWING: N_("待复核"),
    State.LIFTED: N_("已销号"),
    State.REVOKED: N_("已撤销"),
    State.REFERRED: N_("已移送"),
}

_EVENT_LABELS = {
    Event.SUBMIT: N_("送审"),
    Event.APPROVE: N_("审批通过"),
    Event.REJECT: N_("退回"),
    Event.RECORD_ACTION: N_("记录处置"),
    Event.SUBMIT_REPORT: N_("提交整改报告"),
    Event.RECORD_SELF_CRITICISM: N_("登记书面检查"),
    Event.ACCEPT: N_("复核通过"),
    Event.RETURN: N_("退回整改"),
    Event.ESCALATE: N_("升级"),
    Event.CLARIFY: N_("澄清"),
    Event.TOLERATE: N_("容错"),
    Event.REFER: N_("移送"),
    Event.WITHDRAW: N_("撤回"),
    Event.PAUSE: N_("暂停计时"),
    Event.RESUME: N_("恢复计时"),
}

FINAL_STATES: frozenset[State] = frozenset({State.LIFTED, State.REVOKED, State.REFERRED})
OPEN_STATES: frozenset[State] = frozenset(State) - FINAL_STATES

# Issued and not yet closed: what colours a cadre and what rule 3 (recurrence) looks at.
ACTIVE_STATES: frozenset[State] = frozenset({State.ISSUED, State.RECTIFYING, State.REVIEWING})

# A clock runs from submission on (approval steps have deadlines too); a draft has none.
CLOCK_STATES: frozenset[State] = OPEN_STATES - {State.DRAFT}
