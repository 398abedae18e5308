"""Checks of a command's own inputs that the guards do not judge: kinds, records, dates, files.

Every date is checked against the warning's own timeline: nothing that records the past lies
after today, and nothing lies before what it follows (an action before the warning was issued,
a committee decision before the warning was sent for approval, a referral before the issue).
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from webapp.attachments import services as attachments
from webapp.extensions import db
from webapp.lookups import all_params
from webapp.models import Inquiry, Talk, Warning
from webapp.warnings.errors import WorkflowError
from webapp.warnings.facts import clock_started
from workflows.commands import (
    Command,
    Pause,
    RecordAction,
    Refer,
)
from workflows.tiers import ORG_HANDLING_INFLUENCE, tier_policy

FUTURE = _l("日期不能晚于今天")


def _dates(command: Command) -> list[tuple[str, date | None]]:
    names = ("done_on", "decided_on", "referred_on", "clarified_on")
    return [(name, getattr(command, name)) for name in names if hasattr(command, name)]


def _not_before(field: str, day: date | None, floor: date | None, message) -> None:
    if day is not None and floor is not None and day < floor:
        raise WorkflowError(message, code="date_before_timeline", field=field)


def check_dates(warning: Warning, command: Command, today: date) -> None:
    """Refuse dates after today and dates before the step of the warning they record."""
    for name, day in _dates(command):
        if day is not None and day > today:
            raise WorkflowError(FUTURE, code="date_in_future", field=name)
    issued = warning.issued_on
    if isinstance(command, RecordAction):
        _not_before("done_on", command.done_on, issued, _l("处置日期不能早于预警下达日期"))
    if isinstance(command, Refer):
        _not_before("referred_on", command.referred_on, issued, _l("移送日期不能早于预警下达日期"))


def check_inputs(warning: Warning, command: Command, today: date) -> None:
    """Refuse input the guards do not judge (wrong kind, impossible dates, foreign records)."""
    check_dates(warning, command, today)
    for file in getattr(command, "documents", ()):
        try:
            attachments.check_file(file.stream, file.filename)
        except attachments.RejectedFile as exc:
            raise WorkflowError(exc, code="file_refused", field="documents") from None
    if isinstance(command, RecordAction):
        _check_action(warning, command, today)
    if isinstance(command, Pause) and not clock_started(warning):
        # An approval step's wait is no deadline: nothing would stand still (not offered either).
        raise WorkflowError(
            _l("当前没有正在计算的期限（审批期间不计时），无需暂停计时"),
            code="no_running_deadline",
            field="reason",
        )


def _check_action(warning: Warning, command: RecordAction, today: date) -> None:
    policy = tier_policy(warning.tier, all_params())
    kind = command.action_kind
    if kind and kind not in policy.required_actions:
        raise WorkflowError(_l("该处置方式不适用于本等级预警"), code="kind", field="action_kind")
    if kind and command.done_on is None:
        raise WorkflowError(_l("请填写处置日期"), code="done_on_missing", field="done_on")
    if policy.rectification_months is None:
        if command.rectification_due is None or command.rectification_due <= today:
            raise WorkflowError(
                _l("三级预警请按处理决定填写晚于今天的整改期限"),
                code="rectification_due",
                field="rectification_due",
            )
        if command.org_handling not in ORG_HANDLING_INFLUENCE:
            raise WorkflowError(
                _l("三级预警请选择组织处理方式"), code="org_handling", field="org_handling"
            )
    for ident, model in ((command.talk_id, Talk), (command.inquiry_id, Inquiry)):
        if ident:
            record = db.session.get(model, ident)
            if record is None or record.cadre_id != warning.cadre_id:
                raise WorkflowError(
                    _l("所选谈话或函询记录不属于该干部"),
                    code="foreign_record",
                    field="talk_id" if model is Talk else "inquiry_id",
                )
