"""Forms of the sysadmin pages."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.admin.services import (
    dict_value_taken,
    superior_choices,
    superior_cycle,
    unit_code_taken,
    username_taken,
)
from webapp.cron import crontab_trigger
from webapp.forms_common import REQUIRED, options, plain_text, too_long
from webapp.models import DataScope
from webapp.parameters import bounds_of

SCOPE_LABELS = {
    DataScope.ALL: _l("全部"),
    DataScope.UNIT_AND_BELOW: _l("本部门及以下"),
    DataScope.UNIT: _l("本部门"),
    DataScope.CUSTOM: _l("自定"),
    DataScope.SELF: _l("仅本人"),
}
CODE = Regexp(r"^[A-Za-z0-9_.\-]+$", message=_l("只能包含字母、数字、下划线、点和连字符"))

SORT_ORDER_RANGE = _l("请输入 0–99999 之间的整数")


class IdentityForm(FlaskForm):
    """An account's identity, set by the system admin: never its role, scope or password reset."""

    username = StringField(_l("用户名"), validators=[DataRequired(REQUIRED), Length(max=64), CODE])
    full_name = StringField(
        _l("姓名"), validators=[DataRequired(REQUIRED), Length(max=64), plain_text]
    )
    email = EmailField(
        _l("电子邮箱"),
        validators=[
            Optional(),
            Email(_l("电子邮箱格式不正确"), check_deliverability=False),
            Length(max=120),
        ],
    )
    # Removed by the view once the account holds a role: the unit then bounds its data scope,
    # which only the security admin changes (on the 授权 page).
    unit_id = SelectField(_l("所属部门"), coerce=int, validators=[DataRequired(REQUIRED)])
    superior_id = SelectField(
        _l("直接上级"), coerce=int, default=0, validate_choice=False, validators=[Optional()]
    )
    wecom_userid = StringField(
        _l("企业微信 userid"),
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        validators=[Optional(), too_long(64), plain_text],
    )
    active = BooleanField(_l("启用"), default=True)
    # No password field: the initial password is generated and shown once (services.create_user).
    submit = SubmitField(_l("保存"))

    def __init__(self, *args, user_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_id = user_id
        user = kwargs.get("obj")
        current = user.superior_id if user is not None else None
        self.superior_id.choices = [(0, _l("无")), *superior_choices(user_id, current)]

    def validate_superior_id(self, field):
        """Refuse oneself, a user not offered, or a superior whose own chain leads back here."""
        if not field.data:
            return
        if self.user_id and field.data == self.user_id:
            raise ValidationError(_l("不能选择本人作为直接上级"))
        if field.data not in {value for value, _label in self.superior_id.choices}:
            raise ValidationError(_l("请选择有效的启用用户"))
        if superior_cycle(self.user_id, field.data):
            raise ValidationError(_l("所选上级的上级链中已有该用户，不能形成循环"))

    def validate_username(self, field):
        """Refuse a username another user already has."""
        if username_taken(field.data or "", self.user_id):
            raise ValidationError(_l("该用户名已存在"))


class ResetPasswordForm(FlaskForm):
    """The security admin's reset (the button alone): the new password is generated, not typed."""

    submit = SubmitField(_l("重置密码"))


class UnitForm(FlaskForm):
    """A unit in the tree."""

    code = StringField(_l("部门编码"), validators=[DataRequired(REQUIRED), Length(max=32), CODE])
    name = StringField(
        _l("部门名称"), validators=[DataRequired(REQUIRED), Length(max=100), plain_text]
    )
    parent_id = SelectField(_l("上级部门"), coerce=int, validators=[Optional()])
    sort_order = IntegerField(
        _l("显示顺序"),
        default=0,
        validators=[InputRequired(_l("请输入整数")), NumberRange(0, 99999, SORT_ORDER_RANGE)],
    )
    active = BooleanField(_l("启用"), default=True)
    submit = SubmitField(_l("保存"))

    def __init__(self, *args, unit_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit_id = unit_id

    def validate_code(self, field):
        """Refuse a code another unit already has."""
        if unit_code_taken(field.data, self.unit_id):
            raise ValidationError(_l("该部门编码已存在"))


# A dictionary item's colour tag and default tier, as the form offers and the list shows them.
COLOUR_LABELS = {
    "": _l("无"),
    "green": _l("绿色"),
    "yellow": _l("黄色"),
    "orange": _l("橙色"),
    "red": _l("红色"),
    "blue": _l("蓝色"),
    "grey": _l("灰色"),
}
TIER_LABELS = {
    0: _l("不适用"),
    1: _l("一级预警（黄色）"),
    2: _l("二级预警（橙色）"),
    3: _l("三级预警（红色）"),
}


class DictItemForm(FlaskForm):
    """An entry of a dictionary."""

    value = StringField(_l("字典键值"), validators=[DataRequired(REQUIRED), Length(max=64), CODE])
    label = StringField(
        _l("字典标签"), validators=[DataRequired(REQUIRED), Length(max=100), plain_text]
    )
    sort_order = IntegerField(
        _l("显示顺序"),
        default=0,
        validators=[InputRequired(_l("请输入整数")), NumberRange(0, 99999, SORT_ORDER_RANGE)],
    )
    colour = SelectField(
        _l("颜色标签"),
        validators=[Optional()],
        choices=options(list(COLOUR_LABELS.items())),
    )
    parent_id = SelectField(_l("上级项"), coerce=int, validators=[Optional()])
    default_tier = SelectField(
        _l("默认预警等级"),
        coerce=int,
        validators=[Optional()],
        choices=options(list(TIER_LABELS.items())),
    )
    active = BooleanField(_l("启用"), default=True)
    submit = SubmitField(_l("保存"))

    def __init__(self, *args, dict_type=None, item_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dict_type = dict_type
        self.item_id = item_id

    def validate_value(self, field):
        """Refuse a value another item of the dictionary already has."""
        if self.dict_type is not None and dict_value_taken(
            self.dict_type, field.data, self.item_id
        ):
            raise ValidationError(_l("该键值已存在"))


TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class ParameterForm(FlaskForm):
    """A parameter's value, checked against its type and bounds."""

    value = StringField(_l("参数值"), validators=[DataRequired(REQUIRED), Length(max=500)])
    submit = SubmitField(_l("保存"))

    def __init__(self, *args, parameter=None, kind: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.parameter = parameter
        self.kind = kind or (parameter.value_type if parameter is not None else "str")

    def validate_value(self, field):
        """Check the value against the parameter's type and bounds."""
        p = self.parameter
        text = (field.data or "").strip()
        field.data = text
        if self.kind == "int":
            if not re.fullmatch(r"-?\d+", text):
                raise ValidationError(_l("请输入整数"))
            number = int(text)
            low, high = bounds_of(p.key, p.min_value, p.max_value)
            if low is not None and number < low:
                raise ValidationError(_l("不能小于 %(n)s", n=low))
            if high is not None and number > high:
                raise ValidationError(_l("不能大于 %(n)s", n=high))
        elif self.kind == "time" and not TIME.match(text):
            raise ValidationError(_l("时间格式应为 时:分，例如 08:00"))
        elif self.kind == "bool" and text not in ("true", "false"):
            raise ValidationError(_l("请输入 true 或 false"))
        elif self.kind == "cron":
            try:
                crontab_trigger(text)
            except ValueError:
                raise ValidationError(
                    _l("应为五段式 cron 表达式（分 时 日 月 周），例如 */5 * * * *")
                ) from None

    def value_text(self) -> str:
        """Return the value to store."""
        return self.value.data


def check_roles(chosen: list[str], known: list[str]) -> None:
    """Refuse an empty list or a code that is no known role."""
    if not chosen:
        raise ValidationError(_l("请至少选择一个角色"))
    unknown = [code for code in chosen if code not in known]
    if unknown:
        raise ValidationError(_l("未知角色：%(codes)s", codes="、".join(unknown)))


class RoleSetParameterForm(FlaskForm):
    """A set of roles (e.g. who may record the committee's decision), ticked by name."""

    roles = SelectMultipleField(
        _l("角色"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,  # validate_roles says which code is unknown, in Chinese
    )
    submit = SubmitField(_l("保存"))

    def __init__(self, *args, options: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = options

    def validate_roles(self, field):
        """Check every ticked role is known."""
        check_roles(field.data or [], [code for code, _name in field.choices])

    def value_text(self) -> str:
        """Return the ticked codes as "a,b", in the roles' own order."""
        return ",".join(code for code, _name in self.roles.choices if code in self.roles.data)


class RoleChainParameterForm(FlaskForm):
    """An approval chain: one role per step, in order (empty steps are skipped)."""

    steps = SelectMultipleField(_l("审批步骤"), validate_choice=False)
    submit = SubmitField(_l("保存"))

    def __init__(self, *args, options: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.steps.choices = options

    def chosen(self) -> list[str]:
        """Return the chosen steps in order, empty ones left out."""
        return [code for code in self.steps.data or [] if code]

    def validate_steps(self, field):
        """Check every step is a known role and no role comes twice."""
        chosen = self.chosen()
        check_roles(chosen, [code for code, _name in field.choices])
        if len(set(chosen)) != len(chosen):
            raise ValidationError(_l("同一角色在审批链中只能出现一次"))

    def slots(self) -> list[str]:
        """Return the selects to show: the chosen steps and two empty ones, at least four."""
        chosen = self.steps.data or []
        return chosen + [""] * max(2, 4 - len(chosen))

    def value_text(self) -> str:
        """Return the steps as "a,b,c"."""
        return ",".join(self.chosen())


class JobSetParameterForm(FlaskForm):
    """A set of scheduled jobs (those paused), ticked by name; none ticked is allowed."""

    jobs = SelectMultipleField(
        _l("定时任务"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,  # validate_jobs names the unknown id in Chinese
    )
    submit = SubmitField(_l("保存"))

    def __init__(self, *args, options: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.jobs.choices = options

    def validate_jobs(self, field):
        """Check every ticked job is declared."""
        known = {code for code, _name in field.choices}
        unknown = [code for code in field.data or [] if code not in known]
        if unknown:
            raise ValidationError(_l("未知任务：%(codes)s", codes="、".join(unknown)))

    def value_text(self) -> str:
        """Return the ticked job ids as "a,b", in the jobs' own order."""
        return ",".join(code for code, _name in self.jobs.choices if code in (self.jobs.data or []))
