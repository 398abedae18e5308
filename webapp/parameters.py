"""Every parameter (参数) the app reads: key, default, type, group, meaning and bounds.

The one runtime registry: `webapp.lookups` fills in these defaults, the seed creates the missing
rows from them and 参数管理 reads each parameter's kind and bounds here. The workflow's own
parameters are declared next to the rules that read them (`workflows.tiers.PARAMETER_SPECS`).
"""

from __future__ import annotations

from dataclasses import dataclass

from workflows.text import N_
from workflows.tiers import ORG_HANDLING_INFLUENCE, PARAMETER_SPECS

# Value types: "int", "str", "bool", "time", "cron" (five fields, UTC), "list" (comma-separated words), "roles" (a set of
# role codes), "role_chain" (role codes in approval order) and "jobs" (scheduled job ids). Role lists are stored as
# "a,b,c" either way, as `workflows.tiers.param_roles` reads them.
ROLE_TYPES = ("roles", "role_chain")
# Role lists about accounts, not case steps: they give nothing, so they may name any role.
ACCOUNT_ROLE_LISTS = frozenset({"auth.totp_required_roles"})


@dataclass(frozen=True)
class ParameterDefault:
    """A parameter's key, default value, type, group, meaning and bounds."""

    key: str
    value: str
    value_type: str
    group: str
    description: str
    min_value: int | None = None
    max_value: int | None = None


def p(key, value, group, description, lo=None, hi=None, value_type="int") -> ParameterDefault:
    """Shorten the table below."""
    return ParameterDefault(key, str(value), value_type, group, description, lo, hi)


APP_PARAMETERS: tuple[ParameterDefault, ...] = (
    p("auth.password_min_length", 10, N_("安全"), N_("密码最小长度"), 8, 64),
    p("auth.lockout_threshold", 5, N_("安全"), N_("连续登录失败多少次后锁定账号"), 1, 20),
    p("auth.lockout_minutes", 15, N_("安全"), N_("账号锁定时长（分钟）"), 1, 1440),
    p("auth.idle_timeout_minutes", 30, N_("安全"), N_("无操作自动退出时长（分钟）"), 5, 480),
    p("auth.session_lifetime_hours", 12, N_("安全"), N_("登录会话最长有效时长（小时）"), 1, 72),
    p(
        "auth.max_sessions_per_user",
        3,
        N_("安全"),
        N_("每个账号同时在线会话数上限（超出时结束最早的）"),
        1,
        20,
    ),
    p(
        "auth.password_max_age_days",
        90,
        N_("安全"),
        N_("密码最长使用期限（天，0 表示不限）"),
        0,
        365,
    ),
    p("auth.password_history_count", 5, N_("安全"), N_("新密码不得与最近多少次密码相同"), 1, 24),
    # The three administrators need it whatever this list says (webapp/auth/two_factor.py).
    p(
        "auth.totp_required_roles",
        "sysadmin,secadmin,auditor,approver,minister",
        N_("安全"),
        N_("必须启用两步验证（动态口令）的角色"),
        value_type="roles",
    ),
    p("report.summary_max_chars", 1000, N_("负面信息"), N_("事实摘要最多字数"), 100, 5000),
    p(
        "report.verification_workdays",
        15,
        N_("负面信息"),
        N_("核实期限默认工作日（来源未设置时）"),
        1,
        120,
    ),
    p(
        "report.duplicate_window_days",
        90,
        N_("负面信息"),
        N_("疑似重复信息的比对窗口（天）"),
        1,
        365,
    ),
    p("upload.max_mb", 20, N_("负面信息"), N_("单个附件大小上限（MB）"), 1, 100),
    p(
        "upload.allowed_types",
        "pdf,jpg,png,docx,xlsx",
        N_("负面信息"),
        N_("允许上传的附件类型"),
        value_type="list",
    ),
    p("inquiry.reply_workdays", 15, N_("函询"), N_("函询回复期限（工作日）"), 1, 60),
    p("action.self_criticism_workdays", 5, N_("预警"), N_("书面检查提交期限（工作日）"), 1, 30),
    p("talk.mandatory_due_workdays", 20, N_("谈话"), N_("必谈事项完成期限（工作日）"), 1, 60),
    p("talk.follow_up_months", 3, N_("谈话"), N_("谈话后回访默认间隔（月）"), 1, 12),
    p("document.issuer", "中共××市委组织部", N_("文书"), N_("文书落款单位"), value_type="str"),
    p("reminder.yellow_percent", 50, N_("提醒"), N_("已用时限达到百分之多少亮黄灯"), 10, 90),
    p(
        "reminder.ack_escalate_workdays",
        3,
        N_("提醒"),
        N_("确认的计划日期逾期多少工作日后上报上级"),
        0,
        30,
    ),
    p(
        "reminder.daily_digest_time",
        "08:00",
        N_("提醒"),
        N_("每日待办汇总发送时间"),
        value_type="time",
    ),
    p(
        "reminder.weekly_analysis_time",
        "09:00",
        N_("提醒"),
        N_("每周一分析发送时间"),
        value_type="time",
    ),
    p("notify.max_attempts", 6, N_("提醒"), N_("投递失败最多重试次数"), 1, 20),
    p("notify.backoff_seconds", 60, N_("提醒"), N_("重试退避基数（秒）"), 5, 3600),
    p("reminder.approval_wait_workdays", 3, N_("提醒"), N_("审批环节等待多少工作日提醒"), 1, 30),
    p(
        "scheduler.paused_jobs",
        "",
        N_("提醒"),
        N_("已暂停的定时任务"),
        value_type="jobs",
    ),
    p(
        "scheduler.sweep_cron",
        "*/5 * * * *",
        N_("提醒"),
        N_("巡检（到期提醒、升级建议、复绿）频率"),
        value_type="cron",
    ),
    p(
        "scheduler.dispatch_cron",
        "* * * * *",
        N_("提醒"),
        N_("消息发送频率"),
        value_type="cron",
    ),
    p(
        "scheduler.holiday_reminder_cron",
        "0 1 * * *",
        N_("提醒"),
        N_("节假日录入提醒时间"),
        value_type="cron",
    ),
    # Review meetings' rhythms (webapp/meetings/kinds.py holds the same defaults).
    p(
        "meeting.weekly_cron",
        "0 1 * * 1",
        N_("研判会商"),
        N_("每周分析召开时间"),
        value_type="cron",
    ),
    p(
        "meeting.biweekly_cron",
        "0 2 1,16 * *",
        N_("研判会商"),
        N_("双周研判召开时间"),
        value_type="cron",
    ),
    p(
        "meeting.monthly_cron",
        "0 3 1 * *",
        N_("研判会商"),
        N_("每月会商召开时间"),
        value_type="cron",
    ),
    p(
        "meeting.quarterly_cron",
        "0 3 5 1,4,7,10 *",
        N_("研判会商"),
        N_("每季度综合研判召开时间"),
        value_type="cron",
    ),
    p(
        "meeting.half_yearly_cron",
        "0 3 10 1,7 *",
        N_("研判会商"),
        N_("每半年工作调度召开时间"),
        value_type="cron",
    ),
    p(
        "meeting.yearly_cron",
        "0 3 15 1 *",
        N_("研判会商"),
        N_("年度研判召开时间"),
        value_type="cron",
    ),
)

