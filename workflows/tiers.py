"""The three warning tiers, their policies and the parameters every number comes from.

Deadlines, periods, thresholds and approval chains are data a sysadmin edits (参数管理).
`DEFAULT_PARAMETERS` is what the web app seeds into its Parameter table; it passes the table
back as a mapping, so values may arrive as strings and are parsed here.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum

from workflows.text import N_


class ParameterError(ValueError):
    """A parameter value cannot be parsed; the message names the key."""


class Tier(IntEnum):
    """Warning tier: 1 yellow 提醒, 2 orange 诫勉, 3 red 处置."""

    YELLOW = 1
    ORANGE = 2
    RED = 3

    @property
    def colour(self) -> str:
        """Return the colour code used by badges and CSS ("yellow", "orange", "red")."""
        return _COLOURS[self]

    @property
    def ordinal_zh(self) -> str:
        """Return the short Chinese name, e.g. "一级预警"."""
        return _ORDINALS_ZH[self]

    @property
    def colour_zh(self) -> str:
        """Return the Chinese colour word, e.g. "黄色"."""
        return _COLOURS_ZH[self]

    @property
    def measure_zh(self) -> str:
        """Return the tier's measure, e.g. "提醒"."""
        return _MEASURES_ZH[self]

    @property
    def label(self) -> str:
        """Return the badge label, e.g. "一级预警（黄色）"."""
        return _LABELS[self]

    @classmethod
    def parse(cls, value: object) -> "Tier":
        """Return the tier for 1/"1"/"yellow"/a Tier; raise ValueError otherwise."""
        if isinstance(value, Tier):
            return value
        if isinstance(value, str):
            text = value.strip().lower()
            for tier in cls:
                if text == tier.colour:
                    return tier
            if text.isdigit():
                return cls(int(text))
            raise ValueError(f"无法识别的预警等级：{value!r}")
        if isinstance(value, int) and not isinstance(value, bool):
            return cls(value)
        raise ValueError(f"无法识别的预警等级：{value!r}")


_COLOURS = {Tier.YELLOW: "yellow", Tier.ORANGE: "orange", Tier.RED: "red"}
_COLOURS_ZH = {Tier.YELLOW: N_("黄色"), Tier.ORANGE: N_("橙色"), Tier.RED: N_("红色")}
_ORDINALS_ZH = {Tier.YELLOW: N_("一级预警"), Tier.ORANGE: N_("二级预警"), Tier.RED: N_("三级预警")}
_LABELS = {
    Tier.YELLOW: N_("一级预警（黄色）"),
    Tier.ORANGE: N_("二级预警（橙色）"),
    Tier.RED: N_("三级预警（红色）"),
}
_MEASURES_ZH = {Tier.YELLOW: N_("提醒"), Tier.ORANGE: N_("诫勉"), Tier.RED: N_("处置")}

# Role codes as seeded by the web app. "minister" (部长) and "committee" (党委) appear only as
# approval steps; the labels are for messages, the UI takes its own from the Role table.
ROLE_LABELS: dict[str, str] = {
    "sysadmin": N_("系统管理员"),
    "auditor": N_("安全审计员"),
    "supervisor": N_("监督员"),
    "reviewer": N_("科长"),
    "approver": N_("分管领导"),
    "minister": N_("部长"),
    "committee": N_("党委"),
    "liaison": N_("联络员"),
    "viewer": N_("领导查阅"),
}

# The approval-chain step whose decision is a recorded document, not a user's click.
COMMITTEE_ROLE = "committee"

# Action kinds, any one of which answers the tier's requirement (DESIGN §4). Tier 2's written
# self-criticism follows the talk or letter; tier 3's referral is done by the `refer` event.
ACTION_LABELS: dict[str, str] = {
    "reminder_talk": N_("提醒谈话"),
    "written_reminder": N_("书面提醒"),
    "inquiry": N_("函询"),
    "admonishment_talk": N_("诫勉谈话"),
    "admonishment_letter": N_("诫勉书"),
    "written_self_criticism": N_("书面检查"),
    "org_handling": N_("组织处理"),
    "referral": N_("移送纪检监察机关"),
}

