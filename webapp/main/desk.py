"""Each role's first screen (工作台): the panels of what waits for the user, chosen by permission.

Roles are data, so a desk is not picked by role code: each panel names the permission that makes
its work the user's, and a user sees every panel their role's permissions open. A supervisor
gets the items to verify and the escalation proposals, a reviewer also the 待审批 steps, the
待复核 reviews and the clearings to complete, an approver or minister the 待审批 steps, the
system administrator the failed jobs, dead deliveries, the holiday schedule and locked accounts,
the security administrator the locked accounts, the auditor the recent security events, and a
liaison their own submissions with a 报送 button. Every line links to where it is handled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.holidays.services import reminder_year
from webapp.i18n import translate
from webapp.main import waiting
from webapp.models import User
from webapp.paging import count_label
from webapp.reminders_admin import records
from webapp.reminders_admin.channels import LABELS as CHANNEL_LABELS
from webapp.security.permissions import Permission as P
from webapp.templating import fmt_date, fmt_datetime
from workflows.states import State
from workflows.tiers import Tier
from workflows.verification import Status


@dataclass(frozen=True)
class Line:
    """One thing waiting, with the page where it is handled."""

    text: str
    link: str
    detail: str = ""
    badge: str = ""  # a badge colour class, e.g. "orange"
    badge_text: str = ""
    # When it happened or was sent (a deadline is written into the detail instead).
    when: datetime | date | None = None


@dataclass(frozen=True)
class Panel:
    """A list of one kind of thing waiting, its total and the page listing them all."""

    key: str
    title: str
    lines: list[Line]
    total: int
    more: str | None = None

    @property
    def capped(self) -> bool:
        """Tell whether there are more than the panel counts."""
        return self.total > waiting.COUNT_CAP

    @property
    def total_label(self) -> str:
        """Return the count as the panel shows it: the number, or 999+ past the cap."""
        return count_label(None if self.capped else self.total, waiting.COUNT_CAP)


@dataclass(frozen=True)
class Desk:
    """The first screen of a user: panels, big buttons, and whether 我的待办 and the 晴雨表 show."""

    panels: list[Panel]
    actions: list[tuple[str, str]] = field(default_factory=list)
    shortcuts: list[tuple[str, str]] = field(default_factory=list)
    # Obligations (待办/时限) are addressed to case roles; administrators own none.
    todos: bool = False
    # The supervisory roles get the 晴雨表 below their to-dos.
    barometer: bool = False

    @property
    def waiting(self) -> bool:
        """Tell whether any panel holds something."""
        return any(panel.total for panel in self.panels)


@dataclass(frozen=True)
class Context:
    """What the panels read: the user and the time of the request."""

    user: User
    today: date
    now: datetime


def _due(label: str, day: date | None) -> str:
    """Write a deadline as 核实期限 2026-12-04 (nothing when none is set)."""
    return f"{label} {fmt_date(day)}" if day else ""


def _tier_badge(tier: int) -> tuple[str, str]:
    t = Tier(tier)
    return t.colour, translate(t.label)


def _warning_line(row, detail: str = "", when=None) -> Line:
    colour, label = _tier_badge(row.tier)
    return Line(
        f"{row.number} · {row.cadre_name}",
        url_for("warnings.detail", warning_id=row.id),
        detail,
        colour,
        label,
        when,
    )


# --------------------------------------------------------------------------- case panels


def approvals(ctx: Context) -> Panel:
    """List the 待审批 steps waiting for the user."""
    found = waiting.approvals_waiting(ctx.user)
    lines = []
    for w in found.rows:
        colour, label = _tier_badge(w.tier)
        step = _("第 %(n)s 步", n=(w.approval_step or 0) + 1)
        lines.append(
            Line(
                f"{w.number} · {w.cadre.name}",
                url_for("warnings.detail", warning_id=w.id, _anchor="actions"),
                step,
                colour,
                label,
                w.updated_at,
            )
        )
    return Panel("approvals", _("待审批"), lines, found.total, url_for("warnings.pending"))


def reviews(ctx: Context) -> Panel:
    """List the warnings waiting for 复核."""
    found = waiting.reviews_waiting(ctx.user)
    lines = [_warning_line(r, _due(_("复核期限"), r.review_due)) for r in found.rows]
    more = url_for("warnings.index", state=State.REVIEWING.value)
    return Panel("reviews", _("待复核"), lines, found.total, more)


def clarifications(ctx: Context) -> Panel:
    """List the automatic clearings (澄清正名) whose method is still to be recorded."""
    found = waiting.clarifications_to_complete(ctx.user)
    lines = [_warning_line(r, _("待补充澄清正名记录"), r.at) for r in found.rows]
    return Panel("clarifications", _("待补充澄清正名"), lines, found.total)


def to_verify(ctx: Context) -> Panel:
    """List the negative-information items waiting for verification."""
    found = waiting.items_to_verify(ctx.user)
    lines = [
        Line(
            f"{r.number} · {r.cadre_name}",
            url_for("negative_info.detail", info_id=r.id),
            _due(_("核实期限"), r.verification_due),
            "yellow" if r.status == Status.VERIFYING else "grey",
            translate(Status(r.status).label),
        )
        for r in found.rows
    ]
    more = url_for("negative_info.queue")
    return Panel("verification", _("待核实负面信息"), lines, found.total, more)


def proposals(ctx: Context) -> Panel:
    """List the system's proposals to escalate an overdue warning."""
    found = waiting.escalation_proposals(ctx.user)
    lines = [
        _warning_line(
            r,
            _(
                "逾期 %(n)s 个工作日，建议升级为%(tier)s",
                n=r.overdue_workdays,
                tier=translate(Tier(r.to_tier).label),
            ),
            r.proposed_on,
        )
        for r in found.rows
    ]
    return Panel("proposals", _("升级建议"), lines, found.total, url_for("warnings.index"))


