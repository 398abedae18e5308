"""Build import files in the tests, and upload them through the pages."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from tests.factories import id_number
from webapp.imports.cadres import CADRES
from webapp.models import OrgUnit

CADRE_HEADERS = [c.header for c in CADRES.columns]


def cadre_row(unit: OrgUnit, birth: date = date(1985, 3, 9), **changes) -> dict:
    """Return one good roster row (header → cell), with some cells changed."""
    row = {
        "姓名": "李四",
        "性别": "男",
        "出生日期": birth,
        "民族": "汉族",
        "政治面貌": "中共党员",
        "学历": "大学本科",
        "单位": unit.name,
        "职务": "科长",
        "职级": "正科级",
        "干部类别": "科级干部",
        "年轻干部": "否",
        "身份证号码": id_number(birth),
        "任现职时间": "2020-01-01",
        "参加工作时间": date(2007, 7, 1),
        "入党时间": "",
        "工作经历": "",
    }
    row.update(changes)
    return row


def write_xlsx(path: Path, headers: list[str], rows: list[dict], *, write_only=False) -> Path:
    """Write a workbook with a header row and one row per dict."""
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("干部信息") if write_only else workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    workbook.save(path)
    return path


def upload(client, path: Path, *, update: bool = False, kind: str = "cadres", name: str = ""):
    """Post a file to the import page; return the response (not followed)."""
    data = {"file": (io.BytesIO(path.read_bytes()), name or path.name)}
    if update:
        data["update_existing"] = "y"
    return client.post(f"/excel/{kind}/import", data=data, content_type="multipart/form-data")


def token_of(response) -> str:
    """Return the job token a successful upload redirected to."""
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
