"""How the stored codes of the audited columns read: states, tiers, roles, scopes, decisions.

Each word comes from the table that owns it (the workflow's states and tiers, the roles, the
channels…), never a copy; a value none of them knows is shown as stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.admin.forms import SCOPE_LABELS
from webapp.i18n import translate
from webapp.models import DataScope
from webapp.models.meetings import MeetingStatus
from webapp.reminders_admin.channels import LABELS as CHANNEL_LABELS
from workflows.states import State
from workflows.tiers import ACTION_LABELS, Tier, role_label

DECISIONS = {"approved": _l("同意"), "rejected": _l("退回")}
REVIEW_RESULTS = {"accepted": _l("复核通过"), "returned": _l("退回整改")}
VALUE_TYPES = {
    "int": _l("整数"),
    "str": _l("文字"),
    "bool": _l("是/否"),
    "time": _l("时刻"),
    "cron": _l("定时规则"),
    "list": _l("列表"),
    "roles": _l("角色"),
    "role_chain": _l("审批链"),
}


def state_words(value: Any) -> str:
    """Return a warning state's badge, e.g. 已下达."""
    return translate(State(value).label)


def tier_words(value: Any) -> str:
    """Return a tier's badge, e.g. 二级预警（橙色）."""
    return translate(Tier.parse(value).label)


def role_words(value: Any) -> str:
    """Return a role's (or approval step's) name."""
    return translate(role_label(str(value)))


def step_words(value: Any) -> str:
    """Return an approval step (an index into the chain) as people count it: 第 1 步."""
    return _("第 %(n)s 步", n=int(value) + 1)


def table(labels: dict) -> Callable[[Any], str]:
    """Return a reader of one label table (keys as stored)."""

    def words(value: Any) -> str:
        return str(labels[value])

    return words


def scope_words(value: Any) -> str:
    """Return a data scope's name, e.g. 本部门及以下."""
    return str(SCOPE_LABELS[DataScope(value)])


def channel_words(value: Any) -> str:
    """Return a channel's name, e.g. 企业微信."""
    return str(next(label for code, label in CHANNEL_LABELS.items() if code.value == value))


def meeting_status_words(value: Any) -> str:
    """Return a meeting's status, e.g. 已结束."""
    return translate(MeetingStatus(value).label)


TIERS = ("tier", "issued_tier", "suggested_tier", "from_tier", "to_tier", "default_tier")
# model ("*": any) → column → how its codes read.
WORDS: dict[str, dict[str, Callable[[Any], str]]] = {
    "*": {name: tier_words for name in TIERS},
    "Warning": {"state": state_words, "awaiting_role": role_words, "approval_step": step_words},
    "Approval": {"role": role_words, "decision": table(DECISIONS), "step": step_words},
    "WarningAction": {"kind": table({k: translate(v) for k, v in ACTION_LABELS.items()})},
    "Rectification": {"review_result": table(REVIEW_RESULTS)},
    "User": {"data_scope": scope_words},
    "Parameter": {"value_type": table(VALUE_TYPES)},
    "NotificationPreference": {"channel": channel_words},
    "Meeting": {"status": meeting_status_words},
}


def value_words(object_type: str, key: str, value: Any) -> str | None:
    """Return how a stored code reads, or None when no table says (or knows the value)."""
    reader = WORDS.get(object_type, {}).get(key) or WORDS["*"].get(key)
    if reader is None:
        return None
    try:
        return reader(value)
    except (KeyError, ValueError, TypeError, StopIteration):
        return None
