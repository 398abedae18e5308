"""What an API client may be granted (接入系统权限), and the labels the pages show."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class ApiPermission(enum.StrEnum):
    """The permission codes an API client's token carries."""

    SUBMIT = "negative_info:submit"
    READ = "negative_info:read"
    LOOKUP = "cadres:lookup"
    WARNINGS = "warnings:read"


PERMISSION_LABELS = {
    ApiPermission.SUBMIT: _l("报送负面信息"),
    ApiPermission.READ: _l("查询所报送信息的核实状态"),
    ApiPermission.LOOKUP: _l("按数据权限查询干部（姓名、单位、脱敏身份证号）"),
    ApiPermission.WARNINGS: _l("读取数据权限内的预警事项"),
}
