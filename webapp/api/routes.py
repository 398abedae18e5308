"""The /api/v1 endpoints: each reads the request, calls one service, answers JSON."""

from __future__ import annotations

import json
from collections.abc import Callable

from flask import Blueprint as PageBlueprint
from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from webapp import errors
from webapp.api import problems, readers, submissions
from webapp.api.auth import authenticate, current_client, rate_key, rate_limit, requires
from webapp.api.calls import log_call, mark_record
from webapp.api.problems import MEDIA_TYPE, ApiProblem, pointers
from webapp.api.schemas import (
    CadreList,
    CadreQuery,
    DictionaryOut,
    Problem,
    SubmissionIn,
    SubmissionOut,
    WarningOut,
    WarningPage,
    WarningQuery,
)
from webapp.api_clients.permissions import ApiPermission
from webapp.attachments.services import FILES_PER_REQUEST
from webapp.extensions import csrf, limiter

bp = Blueprint(
    "api",
    __name__,
    url_prefix="/api/v1",
    description="接入系统接口（负面信息报送、干部查询、预警事项）",
)
docs_bp = PageBlueprint("api_docs", __name__, url_prefix="/api/v1")
# Token calls carry no cookie to forge: CSRF protects the pages, not this blueprint.
csrf.exempt(bp)
limiter.limit(rate_limit, key_func=rate_key)(bp)
bp.before_request(authenticate)
bp.after_request(log_call)
bp.register_error_handler(HTTPException, problems.handle)
# By code too: the app's HTML pages are registered by code, which Flask looks up before classes.
for _code in problems.STATUSES:
    bp.register_error_handler(_code, problems.handle)
bp.register_error_handler(Exception, problems.handle_unexpected)
# A path under /api/v1 that matches no endpoint never reaches the blueprint's handlers.
errors.answer_under(f"{bp.url_prefix}/", problems.handle)

PROBLEM_TEXT = {
    401: "缺少令牌、令牌无效，或接入系统已停用、吊销、过期",
    403: "来源地址不允许，或未授予该接口权限",
    404: "不存在，或不在该接入系统的数据权限内",
    409: "同一外部编号已报送过不同内容（附当前版本 current_version）",
    413: "请求内容超过上传上限",
    415: "内容类型不支持",
    422: "字段有误：errors 列出每个字段的路径和原因",
    429: "超过该接入系统的调用频率上限",
}


def problems(*codes: int) -> Callable:
    """Document the problem+json answers of an endpoint."""

    def decorator(view):
        for code in codes:
            view = bp.alt_response(
                code, schema=Problem, content_type=MEDIA_TYPE, description=PROBLEM_TEXT[code]
            )(view)
        return view

    return decorator


SUBMISSION_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": SubmissionIn},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["data"],
                "properties": {
                    "data": {
                        "type": "string",
                        "description": "JSON 文本，字段同 application/json（attachments 除外）",
                    },
                    "attachments": {
                        "type": "array",
                        "items": {"type": "string", "format": "binary"},
                    },
                },
            }
        },
    },
}


def submission_input() -> tuple[dict, list[submissions.Upload]]:
    """Read a submission from JSON (files in base64) or multipart (JSON in `data`, files)."""
    multipart = request.mimetype == "multipart/form-data"
    if multipart:
        try:
            raw = json.loads(request.form.get("data", ""))
        except ValueError:
            raise submissions.invalid("/data", _("应为 JSON 文本")) from None
    else:
        raw = request.get_json(silent=True)
        if raw is None:
            raise ApiProblem(415, _("请以 application/json 或 multipart/form-data 提交"))
    try:
        payload = SubmissionIn().load(raw)
    except ValidationError as exc:
        raise ApiProblem(422, _("请求内容有误"), list(pointers(exc.messages))) from None
    if multipart:
        files = request.files.getlist("attachments")
        if len(files) > FILES_PER_REQUEST:
            raise submissions.invalid(
                "/attachments", _("附件不能超过 %(n)s 个", n=FILES_PER_REQUEST)
            )
        uploads = [
            submissions.Upload(f.filename or "", f.read(), f"/attachments/{i}")
            for i, f in enumerate(files)
        ]
        return payload, uploads
    return payload, submissions.decoded(payload["attachments"])


@bp.post("/negative-info")
@requires(ApiPermission.SUBMIT)
@bp.doc(
    requestBody=SUBMISSION_BODY,
    summary="报送负面信息",
    description="进入“待核实”，与联络员报送相同；同一 external_id 重复提交返回同一条记录。",
)
@bp.response(201, SubmissionOut, description="已受理")
@bp.alt_response(200, schema=SubmissionOut, description="重复提交：返回已有记录")
@problems(401, 403, 409, 413, 415, 422, 429)
def submit():
    """Take a submission into the 待核实 queue, once per external id."""
    payload, uploads = submission_input()
    outcome = submissions.submit(current_client(), payload, uploads, request.remote_addr or "")
    mark_record("NegativeInfo", outcome.info.id)
    view = readers.submission_view(outcome.info, outcome.submission.external_id)
    where = {"Location": url_for("api.submission", info_id=outcome.info.id)}
    return view, 201 if outcome.created else 200, where


@bp.get("/negative-info/<int:info_id>")
@requires(ApiPermission.READ)
@bp.doc(summary="查询所报送信息的核实状态", description="只返回核实状态和结论，不含内部意见。")
@bp.response(200, SubmissionOut)
@problems(401, 403, 404, 429)
def submission(info_id: int):
    """Tell a client the status of an item it submitted."""
    mark_record("NegativeInfo", info_id)
    return readers.own_submission(current_client(), info_id)


@bp.get("/cadres")
@requires(ApiPermission.LOOKUP)
@bp.doc(summary="在数据权限内查询干部", description="用于报送前匹配干部；身份证号脱敏。")
@bp.arguments(CadreQuery, location="query", as_kwargs=True)
@bp.response(200, CadreList)
@problems(401, 403, 422, 429)
def cadres(q: str):
    """Find cadres in the client's scope by name or unit."""
    return {"items": readers.find_cadres(current_client(), q)}


@bp.get("/warnings")
@requires(ApiPermission.WARNINGS)
@bp.doc(summary="预警事项列表", description="数据权限内，按单位、状态、更新时间过滤，游标分页。")
@bp.arguments(WarningQuery, location="query")
@bp.response(200, WarningPage)
@problems(401, 403, 422, 429)
def warnings(query: dict):
    """List the warnings in the client's scope, a page at a time."""
    return readers.list_warnings(current_client(), readers.WarningFilters(**query))


@bp.get("/warnings/<int:warning_id>")
@requires(ApiPermission.WARNINGS)
@bp.doc(summary="一条预警事项")
@bp.response(200, WarningOut)
@problems(401, 403, 404, 429)
def warning(warning_id: int):
    """Show one warning in the client's scope."""
    mark_record("Warning", warning_id)
    return readers.one_warning(current_client(), warning_id)


@bp.get("/dictionaries/<string:type_code>")
@bp.doc(
    summary="字典代码",
    description="报送时须使用的代码：negative_category、negative_situation、source_channel、verification_status。",
)
@bp.response(200, DictionaryOut)
@problems(401, 403, 404, 429)
def dictionary(type_code: str):
    """List the codes of a dictionary a client must use."""
    return readers.dictionary(type_code)


@docs_bp.get("/docs")
def docs():
    """Show the browsable API documentation (Swagger UI shipped with the app)."""
    return render_template("api/docs.html")
