"""Chinese labels of the audited models' columns, for reading the operation log.

One map per model (and one for the names many models share); a column with no label shows its
raw name. A column holding a dictionary code names its dictionary, so the log shows the label.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

from webapp.templating import NAVIGATION

# What each audited model is called (the log's object column).
MODEL_LABELS: dict[str, str] = {
    "Cadre": _l("干部"),
    "CadreEvent": _l("干部事件"),
    "User": _l("用户"),
    "Role": _l("角色"),
    "OrgUnit": _l("单位"),
    "Parameter": _l("参数"),
    "DictType": _l("字典"),
    "DictItem": _l("字典项"),
    "HolidayYear": _l("节假日年度"),
    "HolidayDay": _l("节假日"),
    "NegativeInfo": _l("负面信息"),
    "Talk": _l("谈话记录"),
    "Inquiry": _l("函询"),
    "Warning": _l("预警"),
    "Approval": _l("预警审批"),
    "WarningAction": _l("预警处置"),
    "Rectification": _l("整改"),
    "CommitteeDecision": _l("党委决定"),
    "Referral": _l("移送"),
    "Clarification": _l("澄清正名"),
    "ToleranceDecision": _l("容错纠错"),
    "WarningProposal": _l("升级建议"),
    "Attachment": _l("附件"),
    "Notification": _l("提醒记录"),
    "AuditLog": _l("操作日志"),
    "LoginLog": _l("登录日志"),
    "AccessLog": _l("访问日志"),
    "LogChain": _l("日志链校验"),
    "MeetingSeries": _l("研判会商安排"),
    "Meeting": _l("研判会商"),
    "MeetingDecision": _l("研判会商决定"),
    "NotificationPreference": _l("提醒方式设置"),
    "ApiClient": _l("接口客户端"),
}

# Why a login-log row was written (`LoginLog.reason`; a session's end is "session_<why>").
LOGIN_REASONS: dict[str, str] = {
    "ok": _l("登录成功"),
    "ok_recovery": _l("使用恢复码登录"),
    "bad_password": _l("密码错误"),
    "bad_code": _l("动态口令错误"),
    "unknown_user": _l("用户名不存在"),
    "locked": _l("账号锁定中"),
    "lockout": _l("连续失败，账号被锁定"),
    "disabled": _l("账号已停用"),
    "logout": _l("退出登录"),
    "session_logout": _l("退出登录"),
    "session_idle": _l("长时间无操作，自动退出"),
    "session_expired": _l("超过会话最长有效期，自动退出"),
    "session_ended": _l("会话已结束"),
    "session_ended_by_user": _l("本人在其他设备上结束了该会话"),
    "session_over_limit": _l("超出同时在线会话数，结束最早的会话"),
    "session_account_changed": _l("账号或权限变更，会话结束"),
}


def login_reason(reason: str) -> str:
    """Return why a login-log row was written, in words (its code when unknown)."""
    return str(LOGIN_REASONS.get(reason) or reason)


def ends_a_session(reason: str) -> bool:
    """Tell whether a login-log row records a logout or a session's end (not a login)."""
    return reason == "logout" or reason.startswith("session_")


# The query arguments of lists and searches (the access log's 筛选条件) that are no column.
FILTER_LABELS: dict[str, str] = {
    "q": _l("关键词"),
    "page": _l("页码"),
    "per_page": _l("每页条数"),
    "sort": _l("排序"),
    "order": _l("顺序"),
    "date_from": _l("起始日期"),
    "date_to": _l("截止日期"),
    "issued_from": _l("下达日期起"),
    "issued_to": _l("下达日期止"),
    "received_from": _l("收到日期起"),
    "received_to": _l("收到日期止"),
    "username": _l("用户名"),
    "action": _l("操作"),
    "object_type": _l("对象类型"),
    "result": _l("结果"),
    "light": _l("期限提示"),
    "overdue": _l("已超期"),
    "below": _l("含下级单位"),
}