# Bounds of the workflow's numeric parameters (the workflow declares only key, default, label).
WORKFLOW_BOUNDS: dict[str, tuple[int, int]] = {
    "warning.action_deadline_workdays": (1, 60),
    "warning.rectification_months": (1, 24),
    "warning.review_workdays": (1, 60),
    "warning.tier1.influence_months": (0, 36),
    "warning.tier2.influence_months": (0, 36),
    "warning.tier3.influence_months": (6, 24),
    "suggest.count_window_months": (1, 36),
    "suggest.count_threshold": (2, 10),
    "suggest.overdue_grace_workdays": (0, 60),
    # Each kind of tier-3 measure: up to five years (降职 and 免职 count two by default).
    **{f"warning.influence_months.{kind}": (0, 60) for kind in ORG_HANDLING_INFLUENCE},
}


def workflow_type(kind: str, key: str) -> str:
    """Return the value type of a workflow parameter."""
    if kind == "int":
        return "int"
    # An approval chain is walked step by step, so its order matters; other role lists are sets.
    return "role_chain" if key.endswith(".approval_chain") else "roles"


WORKFLOW_PARAMETERS: tuple[ParameterDefault, ...] = tuple(
    ParameterDefault(
        spec.key,
        str(spec.default),
        workflow_type(spec.kind, spec.key),
        N_("研判规则") if spec.key.startswith("suggest.") else N_("预警"),
        spec.label,
        *WORKFLOW_BOUNDS.get(spec.key, (None, None)),
    )
    for spec in PARAMETER_SPECS
)

DEFAULT_PARAMETERS: tuple[ParameterDefault, ...] = APP_PARAMETERS + WORKFLOW_PARAMETERS
PARAMETER_DEFAULTS: dict[str, ParameterDefault] = {d.key: d for d in DEFAULT_PARAMETERS}


def value_type_of(key: str, stored: str) -> str:
    """Return a parameter's type as declared here, else as its row says (an unknown key)."""
    spec = PARAMETER_DEFAULTS.get(key)
    return spec.value_type if spec else stored


# The areas of 参数管理, in the order the page shows them (a group not listed comes last).
GROUP_ORDER: tuple[str, ...] = (
    N_("预警"),
    N_("研判规则"),
    N_("负面信息"),
    N_("函询"),
    N_("谈话"),
    N_("提醒"),
    N_("研判会商"),
    N_("文书"),
    N_("安全"),
)