def submissions(ctx: Context) -> Panel:
    """List the liaison's own submissions and where each stands."""
    found = waiting.own_submissions(ctx.user)
    lines = [
        Line(
            f"{r.number} · {r.cadre_name}",
            url_for("negative_info.submission", info_id=r.id),
            "",
            "grey" if r.status == Status.PENDING else "blue",
            # A liaison learns that the item was taken up, never how it was judged.
            _("已报送") if r.status == Status.PENDING else _("已受理"),
            r.created_at,
        )
        for r in found.rows
    ]
    return Panel("submissions", _("我的报送"), lines, found.total, url_for("negative_info.mine"))


# --------------------------------------------------------------------------- administrators


def jobs(ctx: Context) -> Panel:
    """List the scheduled jobs whose latest run failed."""
    failed = waiting.failed_jobs(ctx.now)
    lines = [
        Line(
            str(row.label),
            url_for("reminders_admin.job_list"),
            (row.last.error or "").splitlines()[-1][:120] if row.last.error else "",
            "red",
            _("执行失败"),
            row.last.started_at,
        )
        for row in failed
    ]
    more = url_for("reminders_admin.job_list")
    return Panel("jobs", _("执行失败的定时任务"), lines, len(failed), more)


def deliveries(ctx: Context) -> Panel:
    """List the messages given up after their retries."""
    found = waiting.dead_deliveries()
    lines = [
        Line(
            f"#{r.id} {translate(records.kind_label(r.kind))} · {translate(records.stage_label(r.stage))}",
            url_for("reminders_admin.record_detail", notification_id=r.id),
            f"{CHANNEL_LABELS.get(r.channel, r.channel)} · {r.last_error[:80]}",
            "red",
            _("发送失败"),
            r.created_at,
        )
        for r in found.rows
    ]
    more = url_for("reminders_admin.record_list", status="dead")
    return Panel("deliveries", _("发送失败的消息"), lines, found.total, more)


def holidays(ctx: Context) -> Panel:
    """Say when next year's holiday schedule is still to be entered."""
    year = reminder_year(ctx.today)
    lines = []
    if year is not None:
        lines.append(
            Line(
                _("%(year)s 年节假日安排尚未录入", year=year),
                url_for("holidays.year", year=year),
                _("国务院办公厅公布后请及时录入，此前按周末推算的期限均为暂定"),
                "yellow",
                _("待录入"),
            )
        )
    return Panel("holidays", _("节假日安排"), lines, len(lines), url_for("holidays.index"))