def filter_pairs(filters: str) -> list[tuple[str, str]]:
    """Split an access-log row's "key=value&…" filters into pairs, in their order."""
    pairs = []
    for part in (filters or "").split("&"):
        key, _sep, value = part.partition("=")
        if key and value:
            pairs.append((key, value))
    return pairs


def filter_label(object_type: str, key: str):
    """Return the Chinese name of a list's query argument, or its raw name."""
    return FILTER_LABELS.get(key) or field_label(object_type, key)


# Columns whose meaning is the same in every model that has them.
COMMON: dict[str, str] = {
    "name": _l("名称"),
    "code": _l("代码"),
    "number": _l("编号"),
    "unit_id": _l("单位"),
    "scope_unit_id": _l("计入单位"),
    "cadre_id": _l("干部"),
    "cadre_name": _l("干部姓名"),
    "cadre_title": _l("干部职务"),
    "cadre_position": _l("干部职务"),
    "warning_id": _l("预警"),
    "negative_info_id": _l("负面信息"),
    "created_by_id": _l("登记人"),
    "recorded_by_id": _l("登记人"),
    "handler_id": _l("经办人"),
    "at": _l("登记时间"),
    "active": _l("启用"),
    "sort_order": _l("排序"),
    "description": _l("说明"),
    "document_number": _l("文号"),
    "summary": _l("摘要"),
    "note": _l("备注"),
    "reason": _l("事由"),
    "content": _l("内容"),
    "status": _l("状态"),
    "state": _l("状态"),
    "tier": _l("预警等级"),
    "from_tier": _l("原等级"),
    "to_tier": _l("新等级"),
    "round": _l("轮次"),
    "kind": _l("类型"),
    "parent_id": _l("上级"),
    "version": _l("版本"),
    "default_tier": _l("默认预警等级"),
    "position": _l("职务"),
    "user_id": _l("用户"),
    "secretary_id": _l("会议秘书"),
    "started_at": _l("开始时间"),
    "closed_at": _l("结束时间"),
    "closed_by_id": _l("办结人"),
}

