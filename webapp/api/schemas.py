"""The request and response bodies of /api/v1, as the OpenAPI document describes them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from webapp.api.fields import Bool, Date, DateTime, Int, List, Nested, Str, StrictSchema
from webapp.attachments.services import FILES_PER_REQUEST
from workflows.states import State
from workflows.verification import Status

LONG = validate.Length(max=100, error=_l("不能超过 {max} 个字符"))


def length(low: int, high: int) -> validate.Length:
    """Return a length check with a Chinese message."""
    return validate.Length(low, high, error=_l("长度应在 {min} 到 {max} 个字符之间"))


def code(description: str) -> Str:
    """Return a required dictionary-code field."""
    return Str(required=True, validate=length(1, 64), metadata={"description": description})


class CadreRef(StrictSchema):
    """The cadre an item is about: by ID number, or by name and unit code."""

    id_number = Str(
        validate=length(15, 18), metadata={"description": "身份证号（在数据权限内查找）"}
    )
    name = Str(validate=length(1, 50), metadata={"description": "姓名（与单位编码一起）"})
    unit_code = Str(validate=length(1, 32), metadata={"description": "干部所在单位的编码"})
    position = Str(load_default="", validate=LONG, metadata={"description": "职务"})

    @validates_schema
    def one_way(self, data, **_kw):
        """Require an ID number, or a name with a unit code."""
        if not data.get("id_number") and not (data.get("name") and data.get("unit_code")):
            raise ValidationError(_l("请填写身份证号，或同时填写姓名和单位编码"), "id_number")


class AttachmentIn(StrictSchema):
    """One attachment, its content in base64."""

    filename = Str(required=True, validate=length(1, 200))
    content_base64 = Str(required=True, validate=validate.Length(min=1, error=_l("不能为空")))


class SubmissionIn(StrictSchema):
    """A negative-information item another system submits (报送)."""

    external_id = Str(
        required=True,
        validate=length(1, 100),
        metadata={"description": "该系统自己的编号：同一编号重复提交返回同一条记录"},
    )
    source_channel = code("信息来源代码（字典 source_channel）")
    source_document_number = Str(
        load_default="", validate=LONG, metadata={"description": "来源文号"}
    )
    cadre = Nested(CadreRef, required=True)
    category = code("信息类别代码（字典 negative_category）")
    situation = code("具体情形代码（字典 negative_situation）")
    occurred_on = Date(required=True, metadata={"description": "发生时间"})
    summary = Str(required=True, validate=length(1, 5000), metadata={"description": "事实摘要"})
    details = Str(
        load_default="", validate=validate.Length(max=10000, error=_l("不能超过 {max} 个字符"))
    )
    details_has_identity = Bool(
        load_default=False, metadata={"description": "详细情况含来源身份信息（加密保护）"}
    )
    attachments = List(
        Nested(AttachmentIn),
        load_default=list,
        validate=validate.Length(max=FILES_PER_REQUEST, error=_l("附件不能超过 {max} 个")),
    )


class SubmissionOut(Schema):
    """What the client is told of an item it submitted: never internal notes."""

    id = fields.Integer(required=True)
    number = fields.String(required=True, metadata={"description": "本系统编号，如 FM-2026-0001"})
    external_id = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in Status]))
    status_label = fields.String(required=True)
    received_on = fields.Date(required=True)
    concluded = fields.Boolean(required=True, metadata={"description": "核实是否已办结"})
    verified_on = fields.Date(allow_none=True, required=True)
    conclusion = fields.String(allow_none=True, required=True, metadata={"description": "核实结论"})
    version = fields.Integer(required=True)


class UnitOut(Schema):
    """A unit."""

    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)


class CadreQuery(StrictSchema):
    """The cadre search."""

    q = Str(
        required=True, validate=length(1, 50), metadata={"description": "姓名或单位名称的一部分"}
    )


class CadreOut(Schema):
    """A cadre found in scope, its ID number masked."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    position = fields.String(required=True)
    unit = fields.Nested(UnitOut, required=True)
    id_number_masked = fields.String(required=True)


class CadreList(Schema):
    """The cadres found."""

    items = fields.List(fields.Nested(CadreOut), required=True)


class WarningQuery(StrictSchema):
    """Filters and the page of the warnings list."""

    unit_code = Str(validate=length(1, 32), metadata={"description": "单位编码（含下级）"})
    state = Str(
        validate=validate.OneOf([s.value for s in State], error=_l("取值应为 {choices} 之一"))
    )
    updated_since = DateTime(metadata={"description": "只列此时间之后有变化的预警事项"})
    cursor = Str(validate=length(1, 64), metadata={"description": "上一页返回的 next_cursor"})
    limit = Int(
        load_default=50, validate=validate.Range(1, 200, error=_l("应在 {min} 到 {max} 之间"))
    )


class DeadlineOut(Schema):
    """One deadline of a warning."""

    kind = fields.String(required=True)
    label = fields.String(required=True)
    due = fields.Date(required=True)
    provisional = fields.Boolean(required=True)
    running = fields.Boolean(required=True)
    light = fields.String(
        allow_none=True, required=True, metadata={"description": "green / yellow / red"}
    )


class WarningOut(Schema):
    """A warning as an OA mirrors it: tier, state, deadlines and lights."""

    id = fields.Integer(required=True)
    number = fields.String(required=True)
    cadre_id = fields.Integer(required=True)
    cadre_name = fields.String(required=True)
    unit = fields.Nested(UnitOut, required=True)
    tier = fields.Integer(required=True)
    tier_label = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf([s.value for s in State]))
    state_label = fields.String(required=True)
    paused = fields.Boolean(required=True)
    light = fields.String(allow_none=True, required=True)
    deadlines = fields.List(fields.Nested(DeadlineOut), required=True)
    updated_at = fields.DateTime(required=True)
    version = fields.Integer(required=True)


class WarningPage(Schema):
    """One page of warnings and the cursor of the next, if any."""

    items = fields.List(fields.Nested(WarningOut), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class DictItemOut(Schema):
    """One code of a dictionary."""

    value = fields.String(required=True)
    label = fields.String(required=True)
    parent = fields.String(
        allow_none=True, required=True, metadata={"description": "上级代码（具体情形所属大类）"}
    )
    default_tier = fields.Integer(allow_none=True, required=True)


class DictionaryOut(Schema):
    """A dictionary's active codes."""

    type = fields.String(required=True)
    items = fields.List(fields.Nested(DictItemOut), required=True)


class ProblemField(Schema):
    """One invalid field."""

    pointer = fields.String(
        required=True, metadata={"description": "JSON Pointer，例如 /cadre/id_number"}
    )
    detail = fields.String(required=True)


class Problem(Schema):
    """An error, as RFC 9457 application/problem+json."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    instance = fields.String()
    errors = fields.List(fields.Nested(ProblemField))
    current_version = fields.Integer(metadata={"description": "409：记录的当前版本"})
