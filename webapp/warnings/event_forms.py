"""One form per workflow event; each builds the typed command the writer takes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import HiddenField, IntegerField, SelectField, SubmitField
from wtforms.validators import DataRequired, NumberRange, Optional

from webapp.forms_common import not_in_future
from webapp.i18n import translate
from webapp.lookups import dict_choices, dict_label
from webapp.warnings.forms import REQUIRED, _date, _text
from workflows import commands
from workflows.guards import ToleranceOutcome
from workflows.states import Event
from workflows.tiers import ACTION_LABELS, Tier, tier_policy


def _clean(field) -> str:
    """Return a text field's value stripped ('' when absent)."""
    value = getattr(field, "data", None)
    return value.strip() if isinstance(value, str) else ""


def _files(field) -> tuple:
    """Return the uploaded files of a file field (none chosen: empty)."""
    return tuple(f for f in (field.data or []) if getattr(f, "filename", None))


class EventForm(FlaskForm):
    """Fields every event form carries: the version the user saw."""

    version = HiddenField()
    submit = SubmitField(_l("确定"))

    def expected_version(self) -> int | None:
        """Return the version the page was rendered with."""
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None

    def event(self) -> Event:
        """Return the event this form was built for: its prefix (the page builds it so).

        One form class serves several events (升级, 撤回 and 暂停计时 all ask only a reason),
        so the class alone cannot say which: guessing made 暂停计时 post an 升级.
        """
        code = (self._prefix or "").rstrip("-")
        if code:
            return Event(code)
        return next(e for e, cls in EVENT_FORMS.items() if type(self) is cls)

    def command(self) -> commands.Command:
        """Return the typed command this form asks for (the reason, where it has one)."""
        return commands.command_for(self.event(), reason=_clean(getattr(self, "reason", None)))


class SubmitForm(EventForm):
    """送审."""

    reason = _text(_l("送审说明"), required=False)


class ApproveForm(EventForm):
    """审批通过."""

    comment = _text(_l("审批意见"), required=False)

    def command(self) -> commands.Approve:
        """Return the approval."""
        return commands.Approve(comment=_clean(self.comment))


class CommitteeApproveForm(EventForm):
    """Record the party committee's decision (党委决定) and pass the last step."""

    document_number = _text(_l("党委决定文号"), max_length=100, area=False)
    decided_on = _date(_l("决定日期"), not_in_future)
    summary = _text(_l("决定内容摘要"))
    documents = MultipleFileField(_l("党委决定文件（pdf、jpg、png、docx、xlsx）"))
    comment = _text(_l("备注"), required=False)

    def command(self) -> commands.Approve:
        """Return the approval carrying the committee's decision."""
        return commands.Approve(
            comment=_clean(self.comment),
            document_number=_clean(self.document_number),
            decided_on=self.decided_on.data,
            summary=_clean(self.summary),
            documents=_files(self.documents),
        )


class RejectForm(EventForm):
    """退回."""

    reason = _text(_l("退回理由"))