MODELS: dict[str, dict[str, str]] = {
    "Cadre": {
        "name": _l("姓名"),
        "gender": _l("性别"),
        "birth_date": _l("出生日期"),
        "ethnicity": _l("民族"),
        "political_status": _l("政治面貌"),
        "education": _l("学历"),
        "position": _l("职务"),
        "rank": _l("职级"),
        "category": _l("干部类别"),
        "is_young": _l("年轻干部"),
        "id_number": _l("身份证号"),
        "appointed_on": _l("任现职时间"),
        "joined_work_on": _l("参加工作时间"),
        "joined_party_on": _l("入党时间"),
        "work_history": _l("工作简历"),
        "status_colour": _l("预警状态"),
        "name_key": _l("姓名检索键"),
        "id_number_hash": _l("身份证号校验值"),
    },
    "CadreEvent": {"kind": _l("事件类型"), "occurred_on": _l("发生日期")},
    "User": {
        "username": _l("用户名"),
        "full_name": _l("姓名"),
        "email": _l("电子邮箱"),
        "password_hash": _l("密码"),
        "role_id": _l("角色"),
        "data_scope": _l("数据权限"),
        "must_change_password": _l("须修改密码"),
        "failed_logins": _l("连续登录失败次数"),
        "locked_until": _l("锁定至"),
        "last_login_at": _l("最近登录时间"),
        "last_login_ip": _l("最近登录 IP"),
        "password_changed_at": _l("密码修改时间"),
        "locale": _l("界面语言"),
        "superior_id": _l("直接上级"),
        "wecom_userid": _l("企业微信 userid"),
    },
    "Role": {"name": _l("角色名称"), "permissions": _l("权限")},
    "OrgUnit": {"name": _l("单位名称"), "path": _l("层级路径")},
    "Parameter": {
        "key": _l("参数键名"),
        "value": _l("参数值"),
        "value_type": _l("类型"),
        "group": _l("分组"),
        "description": _l("参数说明"),
        "min_value": _l("最小值"),
        "max_value": _l("最大值"),
    },
    "DictType": {"name": _l("字典名称")},
    "DictItem": {
        "dict_type_id": _l("字典"),
        "value": _l("键值"),
        "label": _l("显示名称"),
        "colour": _l("颜色"),
        "extra": _l("附加设置"),
    },
    "HolidayYear": {"year": _l("年份")},
    "HolidayDay": {"day": _l("日期"), "is_workday": _l("调休上班"), "name": _l("节日")},
    "NegativeInfo": {
        "category": _l("问题类别"),
        "situation": _l("具体情形"),
        "default_tier": _l("建议预警等级"),
        "source_channel": _l("信息来源"),
        "reporting_unit": _l("报送单位"),
        "liaison_name": _l("联络员"),
        "source_document_number": _l("来源文号"),
        "occurred_on": _l("发生日期"),
        "received_on": _l("收到日期"),
        "summary": _l("事实摘要"),
        "details": _l("详细情况"),
        "handling_unit": _l("承办单位"),
        "handling_result": _l("处理结果"),
        "severity": _l("严重程度"),
        "confidentiality": _l("密级"),
        "status": _l("核实状态"),
        "verification_started_on": _l("核实开始日期"),
        "verification_workdays": _l("核实期限（工作日）"),
        "verification_due": _l("核实期限"),
        "verification_note": _l("核实情况"),
        "verified_on": _l("核实日期"),
        "verified_by_id": _l("核实人"),
        "duplicate_of_id": _l("疑似重复于"),
        "via_liaison": _l("联络员报送"),
        "reporter_name": _l("举报人姓名"),
        "reporter_contact": _l("举报人联系方式"),
        "details_has_identity": _l("详细情况含举报人身份"),
        "source_sealed_fields": _l("密封的来源信息"),
        "verification_due_provisional": _l("核实期限待节假日数据确认"),
    },
    "Talk": {
        "talk_type": _l("谈话类型"),
        "occasion": _l("必谈情形"),
        "interviewers": _l("谈话人"),
        "note_taker_name": _l("记录人"),
        "note_taker_position": _l("记录人职务"),
        "started_at": _l("开始时间"),
        "ended_at": _l("结束时间"),
        "place": _l("地点"),
        "mode": _l("谈话方式"),
        "statement": _l("本人表态"),
        "rectification": _l("整改要求"),
        "follow_up_on": _l("回访日期"),
        "acknowledged_on": _l("确认日期"),
        "acknowledged_by": _l("确认人"),
    },
    "Inquiry": {
        "previous_id": _l("上一轮函询"),
        "matters": _l("函询事项"),
        "issued_on": _l("发函日期"),
        "reply_workdays": _l("回复期限（工作日）"),
        "reply_due": _l("回复期限"),
        "reply": _l("回复内容"),
        "replied_on": _l("回复日期"),
        "pledge_received_on": _l("收到承诺书日期"),
        "conclusion": _l("采信结论"),
        "conclusion_note": _l("结论说明"),
        "concluded_on": _l("结论日期"),
        "reply_due_provisional": _l("回复期限待节假日数据确认"),
    },
    "Warning": {
        "number": _l("预警编号"),
        "approval_step": _l("审批步骤"),
        "awaiting_role": _l("待审批角色"),
        "issued_tier": _l("发出等级"),
        "paused": _l("暂停计时"),
        "paused_since": _l("暂停开始"),
        "paused_reason": _l("暂停原因"),
        "proposer_id": _l("发起人"),
        "suggested_tier": _l("系统建议等级"),
        "action_due": _l("处置期限"),
        "rectification_due": _l("整改期限"),
        "review_due": _l("复核期限"),
        "issued_on": _l("发出日期"),
        "closed_on": _l("办结日期"),
        "influence_until": _l("影响期至"),
        "suggestion_data": _l("系统建议依据"),
        "clock_started_on": _l("计时开始日期"),
        "clock_paused_workdays": _l("已暂停计时（工作日）"),
        "clock_workdays": _l("期限（工作日）"),
        "clock_months": _l("期限（月）"),
        "action_due_provisional": _l("处置期限待节假日数据确认"),
        "rectification_due_provisional": _l("整改期限待节假日数据确认"),
        "review_due_provisional": _l("复核期限待节假日数据确认"),
    },
    "Approval": {
        "step": _l("审批步骤"),
        "role": _l("角色"),
        "decision": _l("审批意见"),
        "comment": _l("意见说明"),
    },
    "WarningAction": {
        "kind": _l("处置方式"),
        "org_handling": _l("组织处理方式"),
        "done_on": _l("完成日期"),
        "talk_id": _l("谈话"),
        "inquiry_id": _l("函询"),
        "record_ref": _l("记录编号"),
    },
    "Rectification": {
        "plan": _l("整改方案"),
        "started_on": _l("开始日期"),
        "due": _l("整改期限"),
        "report": _l("整改报告"),
        "reported_on": _l("报告日期"),
        "review_opinion": _l("复核意见"),
        "review_result": _l("复核结果"),
        "reviewed_on": _l("复核日期"),
        "reviewer_id": _l("复核人"),
    },
    "CommitteeDecision": {"decided_on": _l("决定日期"), "summary": _l("决定摘要")},
    "Referral": {"receiving_organ": _l("接收机关"), "referred_on": _l("移送日期")},
    "Clarification": {
        "method": _l("澄清方式"),
        "clarified_on": _l("澄清日期"),
        "scope": _l("澄清范围"),
        "automatic": _l("系统自动生成"),
    },
    "ToleranceDecision": {
        "application": _l("容错申请"),
        "facts": _l("事实情况"),
        "distinctions": _l("三个区分开来分析"),
        "collective_decision": _l("集体研究意见"),
        "decided_on": _l("认定日期"),
        "outcome": _l("认定结果"),
    },
    "WarningProposal": {
        "overdue_workdays": _l("超期工作日"),
        "reason_data": _l("建议依据"),
        "proposed_on": _l("建议日期"),
        "closed_at": _l("处理时间"),
    },
    "Attachment": {
        "owner_type": _l("所属对象类型"),
        "owner_id": _l("所属对象"),
        "original_name": _l("文件名"),
        "stored_name": _l("存储名"),
        "content_type": _l("文件类型"),
        "size": _l("大小（字节）"),
        "sha256": _l("校验值"),
        "uploaded_by_id": _l("上传人"),
        "removed_at": _l("删除时间"),
        "removed_by_id": _l("删除人"),
    },
    "MeetingSeries": {"kind": _l("会商类型")},
    "Meeting": {
        "kind": _l("会商类型"),
        "series_id": _l("会商安排"),
        "scheduled_for": _l("计划召开时间"),
        "held_on": _l("召开日期"),
        "period_start": _l("研判期间起"),
        "next_on": _l("下次召开日期"),
        "opinions": _l("研判意见"),
        "agenda_built_at": _l("议程生成时间"),
    },
    "MeetingDecision": {
        "meeting_id": _l("研判会商"),
        "agenda_item_id": _l("议题"),
        "kind": _l("决定类型"),
        "warning_event_id": _l("预警办理记录"),
        "record_type": _l("落实记录类型"),
        "record_id": _l("落实记录"),
        "corrects_id": _l("更正的决定"),
    },
    "NotificationPreference": {"channel": _l("提醒渠道"), "enabled": _l("启用")},
    "ApiClient": {
        "name": _l("客户端名称"),
        "owner_unit_id": _l("所属单位"),
        "account_id": _l("接口账号"),
        "permissions": _l("接口权限"),
        "allowed_addresses": _l("允许的来源地址"),
        "expires_at": _l("有效期至"),
        "revoked_at": _l("吊销时间"),
        "token_hash": _l("令牌校验值"),
        "token_hint": _l("令牌尾号"),
        "token_issued_at": _l("令牌签发时间"),
        "rate_limit": _l("调用频率上限"),
    },
}

