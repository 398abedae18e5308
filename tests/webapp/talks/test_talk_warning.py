"""A talk record linked to the warning it serves (DESIGN §3: Talk … linked warning)."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.factories import make_cadre, make_talk, make_user, make_warning
from tests.webapp.talks.test_talks import errors_of, talk_form
from webapp.models import DataScope, Talk
from webapp.talks.services import talks_for_warning


def select_of(page: str, name: str) -> str:
    """Return the <select> named `name`."""
    start = page.index(f'name="{name}"')
    return page[start : page.index("</select>", start)]


def test_form_offers_the_cadres_open_warnings_in_scope(client, login, db, world):
    issued = make_warning(world.cadre, world.supervisor, "YJ-2026-0001", tier=2)
    make_warning(world.cadre, world.supervisor, "YJ-2026-0002", state="lifted")
    make_warning(world.stranger, world.supervisor, "YJ-2026-0003")
    other = make_cadre(world.own, name="王五")
    make_warning(other, world.supervisor, "YJ-2026-0004")
    login(world.supervisor.username)
    page = client.get(f"/talks/new?cadre_id={world.cadre.id}").get_data(as_text=True)
    options = select_of(page, "warning_id")
    assert f'value="{issued.id}"' in options
    assert "YJ-2026-0001 二级预警（橙色） 已下达" in options
    for hidden in ("YJ-2026-0002", "YJ-2026-0003", "YJ-2026-0004"):
        assert hidden not in options


def test_talk_saved_with_its_warning_shows_the_link(client, login, db, world):
    warning = make_warning(world.cadre, world.supervisor, "YJ-2026-0007")
    login(world.supervisor.username)
    response = client.post("/talks/new", data=talk_form(world.cadre, warning_id=str(warning.id)))
    assert response.status_code == 302
    talk = db.session.scalars(select(Talk)).one()
    assert talk.warning_id == warning.id
    page = client.get(f"/talks/{talk.id}").get_data(as_text=True)
    assert f'href="/warnings/{warning.id}"' in page and "YJ-2026-0007" in page
    assert talks_for_warning(warning.id, world.supervisor) == [talk]


def test_new_talk_from_a_warning_prefills_cadre_and_link(client, login, db, world):
    warning = make_warning(world.cadre, world.supervisor, "YJ-2026-0008")
    outside = make_warning(world.stranger, world.supervisor, "YJ-2026-0009")
    login(world.supervisor.username)
    page = client.get(f"/talks/new?warning_id={warning.id}").get_data(as_text=True)
    assert f'<option selected value="{world.cadre.id}">' in page
    assert f'<option selected value="{warning.id}">YJ-2026-0008' in page
    assert client.get(f"/talks/new?warning_id={outside.id}").status_code == 404


def test_warning_of_another_cadre_closed_or_outside_scope_is_refused(client, login, db, world):
    other = make_cadre(world.own, name="王五")
    refused = [
        make_warning(other, world.supervisor, "YJ-2026-0011"),
        make_warning(world.stranger, world.supervisor, "YJ-2026-0012"),
        make_warning(world.cadre, world.supervisor, "YJ-2026-0013", state="revoked"),
    ]
    login(world.supervisor.username)
    for warning in refused:
        data = talk_form(world.cadre, warning_id=str(warning.id), place="谈话室甲")
        response = client.post("/talks/new", data=data)
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert "只能关联该干部未办结、且您有权查看的预警" in errors_of(page, "warning_id")
        assert 'value="谈话室甲"' in page  # what was typed is kept
    assert db.session.scalar(select(func.count()).select_from(Talk)) == 0


def test_edit_keeps_a_link_to_a_warning_closed_since(client, login, db, world):
    warning = make_warning(world.cadre, world.supervisor, "YJ-2026-0021", state="lifted")
    talk = make_talk(world.cadre, created_by=world.supervisor, warning_id=warning.id)
    login(world.supervisor.username)
    form = client.get(f"/talks/{talk.id}/edit").get_data(as_text=True)
    assert f'<option selected value="{warning.id}">YJ-2026-0021' in select_of(form, "warning_id")
    data = talk_form(world.cadre, warning_id=str(warning.id), place="谈话室乙")
    assert client.post(f"/talks/{talk.id}/edit", data=data).status_code == 302
    db.session.refresh(talk)
    assert talk.warning_id == warning.id and talk.place == "谈话室乙"


def test_talks_for_warning_is_scoped(db, world):
    warning = make_warning(world.cadre, world.supervisor, "YJ-2026-0031")
    mine = make_talk(world.cadre, created_by=world.supervisor, warning_id=warning.id)
    make_talk(world.cadre, created_by=world.supervisor)  # not linked
    own_only = make_user("supervisor", world.own, DataScope.SELF)
    outsider = make_user("supervisor", world.other, DataScope.UNIT)
    liaison = make_user("liaison", world.own, DataScope.UNIT_AND_BELOW)
    assert talks_for_warning(warning.id, world.supervisor) == [mine]
    assert talks_for_warning(warning.id, own_only) == []
    assert talks_for_warning(warning.id, outsider) == []
    assert talks_for_warning(warning.id, liaison) == []  # may not read talks at all


def test_detail_does_not_name_a_warning_outside_scope(client, login, db, world):
    own_only = make_user("supervisor", world.own, DataScope.SELF)
    warning = make_warning(world.cadre, world.supervisor, "YJ-2026-0041")
    talk = make_talk(world.cadre, created_by=own_only, warning_id=warning.id)
    login(own_only.username)
    page = client.get(f"/talks/{talk.id}").get_data(as_text=True)
    assert "已关联（无权查看）" in page
    assert "YJ-2026-0041" not in page and f"/warnings/{warning.id}" not in page