class RecordActionForm(EventForm):
    """The measure taken: talk, letter, inquiry or organisational handling."""

    action_kind = SelectField(_l("处置方式"), validators=[DataRequired(REQUIRED)])
    done_on = _date(_l("处置日期"), not_in_future)
    talk_id = SelectField(_l("关联谈话记录"), coerce=int, validators=[Optional()])
    inquiry_id = SelectField(_l("关联函询"), coerce=int, validators=[Optional()])
    record_ref = _text(
        _l("文书编号或名称（提醒函、诫勉书、处理决定等）"),
        required=False,
        max_length=200,
        area=False,
    )
    content = _text(_l("处置情况"), required=False)
    org_handling = SelectField(_l("组织处理方式"), validators=[Optional()])
    plan = _text(_l("整改要求"), required=False)
    rectification_due = _date(_l("整改期限（三级预警按处理决定填写）"), required=False)
    influence_months = IntegerField(
        _l("影响期（月，留空按组织处理方式的默认值）"),
        validators=[Optional(), NumberRange(min=1, max=60)],
    )
    influence_reason = _text(_l("影响期与默认值不同的理由"), required=False, max_length=500)

    def command(self) -> commands.RecordAction:
        """Return the recorded action."""
        tier3 = getattr(self, "rectification_due_required", False)
        return commands.RecordAction(
            action_kind=self.action_kind.data or "",
            done_on=self.done_on.data,
            talk_id=self.talk_id.data or None,
            inquiry_id=self.inquiry_id.data or None,
            record_ref=_clean(self.record_ref),
            content=_clean(self.content),
            plan=_clean(self.plan),
            org_handling=(self.org_handling.data or "") if tier3 else "",
            rectification_due=self.rectification_due.data if tier3 else None,
            influence_months=self.influence_months.data if tier3 else None,
            influence_reason=_clean(self.influence_reason) if tier3 else "",
        )

    def fill_choices(self, tier: int, talks, inquiries, params) -> RecordActionForm:
        """Offer the tier's action kinds and the cadre's talks and inquiries."""
        policy = tier_policy(tier, params)
        self.action_kind.choices = [("", str(_l("请选择")))] + [
            (kind, translate(ACTION_LABELS[kind]))
            for kind in policy.required_actions
            # 移送 is its own event; the 书面检查 follows the admonishment (登记书面检查).
            if kind != "referral"
        ]
        # All are this cadre's talks: the day, the type and who spoke tell them apart.
        self.talk_id.choices = [(0, str(_l("不关联")))] + [
            (
                t.id,
                _l(
                    "%(day)s %(type)s（谈话人：%(who)s）",
                    day=f"{t.started_at:%Y-%m-%d}",
                    type=dict_label("talk_type", t.talk_type),
                    who="、".join(p.get("name", "") for p in t.interviewers or []) or "—",
                ),
            )
            for t in talks
        ]
        self.inquiry_id.choices = [(0, str(_l("不关联")))] + [
            (i.id, _l("%(day)s 函询 第%(n)s次", day=f"{i.issued_on:%Y-%m-%d}", n=i.round))
            for i in inquiries
        ]
        self.rectification_due_required = policy.rectification_months is None
        if self.rectification_due_required:
            self.org_handling.choices = dict_choices("org_handling", blank=str(_l("请选择")))
        else:
            # Tiers 1 and 2: the rectification period is a parameter and there is no handling.
            for name in (
                "org_handling",
                "rectification_due",
                "influence_months",
                "influence_reason",
            ):
                delattr(self, name)
        return self

    def validate(self, extra_validators=None) -> bool:
        """Require a record and, at tier 3, the decision's rectification deadline."""
        ok = super().validate(extra_validators)
        has_record = (
            self.talk_id.data
            or self.inquiry_id.data
            or (self.record_ref.data or "").strip()
            or (self.content.data or "").strip()
        )
        if not has_record:
            message = str(_l("请关联谈话或函询记录，或填写文书编号、处置情况"))
            self.content.errors = [*self.content.errors, message]
            ok = False
        if getattr(self, "rectification_due_required", False):
            for name in ("rectification_due", "org_handling"):
                if not getattr(self, name).data:
                    getattr(self, name).errors = [*getattr(self, name).errors, str(REQUIRED)]
                    ok = False
        return ok


class SubmitReportForm(EventForm):
    """提交整改报告."""

    report = _text(_l("整改报告"), max_length=10000)
    documents = MultipleFileField(_l("附件（pdf、jpg、png、docx、xlsx）"))

    def command(self) -> commands.SubmitReport:
        """Return the report with its attachments."""
        return commands.SubmitReport(report=_clean(self.report), documents=_files(self.documents))


class RecordSelfCriticismForm(EventForm):
    """登记书面检查: the day the cadre handed it in, a note, the scanned document."""

    handed_in_on = _date(_l("提交日期"), not_in_future)
    note = _text(_l("备注"), required=False)
    documents = MultipleFileField(_l("书面检查（pdf、jpg、png、docx、xlsx）"))

    def command(self) -> commands.RecordSelfCriticism:
        """Return the 书面检查 handed in."""
        return commands.RecordSelfCriticism(
            handed_in_on=self.handed_in_on.data,
            note=_clean(self.note),
            documents=_files(self.documents),
        )


class AcceptForm(EventForm):
    """复核通过 → 销号."""

    opinion = _text(_l("复核意见"))

    def command(self) -> commands.Accept:
        """Return the acceptance."""
        return commands.Accept(opinion=_clean(self.opinion))


class ReturnForm(EventForm):
    """退回整改, with a new deadline."""

    reason = _text(_l("退回理由（复核意见）"))
    new_deadline = _date(_l("新的整改期限"))
    plan = _text(_l("整改要求"), required=False)

    def command(self) -> commands.Return:
        """Return the report sent back with its new deadline."""
        return commands.Return(
            reason=_clean(self.reason), new_deadline=self.new_deadline.data, plan=_clean(self.plan)
        )


class ReasonForm(EventForm):
    """An event that needs only a reason: escalate, withdraw, pause."""

    reason = _text(_l("理由"))


