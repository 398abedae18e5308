"""Zip bombs and oversized sheets are refused before they cost the server anything."""

from __future__ import annotations

import io
import os
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.factories import make_unit, make_user
from tests.webapp.imports.xlsx import CADRE_HEADERS, cadre_row, upload, write_xlsx
from webapp.imports import reading
from webapp.imports.cadres import CADRES
from webapp.imports.context import ImportContext
from webapp.imports.reading import FileRejected, SheetReader
from webapp.imports.validation import validate_file
from webapp.models import Cadre, DataScope, ImportJob

SHEET = "xl/worksheets/sheet1.xml"
TOO_BIG = "文件超过上限（最多 5 行、3000000 个单元格，空行也计算在内）"


def header_row(number: int = 1) -> str:
    cells = "".join(f'<c t="inlineStr"><is><t>{header}</t></is></c>' for header in CADRE_HEADERS)
    return f'<row r="{number}">{cells}</row>'


def with_sheet(path: Path, rows: str, dimension: str = "") -> Path:
    """Rewrite a workbook's sheet as the given rows (XML), under an optional dimension."""
    good = io.BytesIO(path.read_bytes())
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{f'<dimension ref={dimension!r}/>' if dimension else ''}"
        f"<sheetData>{rows}</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = sheet.encode() if item.filename == SHEET else source.read(item.filename)
            target.writestr(item.filename, data, zipfile.ZIP_DEFLATED)
    path.write_bytes(out.getvalue())
    return path


@pytest.fixture
def supervisor(db, login):
    unit = make_unit("市委办公室")
    user = make_user("supervisor", unit, DataScope.UNIT_AND_BELOW)
    login(user.username)
    return unit, user


def nothing_written(db, import_dir: Path) -> None:
    assert db.session.scalar(select(func.count(ImportJob.id))) == 0
    assert db.session.scalar(select(func.count(Cadre.id))) == 0
    assert not import_dir.exists() or not any(import_dir.iterdir())


def test_a_blank_row_bomb_is_refused_at_once_and_kept_nowhere(
    db, client, supervisor, tmp_path, import_dir
):
    path = write_xlsx(tmp_path / "炸弹.xlsx", CADRE_HEADERS, [])
    with_sheet(path, header_row() + "<row/>" * 1_000_000)
    assert path.stat().st_size < 100_000  # some kilobytes that unpack to megabytes
    started = time.monotonic()
    response = upload(client, path)
    assert time.monotonic() - started < 2
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "文件压缩比异常" in page and "请删除多余的空行" in page
    nothing_written(db, import_dir)


def test_a_file_unpacking_past_the_cap_is_refused_on_the_form(
    db, client, supervisor, tmp_path, import_dir, monkeypatch
):
    unit, _user = supervisor
    rows = [cadre_row(unit, 工作经历=os.urandom(600).hex()) for _ in range(3)]
    path = write_xlsx(tmp_path / "大.xlsx", CADRE_HEADERS, rows)
    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 8 * 1024)
    response = upload(client, path)
    assert response.status_code == 400
    assert "文件解压后有" in response.get_data(as_text=True)
    nothing_written(db, import_dir)


def validate(app, user, path: Path, **limits):
    with app.test_request_context():
        return validate_file(path, CADRES, ImportContext(user, date(2026, 12, 1)), **limits)


def test_blank_rows_count_against_the_row_cap(app, supervisor, tmp_path):
    _unit, user = supervisor
    path = write_xlsx(tmp_path / "空行.xlsx", CADRE_HEADERS, [])
    with_sheet(path, header_row() + "".join(f'<row r="{n}"/>' for n in range(2, 12)))
    report = validate(app, user, path, max_rows=5)
    assert report.fatal.startswith(TOO_BIG)


def test_a_sheet_whose_range_is_too_big_is_refused_before_reading(app, supervisor, tmp_path):
    _unit, user = supervisor
    path = write_xlsx(tmp_path / "范围.xlsx", CADRE_HEADERS, [])
    with_sheet(path, header_row(), dimension="A1:P1000")
    report = validate(app, user, path, max_rows=5)
    assert report.fatal.startswith(TOO_BIG)


def test_cells_are_counted_while_streaming(app, supervisor, tmp_path):
    path = write_xlsx(tmp_path / "单元格.xlsx", CADRE_HEADERS, [])
    with_sheet(path, "".join(header_row(n) for n in range(1, 5)))  # no dimension recorded
    with (
        app.test_request_context(),
        SheetReader(path, max_cells=50) as reader,
        pytest.raises(FileRejected, match="50 个单元格"),
    ):
        list(reader.rows())
