"""Sealed source identity (举报人保护): stored sealed, hidden by default, revealed with a logged reason."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import make_cadre, make_report, make_unit, make_user
from tests.helpers import report_form
from webapp.models import AccessLog, AuditLog
from webapp.security.crypto import is_sealed

NOTICE = "来源信息已加密保护"
REPORTER = "王举报"
PHONE = "13900001111"


@pytest.fixture
def report(db):
    unit = make_unit("市交通局")
    info = make_report(
        make_cadre(unit),
        source_channel="petition",
        reporting_unit="市信访局",
        liaison_name="李联络",
        reporter_name=REPORTER,
        reporter_contact=PHONE,
        details=f"举报人{REPORTER}称……",
        details_has_identity=True,
    )
    return unit, info


def identity_in(page: str) -> list[str]:
    return [text for text in (REPORTER, PHONE, "市信访局", "李联络") if text in page]


def test_identity_is_stored_sealed(db, report):
    _unit, info = report
    row = db.session.execute(
        sa.text(
            "SELECT reporter_name, reporter_contact, reporting_unit, liaison_name, details"
            " FROM negative_info WHERE id = :id"
        ),
        {"id": info.id},
    ).one()
    assert all(is_sealed(value) for value in row)
    assert not any(REPORTER in value or PHONE in value for value in row)


@pytest.mark.parametrize("role", ["supervisor", "reviewer", "approver", "viewer"])
def test_other_roles_see_only_the_notice(db, client, login, report, role):
    unit, info = report
    login(make_user(role, unit).username)
    page = client.get(f"/negative-info/{info.id}").get_data(as_text=True)
    assert identity_in(page) == []
    assert NOTICE in page and "查看来源身份" not in page
    assert (
        client.post(f"/negative-info/{info.id}/source-identity", data={"reason": "x"}).status_code
        == 403
    )


def test_the_keeper_reveals_with_a_reason_and_the_reveal_is_logged(db, client, login, report):
    unit, info = report
    keeper = make_user("source_keeper", unit)
    login(keeper.username)
    page = client.get(f"/negative-info/{info.id}").get_data(as_text=True)
    assert identity_in(page) == [] and "查看来源身份" in page
    refused = client.post(f"/negative-info/{info.id}/source-identity", data={"reason": ""})
    assert refused.status_code == 400 and identity_in(refused.get_data(as_text=True)) == []
    shown = client.post(
        f"/negative-info/{info.id}/source-identity", data={"reason": "核实需联系举报人"}
    ).get_data(as_text=True)
    assert identity_in(shown) == [REPORTER, PHONE, "市信访局", "李联络"]
    log = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "reveal_source_identity")
    ).one()
    assert log.user_id == keeper.id and log.object_id == str(info.id)
    assert "核实需联系举报人" in log.summary and identity_in(str(log.summary)) == []
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(AccessLog.action == "reveal_source"))
        == 1
    )
    every_log = " ".join(
        str(r.before) + str(r.after) + r.summary for r in db.session.scalars(sa.select(AuditLog))
    )
    assert identity_in(every_log) == []


def test_other_channels_show_the_liaison_but_never_the_reporter(db, client, login):
    unit = make_unit("市审计局")
    info = make_report(
        make_cadre(unit), source_channel="audit", liaison_name="李联络", reporter_name=REPORTER
    )
    login(make_user("supervisor", unit).username)
    page = client.get(f"/negative-info/{info.id}").get_data(as_text=True)
    assert "李联络" in page and REPORTER not in page


def test_the_edit_form_shows_no_identity_and_keeps_it(db, client, login, report):
    unit, info = report
    login(make_user("supervisor", unit).username)
    page = client.get(f"/negative-info/{info.id}/edit").get_data(as_text=True)
    assert identity_in(page) == []
    blank = {"reporting_unit": "", "liaison_name": "", "details": "", "details_has_identity": "y"}
    form = report_form(info.cadre, **blank, summary="更正后的摘要", version=str(info.version))
    assert client.post(f"/negative-info/{info.id}/edit", data=form).status_code == 302
    db.session.refresh(info)
    assert (info.summary, info.reporter_name, info.liaison_name) == (
        "更正后的摘要",
        REPORTER,
        "李联络",
    )
    assert info.details.startswith("举报人")


def test_the_history_names_no_source(db, client, login, report):
    unit, info = report
    login(make_user("supervisor", unit).username)
    form = report_form(
        info.cadre, liaison_name="赵新联络", details_has_identity="y", version=str(info.version)
    )
    assert client.post(f"/negative-info/{info.id}/edit", data=form).status_code == 302
    db.session.refresh(info)
    assert info.liaison_name == "赵新联络"
    changes = info.history[-1].changes
    assert "赵新联络" not in str(changes) and "李联络" not in str(changes)


def test_the_export_carries_no_identity(db, client, login, report):
    import io

    from openpyxl import load_workbook

    unit, _info = report
    login(make_user("supervisor", unit).username)
    response = client.get("/excel/negative-info/export")
    data = response.data
    response.close()
    rows = load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True)
    cells = " ".join(str(c) for row in rows for c in row)
    assert identity_in(cells) == [] and NOTICE in cells


def test_existing_clear_sources_are_sealed_by_the_data_step(db, report):
    from webapp.security.crypto import seal_existing_values, unseal

    _unit, info = report
    connection = db.session.connection()
    connection.execute(
        sa.text("UPDATE negative_info SET liaison_name = '李联络', details = '' WHERE id = :id"),
        {"id": info.id},
    )
    columns = ("reporting_unit", "liaison_name", "details")
    assert seal_existing_values(connection, "negative_info", columns) >= 1
    sealed, details = connection.execute(
        sa.text("SELECT liaison_name, details FROM negative_info WHERE id = :id"), {"id": info.id}
    ).one()
    assert is_sealed(sealed) and unseal(sealed) == "李联络" and details == ""
    assert seal_existing_values(connection, "negative_info", columns) == 0


def unsealing_edit(info, **changes) -> dict[str, str]:
    """The probe's edit: the sealed fields left blank, the channel moved, the box unticked."""
    blank = {"reporting_unit": "", "liaison_name": "", "details": "", "source_channel": "audit"}
    form = report_form(info.cadre, **{**blank, **changes}, version=str(info.version))
    form.pop("details_has_identity", None)
    return form