class ResumeForm(EventForm):
    """恢复计时."""


class ClarifyForm(EventForm):
    """澄清: the clarification record and the judgement."""

    method = SelectField(_l("澄清方式"), validators=[DataRequired(REQUIRED)])
    clarified_on = _date(_l("澄清日期"), not_in_future, required=False)
    scope = _text(_l("澄清范围"), required=False, max_length=200, area=False)
    document_number = _text(_l("文书编号"), required=False, max_length=100, area=False)
    reason = _text(_l("研判意见（依据未核实为失实时必填）"), required=False)

    def fill_choices(self) -> ClarifyForm:
        """Offer the clarification methods."""
        self.method.choices = dict_choices("clarification_method", blank=str(_l("请选择")))
        return self

    def command(self) -> commands.Clarify:
        """Return the clarification."""
        return commands.Clarify(
            reason=_clean(self.reason),
            method=self.method.data or "",
            clarified_on=self.clarified_on.data,
            scope=_clean(self.scope),
            document_number=_clean(self.document_number),
        )


class CompleteClarificationForm(FlaskForm):
    """Complete an automatic clearing with how it was carried out."""

    method = SelectField(_l("澄清方式"), validators=[DataRequired(REQUIRED)])
    clarified_on = _date(_l("澄清日期"), not_in_future)
    scope = _text(_l("澄清范围"), required=False, max_length=200, area=False)
    document_number = _text(_l("文书编号"), required=False, max_length=100, area=False)
    submit = SubmitField(_l("保存澄清记录"))

    def fill_choices(self) -> CompleteClarificationForm:
        """Offer the clarification methods."""
        self.method.choices = dict_choices("clarification_method", blank=str(_l("请选择")))
        return self


class TolerateForm(EventForm):
    """容错认定: the application, facts, the three distinctions, the decision."""

    outcome = SelectField(_l("认定结果"), validators=[DataRequired(REQUIRED)])
    application = _text(_l("容错申请"), required=False)
    facts = _text(_l("核实情况"))
    distinctions = _text(_l("“三个区分开来”分析"))
    collective_decision = _text(_l("集体研究认定（会议及文号）"), max_length=200, area=False)
    decided_on = _date(_l("认定日期"), not_in_future)

    def fill_choices(self, tier: int) -> TolerateForm:
        """Offer 免责, 减责 above tier 1, and 不予容错 (recorded, the warning goes on)."""
        choices = [("", str(_l("请选择"))), ("exempt", str(_l("免责（撤销预警）")))]
        if tier > Tier.YELLOW:
            choices.append(("reduced", str(_l("减责（降一级）"))))
        choices.append(("denied", str(_l("不予容错（预警继续办理）"))))
        self.outcome.choices = choices
        return self

    def command(self) -> commands.Tolerate:
        """Return the tolerance decision."""
        return commands.Tolerate(
            outcome=ToleranceOutcome(self.outcome.data),
            application=_clean(self.application),
            facts=_clean(self.facts),
            distinctions=_clean(self.distinctions),
            collective_decision=_clean(self.collective_decision),
            decided_on=self.decided_on.data,
        )


class ReferForm(EventForm):
    """移送纪检监察机关."""

    receiving_organ = _text(_l("接收机关"), max_length=100, area=False)
    document_number = _text(_l("移送文号"), max_length=100, area=False)
    referred_on = _date(_l("移送日期"), not_in_future)
    note = _text(_l("备注"), required=False)

    def command(self) -> commands.Refer:
        """Return the referral."""
        return commands.Refer(
            receiving_organ=_clean(self.receiving_organ),
            document_number=_clean(self.document_number),
            referred_on=self.referred_on.data,
            note=_clean(self.note),
        )


EVENT_FORMS: dict[Event, type[EventForm]] = {
    Event.SUBMIT: SubmitForm,
    Event.APPROVE: ApproveForm,
    Event.REJECT: RejectForm,
    Event.RECORD_ACTION: RecordActionForm,
    Event.SUBMIT_REPORT: SubmitReportForm,
    Event.RECORD_SELF_CRITICISM: RecordSelfCriticismForm,
    Event.ACCEPT: AcceptForm,
    Event.RETURN: ReturnForm,
    Event.ESCALATE: ReasonForm,
    Event.CLARIFY: ClarifyForm,
    Event.TOLERATE: TolerateForm,
    Event.REFER: ReferForm,
    Event.WITHDRAW: ReasonForm,
    Event.PAUSE: ReasonForm,
    Event.RESUME: ResumeForm,
}
