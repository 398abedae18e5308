"""操作日志 reads as labelled before → after values; the raw JSON is behind a toggle."""

import re

import pytest

from tests.factories import make_cadre, make_unit, make_user
from tests.webapp.cadres.test_cadre_forms import valid_form
from webapp.audit.labels import field_label


def outside_toggles(html: str) -> str:
    return re.sub(r"<details.*?</details>", "", html, flags=re.S)


@pytest.fixture
def edited_cadre(client, login, db):
    user = make_user("supervisor", make_unit("市财政局"), username="editor")
    cadre = make_cadre(user.unit, name="李四", position="科长", rank="zhengke")
    login("editor")
    data = valid_form(
        user.unit,
        name="李四",
        position="副处长",
        rank="fuchu",
        id_number=cadre.id_number,
        birth_date=cadre.birth_date.isoformat(),
    )
    assert client.post(f"/cadres/{cadre.id}/edit", data=data).status_code == 302
    client.post("/auth/logout")
    make_user("auditor", make_unit(), username="auditor3")
    login("auditor3")
    return cadre


def operations_body(client):
    page = client.get("/audit/operations?object_type=Cadre&action=update").get_data(as_text=True)
    return page.split("<tbody>")[1].split("</tbody>")[0]


def test_cadre_edit_reads_as_labelled_change(client, edited_cadre):
    body = operations_body(client)
    assert "职务：科长 → 副处长" in body
    assert "职级：正科级 → 副处级" in body  # dictionary codes shown as their labels
    shown = outside_toggles(body)
    for internal in ("position", "zhengke", "fuchu", "rank"):
        assert internal not in shown


def test_raw_json_stays_behind_a_toggle(client, edited_cadre):
    body = operations_body(client)
    toggles = re.findall(r"<details.*?</details>", body, flags=re.S)
    assert toggles and "position" in toggles[0] and "<summary>" in toggles[0]


def test_create_lists_the_values_set_and_hides_secrets(client, login, db):
    make_user("viewer", make_unit(), username="newbie")
    make_user("auditor", make_unit(), username="auditor4")
    login("auditor4")
    page = client.get("/audit/operations?object_type=User&username=").get_data(as_text=True)
    shown = outside_toggles(page.split("<tbody>")[1])
    assert "用户名：newbie" in shown
    assert "password_hash" not in shown and "$argon2" not in page


def test_unlabelled_fields_fall_back_to_their_raw_name(app):
    with app.test_request_context():
        assert str(field_label("Cadre", "position")) == "职务"
        assert str(field_label("Cadre", "unit_id")) == "单位"
        assert field_label("Nobody", "odd_column") == "odd_column"


def test_references_read_as_names(client, login, db):
    old, new = make_unit("甲局"), make_unit("乙局")
    cadre = make_cadre(old, name="孙八")
    cadre.unit = new
    db.session.flush()
    make_user("auditor", make_unit(), username="auditor7")
    login("auditor7")
    body = operations_body(client)
    assert "单位：甲局 → 乙局" in body