# The unit a number is counted in, by how a part of its key ends (shown after the box).
UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("_workdays", N_("工作日")),
    ("_days", N_("天")),
    ("_months", N_("个月")),
    ("_minutes", N_("分钟")),
    ("_hours", N_("小时")),
    ("_seconds", N_("秒")),
    ("_mb", N_("MB")),
    ("_percent", N_("%")),
    ("_chars", N_("字")),
    ("_length", N_("位")),
    ("_count", N_("次")),
    ("_threshold", N_("次")),
    ("_attempts", N_("次")),
)
UNIT_OF_KEY: dict[str, str] = {
    "auth.max_sessions_per_user": N_("个"),
    "suggest.count_threshold": N_("件"),
}

# A sentence on what each parameter changes, shown under its name; types say the rest.
HELP: dict[str, str] = {
    "auth.lockout_threshold": N_("达到次数后账号按“账号锁定时长”锁定，安全管理员可提前解锁。"),
    "auth.password_max_age_days": N_("到期后登录时须先修改密码。"),
    "auth.totp_required_roles": N_("勾选的角色登录时须输入动态口令；三员始终须启用。"),
    "report.verification_workdays": N_("信息来源未设置核实期限时，从开始核实之日起算。"),
    "report.duplicate_window_days": N_("同一干部在此天数内的相似信息提示为疑似重复。"),
    "upload.allowed_types": N_("文件扩展名，用逗号分隔，例如 pdf,jpg,docx。"),
    "inquiry.reply_workdays": N_("从发函之日起算，节假日不计。"),
    "talk.mandatory_due_workdays": N_("从必谈情形发生之日起算。"),
    "talk.follow_up_months": N_("提醒谈话、诫勉谈话未填回访日期时，按此间隔自动安排。"),
    "document.issuer": N_("生成的文书落款处显示的单位名称。"),
    "reminder.yellow_percent": N_("期限已用比例达到此值亮黄灯，到期未办亮红灯。"),
    "reminder.ack_escalate_workdays": N_("0 表示逾期即上报。"),
    "reminder.daily_digest_time": N_("按本地时间（北京时间）发送。"),
    "reminder.weekly_analysis_time": N_("按本地时间（北京时间）发送。"),
    "notify.backoff_seconds": N_("每次重试的等待时间以此为基数逐次加倍（有上限）。"),
    "scheduler.paused_jobs": N_("通常在“定时任务”页面暂停或恢复，无需在此修改。"),
    "warning.tier1.approval_chain": N_("按顺序逐级审批，最后一步通过后预警下达。"),
    "warning.tier2.approval_chain": N_("按顺序逐级审批，最后一步通过后预警下达。"),
    "warning.tier3.approval_chain": N_("按顺序逐级审批；“党委”一步须上传党委决定文件。"),
    "warning.committee_recorder_roles": N_("这些角色可在审批链的党委步骤登记党委决定。"),
    "warning.action_deadline_workdays": N_("预警下达后，须在此期限内完成谈话、函询等处置。"),
    "warning.rectification_months": N_("三级预警的整改期限由处理决定确定。"),
    "warning.tier3.influence_months": N_("处理决定另有规定的，从其规定。"),
    "suggest.count_window_months": N_(
        "与“件数”一起使用：窗口内已核实一级问题达到件数时建议二级预警。"
    ),
    "suggest.overdue_grace_workdays": N_("处置或整改超期超过此工作日数，系统建议升级一级。"),
}
# What the editor says of each type when the parameter has no sentence of its own.
TYPE_HELP: dict[str, str] = {
    "cron": N_(
        "五段式 cron 表达式（分 时 日 月 周），按 UTC 填写；下方显示换算为本地时间的运行时间。"
    ),
    "time": N_("按本地时间（北京时间）填写，格式为 时:分。"),
    "list": N_("多个值用逗号分隔。"),
}


def unit_of(key: str) -> str:
    """Return the unit a numeric parameter is counted in ("" if none)."""
    if key in UNIT_OF_KEY:
        return UNIT_OF_KEY[key]
    # The counted word may stand before a last part: warning.influence_months.removal.
    for part in reversed(key.split(".")):
        unit = next((unit for suffix, unit in UNIT_SUFFIXES if part.endswith(suffix)), "")
        if unit:
            return unit
    return ""


def help_of(key: str, value_type: str) -> str:
    """Return the sentence shown under a parameter's name (its own, else its type's)."""
    return HELP.get(key) or TYPE_HELP.get(value_type, "")


def group_rank(group: str) -> int:
    """Return where a group stands on the page."""
    return GROUP_ORDER.index(group) if group in GROUP_ORDER else len(GROUP_ORDER)


def bounds_of(key: str, stored_min: int | None, stored_max: int | None) -> tuple:
    """Return a parameter's (min, max): as declared here, else as its row says."""
    spec = PARAMETER_DEFAULTS.get(key)
    if spec is not None and (spec.min_value is not None or spec.max_value is not None):
        return spec.min_value, spec.max_value
    return stored_min, stored_max
