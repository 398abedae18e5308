"""A formula in an uploaded file is stored as the text typed, never evaluated."""

from __future__ import annotations

from sqlalchemy import select

from tests.factories import make_unit, make_user
from tests.webapp.imports.xlsx import CADRE_HEADERS, cadre_row, token_of, upload, write_xlsx
from webapp.models import Cadre, DataScope, ImportJob

FORMULA = '=HYPERLINK("http://x","科长")'


def job_of(db, token: str) -> ImportJob:
    return db.session.scalars(select(ImportJob).where(ImportJob.token == token)).one()


def test_a_formula_in_a_text_column_is_stored_as_its_text(db, client, login, tmp_path):
    unit = make_unit("市委办公室")
    login(make_user("supervisor", unit, DataScope.UNIT_AND_BELOW).username)
    rows = [cadre_row(unit, 姓名="公式", 职务=FORMULA, 工作经历="=1+1")]
    token = token_of(upload(client, write_xlsx(tmp_path / "干部.xlsx", CADRE_HEADERS, rows)))
    assert job_of(db, token).state == "valid", job_of(db, token).errors
    client.post(f"/excel/jobs/{token}/confirm")
    cadre = db.session.scalars(select(Cadre).where(Cadre.name == "公式")).one()
    assert (cadre.position, cadre.work_history) == (FORMULA, "=1+1")


def test_a_formula_in_a_date_column_is_refused_by_name(db, client, login, tmp_path):
    unit = make_unit("市委办公室")
    login(make_user("supervisor", unit, DataScope.UNIT_AND_BELOW).username)
    rows = [cadre_row(unit, 任现职时间="=DATE(2020,1,1)")]
    token = token_of(upload(client, write_xlsx(tmp_path / "干部.xlsx", CADRE_HEADERS, rows)))
    job = job_of(db, token)
    assert job.state == "invalid"
    assert job.errors == [[2, "任现职时间", "此单元格是公式，请改为直接填写内容"]]
