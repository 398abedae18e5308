"""Every parameter (参数) the app reads: key, default, type, group, meaning and bounds.

The one runtime registry: `webapp.lookups` fills in these defaults, the seed creates the missing
rows from them and 参数管理 reads each parameter's kind and bounds here. The workflow's own
parameters are declared next to the rules that read them (`workflows.tiers.PARAMETER_SPECS`).
"""

from __future__ import annotations

from dataclasses import dataclass

from workflows.tiers import PARAMETER_SPECS

# Value types: "int", "str", "bool", "time", "cron" (five fields, UTC), "list" (comma-separated words), "roles" (a set of
# role codes) and "role_chain" (role codes in approval order). Role lists are stored as
# "a,b,c" either way, as `workflows.tiers.param_roles` reads them.
ROLE_TYPES = ("roles", "role_chain")


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
    p("auth.password_min_length", 10, "安全", "密码最小长度", 8, 64),
    p("auth.lockout_threshold", 5, "安全", "连续登录失败多少次后锁定账号", 1, 20),
    p("auth.lockout_minutes", 15, "安全", "账号锁定时长（分钟）", 1, 1440),
    p("auth.idle_timeout_minutes", 30, "安全", "无操作自动退出时长（分钟）", 5, 480),
    p("auth.session_lifetime_hours", 12, "安全", "登录会话最长有效时长（小时）", 1, 72),
    p(
        "auth.max_sessions_per_user",
        3,
        "安全",
        "每个账号同时在线会话数上限（超出时结束最早的）",
        1,
        20,
    ),
    p("auth.password_max_age_days", 90, "安全", "密码最长使用期限（天，0 表示不限）", 0, 365),
    p("auth.password_history_count", 5, "安全", "新密码不得与最近多少次密码相同", 1, 24),
    # The three administrators need it whatever this list says (webapp/auth/two_factor.py).
    p(
        "auth.totp_required_roles",
        "sysadmin,secadmin,auditor,approver,minister",
        "安全",
        "必须启用两步验证（动态口令）的角色",
        value_type="roles",
    ),
    p("report.summary_max_chars", 1000, "负面信息", "事实摘要最多字数", 100, 5000),
    p("report.verification_workdays", 15, "负面信息", "核实期限默认工作日（来源未设置时）", 1, 120),
    p("report.duplicate_window_days", 90, "负面信息", "疑似重复信息的比对窗口（天）", 1, 365),
    p("upload.max_mb", 20, "负面信息", "单个附件大小上限（MB）", 1, 100),
    p(
        "upload.allowed_types",
        "pdf,jpg,png,docx,xlsx",
        "负面信息",
        "允许上传的附件类型",
        value_type="list",
    ),
    p("inquiry.reply_workdays", 15, "函询", "函询回复期限（工作日）", 1, 60),
    p("action.self_criticism_workdays", 5, "预警", "书面检查提交期限（工作日）", 1, 30),
    p("talk.mandatory_due_workdays", 20, "谈话", "必谈事项完成期限（工作日）", 1, 60),
    p("talk.follow_up_months", 3, "谈话", "谈话后回访默认间隔（月）", 1, 12),
    p("document.issuer", "中共××市委组织部", "文书", "文书落款单位", value_type="str"),
    p("reminder.yellow_percent", 50, "提醒", "已用时限达到百分之多少亮黄灯", 10, 90),
    p("reminder.ack_escalate_workdays", 3, "提醒", "确认的计划日期逾期多少工作日后上报上级", 0, 30),
    p("reminder.daily_digest_time", "08:00", "提醒", "每日待办汇总发送时间", value_type="time"),
    p("reminder.weekly_analysis_time", "09:00", "提醒", "每周一分析发送时间", value_type="time"),
    p("notify.max_attempts", 6, "提醒", "投递失败最多重试次数", 1, 20),
    p("notify.backoff_seconds", 60, "提醒", "重试退避基数（秒）", 5, 3600),
    p("reminder.approval_wait_workdays", 3, "提醒", "审批环节等待多少工作日提醒", 1, 30),
    p(
        "scheduler.paused_jobs",
        "",
        "提醒",
        "已暂停的定时任务（任务ID，逗号分隔）",
        value_type="list",
    ),
    p(
        "scheduler.sweep_cron",
        "*/5 * * * *",
        "提醒",
        "巡检（到期提醒、升级建议、复绿）频率（cron，UTC）",
        value_type="cron",
    ),
    p(
        "scheduler.dispatch_cron",
        "* * * * *",
        "提醒",
        "消息发送频率（cron，UTC）",
        value_type="cron",
    ),
    p(
        "scheduler.holiday_reminder_cron",
        "0 1 * * *",
        "提醒",
        "节假日录入提醒时间（cron，UTC）",
        value_type="cron",
    ),
    # Review meetings' rhythms (webapp/meetings/kinds.py holds the same defaults).
    p(
        "meeting.weekly_cron",
        "0 1 * * 1",
        "研判会商",
        "每周分析召开时间（cron，UTC）",
        value_type="cron",
    ),
    p(
        "meeting.biweekly_cron",
        "0 2 1,16 * *",
        "研判会商",
        "双周研判召开时间（cron，UTC）",
        value_type="cron",
    ),
    p(
        "meeting.monthly_cron",
        "0 3 1 * *",
        "研判会商",
        "每月会商召开时间（cron，UTC）",
        value_type="cron",
    ),
    p(
        "meeting.quarterly_cron",
        "0 3 5 1,4,7,10 *",
        "研判会商",
        "每季度综合研判召开时间（cron，UTC）",
        value_type="cron",
    ),
    p(
        "meeting.half_yearly_cron",
        "0 3 10 1,7 *",
        "研判会商",
        "每半年工作调度召开时间（cron，UTC）",
        value_type="cron",
    ),
    p(
        "meeting.yearly_cron",
        "0 3 15 1 *",
        "研判会商",
        "年度研判召开时间（cron，UTC）",
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
        "研判规则" if spec.key.startswith("suggest.") else "预警",
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