def test_who_may_not_read_the_source_cannot_unseal_it(db, client, login, report):
    unit, info = report
    login(make_user("supervisor", unit).username)
    version = info.version
    response = client.post(f"/negative-info/{info.id}/edit", data=unsealing_edit(info))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "不能将信息来源改为其他渠道" in page and "不能取消此项" in page
    assert identity_in(page) == []
    db.session.expire_all()
    assert (info.source_channel, info.details_has_identity, info.version) == (
        "petition",
        True,
        version,
    )
    shown = client.get(f"/negative-info/{info.id}").get_data(as_text=True)
    assert identity_in(shown) == [] and "举报人王举报称" not in shown


def test_unticking_the_details_box_alone_is_refused(db, client, login, report):
    unit, info = report
    login(make_user("supervisor", unit).username)
    form = unsealing_edit(info, source_channel="petition")
    response = client.post(f"/negative-info/{info.id}/edit", data=form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "不能取消此项" in page and "不能将信息来源改为其他渠道" not in page


def test_an_empty_channel_field_may_move_to_another_channel(db, client, login):
    unit = make_unit("市审计局")
    info = make_report(make_cadre(unit), source_channel="petition", reporter_name=REPORTER)
    login(make_user("supervisor", unit).username)
    form = report_form(
        info.cadre, reporting_unit="", liaison_name="", source_channel="audit", version="1"
    )
    form["version"] = str(info.version)
    assert client.post(f"/negative-info/{info.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert info.source_channel == "audit" and info.reporter_name == REPORTER


def test_sealing_is_one_way(db, client, login, report):
    unit, info = report
    login(make_user("source_keeper", unit).username)
    response = client.post(f"/negative-info/{info.id}/edit", data=unsealing_edit(info))
    assert response.status_code == 302  # the keeper may correct the channel
    db.session.expire_all()
    assert (info.source_channel, info.details_has_identity) == ("audit", False)
    assert info.liaison_name == "李联络" and info.details.startswith("举报人")
    client.post("/auth/logout")
    login(make_user("supervisor", unit).username)
    page = client.get(f"/negative-info/{info.id}").get_data(as_text=True)
    assert identity_in(page) == [] and "举报人王举报称" not in page and NOTICE in page
    # A second edit finds the fields still sealed: blank on the form, kept when left blank.
    edit = client.get(f"/negative-info/{info.id}/edit").get_data(as_text=True)
    assert identity_in(edit) == [] and "举报人王举报称" not in edit


def test_a_refused_edit_shows_no_stored_identity(db, client, login, report):
    unit, info = report
    login(make_user("supervisor", unit).username)
    # A request that leaves the sealed fields out, refused for another field.
    form = report_form(info.cadre, summary="", details_has_identity="y", version=str(info.version))
    for key in ("reporting_unit", "liaison_name", "details"):
        form.pop(key)
    response = client.post(f"/negative-info/{info.id}/edit", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and identity_in(page) == []
    assert "举报人王举报称" not in page


def test_the_sealed_columns_are_found_by_their_type():
    from webapp.models import Cadre, NegativeInfo
    from webapp.security.crypto import sealed_columns, sealed_deferred

    assert set(sealed_columns(NegativeInfo)) == {
        "reporting_unit", "liaison_name", "reporter_name", "reporter_contact", "details"
    }  # fmt: skip
    assert sealed_columns(Cadre) == ["id_number"]
    assert len(sealed_deferred(NegativeInfo)) == 5