# Which dictionary a column's codes come from (model → column → dictionary type code).
DICTIONARIES: dict[str, dict[str, str]] = {
    "Cadre": {
        "gender": "gender",
        "ethnicity": "ethnicity",
        "political_status": "political_status",
        "education": "education",
        "rank": "cadre_rank",
        "category": "cadre_category",
        "status_colour": "cadre_status",
    },
    "CadreEvent": {"kind": "cadre_event"},
    "NegativeInfo": {
        "source_channel": "source_channel",
        "status": "verification_status",
        "severity": "severity",
        "confidentiality": "confidentiality",
    },
    "Talk": {"talk_type": "talk_type", "occasion": "talk_occasion", "mode": "talk_mode"},
    "Inquiry": {"conclusion": "inquiry_conclusion"},
    "WarningAction": {"org_handling": "org_handling"},
    "Clarification": {"method": "clarification_method"},
    "ToleranceDecision": {"outcome": "tolerance_outcome"},
    "MeetingSeries": {"kind": "meeting_kind"},
    "Meeting": {"kind": "meeting_kind"},
    "MeetingDecision": {"kind": "meeting_decision"},
}


# Columns that hold another record's id, and that record's type (model → column → type).
REFERENCES: dict[str, dict[str, str]] = {
    "*": {
        "unit_id": "OrgUnit",
        "scope_unit_id": "OrgUnit",
        "cadre_id": "Cadre",
        "warning_id": "Warning",
        "negative_info_id": "NegativeInfo",
        "role_id": "Role",
        "created_by_id": "User",
        "recorded_by_id": "User",
        "handler_id": "User",
        "proposer_id": "User",
        "reviewer_id": "User",
        "verified_by_id": "User",
        "uploaded_by_id": "User",
        "removed_by_id": "User",
        "talk_id": "Talk",
        "inquiry_id": "Inquiry",
        "dict_type_id": "DictType",
        "user_id": "User",
        "superior_id": "User",
        "secretary_id": "User",
        "closed_by_id": "User",
        "account_id": "User",
        "owner_unit_id": "OrgUnit",
        "meeting_id": "Meeting",
        "series_id": "MeetingSeries",
    },
    "MeetingDecision": {"corrects_id": "MeetingDecision"},
    "OrgUnit": {"parent_id": "OrgUnit"},
    "DictItem": {"parent_id": "DictItem"},
    "Inquiry": {"previous_id": "Inquiry"},
    "NegativeInfo": {"duplicate_of_id": "NegativeInfo"},
}


def referenced_type(object_type: str, key: str) -> str | None:
    """Return the type of record a column points at, if it holds an id."""
    return REFERENCES.get(object_type, {}).get(key) or REFERENCES["*"].get(key)


def reference_column(object_type: str, target: str, columns: Iterable[str]) -> str:
    """Return which of a model's columns points at a record of the target type."""
    for key in columns:
        if referenced_type(object_type, key) == target:
            return key
    raise KeyError(f"{object_type} 没有指向 {target} 的列")


def endpoint_label(endpoint: str) -> str | None:
    """Return the menu name of a page (a denied 功能), None if it is no menu entry."""
    return next((label for name, label, _perm in NAVIGATION if name == endpoint), None)


def model_label(object_type: str):
    """Return what a model is called in Chinese, or its raw name."""
    return MODEL_LABELS.get(object_type) or object_type


def field_label(object_type: str, key: str):
    """Return the Chinese label of a model's column, or its raw name if none is declared."""
    return MODELS.get(object_type, {}).get(key) or COMMON.get(key) or key


def field_dictionary(object_type: str, key: str) -> str | None:
    """Return the dictionary type whose codes a column holds, if any."""
    return DICTIONARIES.get(object_type, {}).get(key)