def _locked(ctx: Context, endpoint: str) -> Panel:
    found = waiting.locked_accounts(ctx.now)
    lines = [
        Line(
            f"{r.full_name}（{r.username}）",
            url_for(endpoint, user_id=r.id),
            _("锁定至 %(t)s", t=fmt_datetime(r.locked_until)),
            "red",
            _("已锁定"),
        )
        for r in found.rows
    ]
    return Panel("locked", _("已锁定的账号"), lines, found.total)


def locked_for_sysadmin(ctx: Context) -> Panel:
    """List the locked accounts, each opening its account page."""
    return _locked(ctx, "admin.user_edit")


def locked_for_secadmin(ctx: Context) -> Panel:
    """List the locked accounts, each opening the page that unlocks it."""
    return _locked(ctx, "admin.grant_edit")


SECURITY_KINDS = {
    "lockout": (_l("账号锁定"), "red", "audit.logins"),
    "denied": (_l("越权访问被拒绝"), "orange", "audit.accesses"),
    "role_change": (_l("角色授权变更"), "blue", "audit.operations"),
}


def security(ctx: Context) -> Panel:
    """List the last days' lockouts, denied accesses and role changes."""
    events = waiting.security_events(ctx.now)
    lines = []
    for e in events:
        label, colour, endpoint = SECURITY_KINDS[e.kind]
        query = {"result": "denied"} if e.kind == "denied" else {}
        if e.kind == "role_change":
            query = {"object_type": "User"}
        lines.append(
            Line(e.username or "-", url_for(endpoint, **query), e.detail, colour, str(label), e.at)
        )
    return Panel("security", _("近期安全事件（7日内）"), lines, len(lines))


# --------------------------------------------------------------------------- the registry

# (permissions of which any one opens the panel, the panel), in the order the screen shows them.
PANELS: list[tuple[tuple[str, ...], Callable[[Context], Panel]]] = [
    ((P.WARNING_REVIEW, P.WARNING_APPROVE), approvals),
    ((P.WARNING_REVIEW,), reviews),
    ((P.WARNING_REVIEW,), clarifications),
    ((P.REPORT_EDIT,), to_verify),
    ((P.WARNING_PROPOSE,), proposals),
    ((P.REPORT_SUBMIT,), submissions),
    ((P.JOB_MANAGE,), jobs),
    ((P.JOB_MANAGE,), deliveries),
    ((P.PARAM_MANAGE,), holidays),
    ((P.USER_MANAGE,), locked_for_sysadmin),
    ((P.ROLE_GRANT,), locked_for_secadmin),
    ((P.AUDIT_VIEW,), security),
]
# The big buttons of a first screen.
ACTIONS = [(P.REPORT_SUBMIT, "negative_info.submit", _l("我要报送"))]
# The role's main links under its to-dos (常用操作), so no screen is ever empty. Worded as tasks,
# apart from the menu's entries, so that a link's name means one place on the page.
SHORTCUTS = [
    (P.CADRE_VIEW, "cadres.index", _l("查询干部")),
    (P.REPORT_VIEW, "negative_info.index", _l("查阅负面信息")),
    (P.REPORT_EDIT, "negative_info.create", _l("登记新的负面信息")),
    (P.TALK_EDIT, "talks.create", _l("登记谈话")),
    (P.REPORT_SUBMIT, "negative_info.mine", _l("查看报送进度")),
    (P.USER_MANAGE, "admin.user_create", _l("新建账号")),
    (P.PARAM_MANAGE, "holidays.index", _l("录入节假日安排")),
    (P.ROLE_GRANT, "admin.grants_list", _l("为账号授权")),
    (P.AUDIT_VIEW, "audit.operations", _l("查阅审计记录")),
    (P.AUDIT_VIEW, "audit.verify", _l("核验日志完整性")),
]


def _links(user: User, table) -> list[tuple[str, str]]:
    return [(url_for(endpoint), str(label)) for perm, endpoint, label in table if user.can(perm)]


def desk_for(user: User, today: date, now: datetime) -> Desk:
    """Build the user's first screen from the panels their permissions open."""
    ctx = Context(user, today, now)
    panels = [build(ctx) for perms, build in PANELS if any(user.can(p) for p in perms)]
    return Desk(
        panels,
        _links(user, ACTIONS),
        _links(user, SHORTCUTS),
        todos=user.can(P.CADRE_VIEW),
        barometer=user.can(P.DASHBOARD_VIEW),
    )