REQUIRED_ACTIONS: dict[Tier, tuple[str, ...]] = {
    Tier.YELLOW: ("reminder_talk", "written_reminder", "inquiry"),
    # The 书面检查 follows a 诫勉 (登记书面检查), it is no measure of its own.
    Tier.ORANGE: ("admonishment_talk", "admonishment_letter"),
    Tier.RED: ("org_handling", "referral"),
}


@dataclass(frozen=True)
class ParameterSpec:
    """One editable parameter: its key, default, Chinese label and kind ("int" or "roles")."""

    key: str
    default: int | str
    label: str
    kind: str


# The default 影响期 of each kind of tier-3 measure (组织处理 and 移送), in months. Sources
# (shared/reference): 推进领导干部能上能下规定 — 调整职务、调离岗位 一年内不得提拔, 免职、责令辞职
# 一年内不安排职务、两年内不得担任高于原层次职务, 降职 两年内不得提拔; 停职检查 follows the
# 诫勉 practice of six months; 移送 counts one year (the lightest 党纪处分, 警告, S65) until
# the discipline body's decision sets its own period.
ORG_HANDLING_INFLUENCE: dict[str, tuple[int, str]] = {
    "suspension": (6, N_("三级预警影响期：停职检查（月）")),
    "adjust": (12, N_("三级预警影响期：调整职务（月）")),
    "transfer_post": (12, N_("三级预警影响期：调离岗位（月）")),
    "removal": (24, N_("三级预警影响期：免职（月）")),
    "demotion": (24, N_("三级预警影响期：降职（月）")),
    "resign": (24, N_("三级预警影响期：责令辞职（月）")),
    "referral": (12, N_("三级预警影响期：移送纪检监察机关（月）")),
}

PARAMETER_SPECS: tuple[ParameterSpec, ...] = (
    ParameterSpec(
        "warning.tier1.approval_chain",
        "reviewer,approver",
        "一级预警审批链（按审批顺序）",
        "roles",
    ),
    ParameterSpec(
        "warning.tier2.approval_chain",
        "reviewer,approver,minister",
        "二级预警审批链（按审批顺序）",
        "roles",
    ),
    ParameterSpec(
        "warning.tier3.approval_chain",
        "reviewer,approver,minister,committee",
        "三级预警审批链（按审批顺序，最后一步为党委决定）",
        "roles",
    ),
    ParameterSpec(
        "warning.committee_recorder_roles",
        "reviewer",
        "可登记党委决定（审批链的党委步骤）的角色",
        "roles",
    ),
    ParameterSpec(
        "warning.action_deadline_workdays", 10, "审批通过后开展处置的期限（工作日）", "int"
    ),
    ParameterSpec("warning.rectification_months", 6, "一级、二级预警整改报告期限（月）", "int"),
    ParameterSpec("warning.review_workdays", 10, "整改报告提交后完成复核的期限（工作日）", "int"),
    ParameterSpec("warning.tier1.influence_months", 0, "一级预警影响期（月，0 为无）", "int"),
    ParameterSpec("warning.tier2.influence_months", 6, "二级预警影响期（月）", "int"),
    ParameterSpec(
        "warning.tier3.influence_months",
        12,
        "三级预警默认影响期（月，处理决定另有规定的从其规定）",
        "int",
    ),
    *(
        ParameterSpec(f"warning.influence_months.{kind}", months, label, "int")
        for kind, (months, label) in ORG_HANDLING_INFLUENCE.items()
    ),
    ParameterSpec(
        "suggest.count_window_months", 12, "建议规则2：统计一级问题的时间窗口（月）", "int"
    ),
    ParameterSpec(
        "suggest.count_threshold", 2, "建议规则2：窗口内已核实一级问题达到该件数建议二级", "int"
    ),
    ParameterSpec(
        "suggest.overdue_grace_workdays", 5, "建议规则4：超期超过该工作日数建议升级", "int"
    ),
)

