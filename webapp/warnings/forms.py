"""Forms: create a warning, one form per workflow event, the register filters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.forms_common import not_in_future, plain_text
from webapp.i18n import translate
from webapp.lookups import dict_choices
from workflows.states import Event, State
from workflows.tiers import ACTION_LABELS, Tier, tier_policy

REQUIRED = _l("此项为必填项")
DATE_FORMAT = "%Y-%m-%d"


def _date(label, *validators, required: bool = True):
    first = InputRequired(REQUIRED) if required else Optional()
    return DateField(
        label,
        validators=[first, *validators],
        format=DATE_FORMAT,
        render_kw={"placeholder": "2026-01-31"},
    )


def _text(label, *, required: bool = True, max_length: int = 2000, area: bool = True):
    validators = [DataRequired(REQUIRED) if required else Optional(), Length(max=max_length)]
    if not area:
        validators.append(plain_text)
        return StringField(label, validators=validators)
    return TextAreaField(label, validators=validators)


def tier_choices(blank: str | None = None) -> list[tuple[str, str]]:
    """Return (value, label) pairs for the three tiers."""
    choices = [(str(t.value), translate(t.label)) for t in Tier]
    return [("", blank), *choices] if blank is not None else choices


class CheckboxListField(SelectMultipleField):
    """Several checkboxes (the basis items), readable without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CreateWarningForm(FlaskForm):
    """A new warning: basis items, the tier (suggested by default) and the reason."""

    items = CheckboxListField(_l("预警依据（负面信息）"), coerce=int, validators=[Optional()])
    tier = SelectField(_l("预警等级"), validators=[DataRequired(REQUIRED)])
    reason = _text(_l("理由（与系统建议等级不一致或无建议时必填）"), required=False)
    recalc = SubmitField(_l("按所选依据重新计算建议"))
    save = SubmitField(_l("保存为拟预警"))
    save_submit = SubmitField(_l("保存并送审"))

    def fill_choices(self, items) -> CreateWarningForm:
        """Offer the cadre's items that are not untrue, and the tiers."""
        from webapp.lookups import dict_label

        self.items.choices = [
            (
                item.id,
                f"{item.number} {dict_label('negative_situation', item.situation)}"
                f"（{dict_label('verification_status', item.status)}）",
            )
            for item in items
        ]
        self.tier.choices = tier_choices(str(_l("请选择")))
        return self


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


class SubmitForm(EventForm):
    """送审."""

    reason = _text(_l("送审说明"), required=False)


class ApproveForm(EventForm):
    """审批通过."""

    comment = _text(_l("审批意见"), required=False)


class CommitteeApproveForm(EventForm):
    """Record the party committee's decision (党委决定) and pass the last step."""

    document_number = _text(_l("党委决定文号"), max_length=100, area=False)
    decided_on = _date(_l("决定日期"), not_in_future)
    summary = _text(_l("决定内容摘要"))
    documents = MultipleFileField(_l("党委决定文件（pdf、jpg、png、docx、xlsx）"))
    comment = _text(_l("备注"), required=False)


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
        _l("影响期（月，三级预警按处分类型，留空用默认）"),
        validators=[Optional(), NumberRange(min=1, max=60)],
    )

    def fill_choices(self, tier: int, talks, inquiries, params) -> RecordActionForm:
        """Offer the tier's action kinds and the cadre's talks and inquiries."""
        policy = tier_policy(tier, params)
        self.action_kind.choices = [("", str(_l("请选择")))] + [
            (kind, translate(ACTION_LABELS[kind]))
            for kind in policy.required_actions
            if kind != "referral"
        ]
        self.talk_id.choices = [(0, str(_l("不关联")))] + [
            (t.id, _l("%(day)s %(name)s 谈话", day=f"{t.started_at:%Y-%m-%d}", name=t.cadre_name))
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
            for name in ("org_handling", "rectification_due", "influence_months"):
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
        if getattr(self, "rectification_due_required", False) and not self.rectification_due.data:
            self.rectification_due.errors = [*self.rectification_due.errors, str(REQUIRED)]
            ok = False
        return ok


class SubmitReportForm(EventForm):
    """提交整改报告."""

    report = _text(_l("整改报告"), max_length=10000)


class AcceptForm(EventForm):
    """复核通过 → 销号."""

    opinion = _text(_l("复核意见"))


class ReturnForm(EventForm):
    """退回整改, with a new deadline."""

    reason = _text(_l("退回理由（复核意见）"))
    new_deadline = _date(_l("新的整改期限"))
    plan = _text(_l("整改要求"), required=False)


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
        """Offer 免责, and 减责 above tier 1 (不予容错 changes nothing in the workflow)."""
        choices = [("", str(_l("请选择"))), ("exempt", str(_l("免责（撤销预警）")))]
        if tier > Tier.YELLOW:
            choices.append(("reduced", str(_l("减责（降一级）"))))
        self.outcome.choices = choices
        return self


class ReferForm(EventForm):
    """移送纪检监察机关."""

    receiving_organ = _text(_l("接收机关"), max_length=100, area=False)
    document_number = _text(_l("移送文号"), max_length=100, area=False)
    referred_on = _date(_l("移送日期"), not_in_future)
    note = _text(_l("备注"), required=False)


EVENT_FORMS: dict[Event, type[EventForm]] = {
    Event.SUBMIT: SubmitForm,
    Event.APPROVE: ApproveForm,
    Event.REJECT: RejectForm,
    Event.RECORD_ACTION: RecordActionForm,
    Event.SUBMIT_REPORT: SubmitReportForm,
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


class RegisterFilterForm(FlaskForm):
    """Register filters, read from the query string."""

    class Meta:
        csrf = False

    q = StringField(_l("干部姓名或编号"), validators=[Optional(), Length(max=50)])
    tier = SelectField(_l("预警等级"), validators=[Optional()])
    state = SelectField(_l("状态"), validators=[Optional()])
    unit_id = SelectField(_l("单位（含下级）"), coerce=int, validators=[Optional()])
    overdue = BooleanField(_l("仅看超期"))
    created_from = _date(_l("提出日期自"), required=False)
    created_to = _date(_l("提出日期至"), required=False)
    issued_from = _date(_l("下达日期自"), required=False)
    issued_to = _date(_l("下达日期至"), required=False)

    def fill_choices(self, units) -> RegisterFilterForm:
        """Load the filter choices."""
        everything = str(_l("全部"))
        self.tier.choices = tier_choices(everything)
        self.state.choices = [("", everything)] + [(s.value, translate(s.label)) for s in State]
        self.unit_id.choices = [(0, everything), *units]
        return self


class AsOfForm(FlaskForm):
    """The date to rebuild a warning or a cadre on."""

    class Meta:
        csrf = False

    on = _date(_l("查询日期"), not_in_future)
