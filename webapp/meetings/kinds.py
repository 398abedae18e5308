"""The meeting kinds and decision kinds as declared defaults (seeded as dictionaries).

A kind's rhythm is the parameter ``meeting.<kind>_cron`` (UTC crontab); `young` kinds review
the 年轻干部 only. Decisions that are workflow events name the event they fire.
"""

from __future__ import annotations

from dataclasses import dataclass

from webapp.lookups import all_params, dict_labels
from workflows.states import Event

KIND_DICT = "meeting_kind"
DECISION_DICT = "meeting_decision"
QUARTERLY = "quarterly"


@dataclass(frozen=True)
class KindSpec:
    """One meeting kind: code, Chinese name, default rhythm, and whether it is for young cadres."""

    code: str
    label: str
    default_cron: str
    young: bool = False

    @property
    def param_key(self) -> str:
        """Return the parameter holding this kind's rhythm."""
        return f"meeting.{self.code}_cron"


# Times are UTC: 01:00 UTC is 09:00 in Shanghai. Cron has no "every other week": 双周研判
# falls on the 1st and 16th, 每月会商 on the 1st (a working-day shift is the secretary's).
KINDS: tuple[KindSpec, ...] = (
    KindSpec("weekly", "每周分析", "0 1 * * 1"),
    KindSpec("biweekly", "双周研判", "0 2 1,16 * *"),
    KindSpec("monthly", "每月会商", "0 3 1 * *"),
    KindSpec(QUARTERLY, "每季度综合研判", "0 3 5 1,4,7,10 *"),
    KindSpec("half_yearly", "每半年工作调度（年轻干部）", "0 3 10 1,7 *", young=True),
    KindSpec("yearly", "年度研判", "0 3 15 1 *"),
)
KIND_SPECS = {spec.code: spec for spec in KINDS}

# (code, label, the workflow event it fires or None, the record it asks for or "")
DECISIONS: tuple[tuple[str, str, Event | None, str], ...] = (
    ("watch", "继续关注", None, ""),
    ("verify", "开展核实", None, ""),
    ("propose", "提出预警", None, "warning"),
    ("escalate", "建议升级", Event.ESCALATE, ""),
    ("inquiry", "函询", None, "inquiry"),
    ("talk", "谈话提醒", None, "talk"),
    ("clarify", "澄清正名", Event.CLARIFY, ""),
    ("lift", "同意销号", Event.ACCEPT, ""),
    ("refer", "移送纪检监察机关", Event.REFER, ""),
    ("other", "其他", None, ""),
)
DECISION_EVENTS = {code: event for code, _, event, _ in DECISIONS if event is not None}
DECISION_RECORDS = {code: record for code, _, _, record in DECISIONS if record}


def kind_label(code: str) -> str:
    """Return a kind's name as the dictionary holds it."""
    spec = KIND_SPECS.get(code)
    return dict_labels(KIND_DICT).get(code) or (spec.label if spec else code)


def decision_label(code: str) -> str:
    """Return a decision kind's name as the dictionary holds it."""
    labels = {code: label for code, label, _, _ in DECISIONS}
    return dict_labels(DECISION_DICT).get(code) or labels.get(code, code)


def kind_cron(code: str) -> str:
    """Return the rhythm in force for a kind."""
    spec = KIND_SPECS[code]
    return all_params().get(spec.param_key) or spec.default_cron


def is_young(code: str) -> bool:
    """Tell whether a kind reviews the young cadres only."""
    spec = KIND_SPECS.get(code)
    return bool(spec and spec.young)