DEFAULT_PARAMETERS: dict[str, int | str] = {spec.key: spec.default for spec in PARAMETER_SPECS}

# Commas of either width and any whitespace separate role codes typed into the admin page.
_ROLE_SPLIT = re.compile(r"[,，、\s]+")


def _raw(params: Mapping[str, object] | None, key: str) -> object:
    # A partial mapping is normal (a new key not yet seeded): fall back to the default.
    if params is not None and key in params and params[key] not in (None, ""):
        return params[key]
    if key in DEFAULT_PARAMETERS:
        return DEFAULT_PARAMETERS[key]
    raise ParameterError(f"未知参数：{key}")


def param_int(params: Mapping[str, object] | None, key: str) -> int:
    """Return a non-negative integer parameter, parsing strings from the database."""
    value = _raw(params, key)
    if isinstance(value, bool):
        raise ParameterError(f"参数 {key} 应为非负整数，实际为 {value!r}")
    if isinstance(value, str):
        text = value.strip()
        if not text.isdigit():
            raise ParameterError(f"参数 {key} 应为非负整数，实际为 {value!r}")
        return int(text)
    if isinstance(value, int) and value >= 0:
        return value
    raise ParameterError(f"参数 {key} 应为非负整数，实际为 {value!r}")


def param_roles(params: Mapping[str, object] | None, key: str) -> tuple[str, ...]:
    """Return a non-empty tuple of role codes from "a,b,c" or a sequence."""
    value = _raw(params, key)
    if isinstance(value, str):
        roles = tuple(part for part in _ROLE_SPLIT.split(value.strip()) if part)
    elif isinstance(value, Iterable):
        roles = tuple(str(part).strip() for part in value if str(part).strip())
    else:
        raise ParameterError(f"参数 {key} 应为逗号分隔的角色代码，实际为 {value!r}")
    if not roles:
        raise ParameterError(f"参数 {key} 不能为空")
    return roles


@dataclass(frozen=True)
class TierPolicy:
    """What a tier requires: approval chain, action deadline, rectification and influence."""

    tier: Tier
    approval_chain: tuple[str, ...]
    action_deadline_workdays: int
    # None: the organizational decision sets the rectification terms (tier 3).
    rectification_months: int | None
    influence_months: int
    required_actions: tuple[str, ...]

    def step_role(self, step: int | None) -> str | None:
        """Return the role code of approval step `step`, or None when out of the chain."""
        if step is None or not 0 <= step < len(self.approval_chain):
            return None
        return self.approval_chain[step]


def tier_policy(tier: Tier | int | str, params: Mapping[str, object] | None = None) -> TierPolicy:
    """Build the policy of `tier` from the parameters (defaults where a key is missing)."""
    tier = Tier.parse(tier)
    return TierPolicy(
        tier=tier,
        approval_chain=param_roles(params, f"warning.tier{tier.value}.approval_chain"),
        action_deadline_workdays=param_int(params, "warning.action_deadline_workdays"),
        rectification_months=(
            None if tier is Tier.RED else param_int(params, "warning.rectification_months")
        ),
        influence_months=param_int(params, f"warning.tier{tier.value}.influence_months"),
        required_actions=REQUIRED_ACTIONS[tier],
    )


def influence_months_for(kind: str, params: Mapping[str, object] | None = None) -> int:
    """Return the default 影响期 in months of a tier-3 measure kind (组织处理 or 移送)."""
    if kind not in ORG_HANDLING_INFLUENCE:
        raise ParameterError(f"未知的组织处理方式：{kind}")
    return param_int(params, f"warning.influence_months.{kind}")


def role_label(code: str) -> str:
    """Return the Chinese label of a role code, or the code itself when unknown."""
    return ROLE_LABELS.get(code, code)
