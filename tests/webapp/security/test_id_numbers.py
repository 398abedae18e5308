"""Hole 6: ID numbers sealed at rest, masked past rebuilding, revealed only on a logged 查看."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from stdnum.cn import ric

from tests.factories import id_number, make_cadre, make_unit, make_user
from webapp.forms_common import mask_id_number
from webapp.models import AccessLog, AuditLog, Cadre, DataScope
from webapp.security.crypto import (
    encrypt_existing_id_numbers,
    id_number_hash,
    is_sealed,
    unseal,
)

BIRTH = date(1982, 3, 9)


@pytest.fixture
def units(db):
    root = make_unit("市委")
    return make_unit("本局", root), make_unit("外局", root)


def stored(db, cadre_id: int) -> tuple[str, str]:
    """Read the cadre's ID columns as the database holds them, past the model."""
    return db.session.execute(
        sa.text("SELECT id_number, id_number_hash FROM cadre WHERE id = :id"), {"id": cadre_id}
    ).one()


def form(unit, number: str, name: str = "王建国") -> dict[str, str]:
    return {
        "name": name,
        "gender": "male",
        "birth_date": BIRTH.isoformat(),
        "ethnicity": "han",
        "political_status": "cpc",
        "education": "master",
        "unit_id": str(unit.id),
        "position": "副局长",
        "rank": "fuchu",
        "category": "city",
        "id_number": number,
    }


def test_the_database_holds_no_clear_id_number(db, units):
    cadre = make_cadre(units[0], birth_date=BIRTH)
    clear = cadre.id_number
    sealed, digest = stored(db, cadre.id)
    assert is_sealed(sealed) and clear not in sealed and clear[6:14] not in sealed
    assert unseal(sealed) == clear
    assert digest == id_number_hash(clear) and clear not in digest
    db.session.expire(cadre)
    assert cadre.id_number == clear  # the model reads it back in clear


def test_equal_numbers_seal_differently_but_hash_alike(db, units):
    number = id_number(BIRTH, 321)
    one, two = make_cadre(units[0], birth_date=BIRTH), make_cadre(units[1], birth_date=BIRTH)
    one.id_number = two.id_number = number
    db.session.flush()
    (seal_one, hash_one), (seal_two, hash_two) = stored(db, one.id), stored(db, two.id)
    assert seal_one != seal_two
    assert hash_one == hash_two == id_number_hash(number.lower())


def test_a_sealed_column_cannot_be_compared_by_mistake(db):
    with pytest.raises(TypeError):
        sa.select(Cadre.id).where(Cadre.id_number == "110105198203093211")


def test_mask_and_birth_date_leave_hundreds_of_candidates():
    number = id_number(BIRTH, 321)
    masked = mask_id_number(number)
    assert masked == number[:6] + "*" * 12
    # What a reader knows: the mask, the birth date and the gender shown beside it.
    male = int(number[16]) % 2
    candidates = [
        body + ric.calc_check_digit(body + "0")
        for body in (f"{masked[:6]}{BIRTH:%Y%m%d}{seq:03d}" for seq in range(1000))
        if int(body[16]) % 2 == male
    ]
    consistent = [c for c in candidates if mask_id_number(c) == masked]
    assert number in consistent and len(consistent) == 500


def test_full_number_only_on_a_logged_reveal(db, client, login, units):
    user = make_user("supervisor", units[0])
    login(user.username)
    cadre = make_cadre(units[0], birth_date=BIRTH)
    profile = client.get(f"/cadres/{cadre.id}").get_data(as_text=True)
    assert cadre.id_number not in profile and "查看" in profile
    shown = client.post(f"/cadres/{cadre.id}/id-number")
    assert shown.status_code == 200
    assert f'<span id="full-id-number">{cadre.id_number}</span>' in shown.get_data(as_text=True)
    assert shown.headers["Cache-Control"].startswith("no-store")
    access = db.session.scalars(
        sa.select(AccessLog).where(AccessLog.action == "reveal_id_number")
    ).one()
    assert (access.user_id, access.object_type, access.object_id) == (
        user.id,
        "Cadre",
        str(cadre.id),
    )
    operation = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "reveal_id_number")
    ).one()
    assert operation.object_id == str(cadre.id) and cadre.id_number not in str(operation.summary)
    assert cadre.id_number not in client.get(f"/cadres/{cadre.id}").get_data(as_text=True)


def test_reveal_is_refused_without_the_edit_right(db, client, login, units):
    cadre = make_cadre(units[0], birth_date=BIRTH)
    login(make_user("viewer", units[0]).username)
    assert client.post(f"/cadres/{cadre.id}/id-number").status_code == 403
    assert "full-id-number" not in client.get(f"/cadres/{cadre.id}").get_data(as_text=True)


def test_reveal_is_refused_outside_scope(db, client, login, units):
    mine, other = units
    cadre = make_cadre(mine, birth_date=BIRTH)
    login(make_user("supervisor", other, DataScope.UNIT).username)
    assert client.post(f"/cadres/{cadre.id}/id-number").status_code == 404
    assert not db.session.scalar(
        sa.select(sa.func.count()).where(AccessLog.action == "reveal_id_number")
    )


def test_the_form_answers_alike_whether_a_number_exists_out_of_scope(db, client, login, units):
    mine, other = units
    outsider = make_cadre(other, birth_date=BIRTH)
    user = make_user("supervisor", mine, DataScope.UNIT)
    login(user.username)
    answers = []
    for number in (outsider.id_number, id_number(BIRTH, 997)):
        response = client.post("/cadres/new", data=form(mine, number))
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        answers.append((response.status_code, "已新增干部：王建国" in page, "已登记" in page))
    assert answers[0] == answers[1] == (302, True, False)


def test_a_number_in_scope_is_still_refused(db, client, login, units):
    mine, _other = units
    existing = make_cadre(mine, birth_date=BIRTH)
    login(make_user("supervisor", mine, DataScope.UNIT).username)
    page = client.post("/cadres/new", data=form(mine, existing.id_number)).get_data(as_text=True)
    assert "该身份证号码已登记" in page


def registered_twice(units):
    mine, other = units
    outsider = make_cadre(other, name="甲", birth_date=BIRTH)
    twin = make_cadre(mine, name="乙", birth_date=BIRTH, id_number=outsider.id_number)
    make_cadre(mine, name="丙", birth_date=BIRTH)
    return outsider, twin


def test_a_duplicate_is_not_shown_to_who_sees_one_side(db, client, login, units):
    _outsider, twin = registered_twice(units)
    login(make_user("supervisor", units[0], DataScope.UNIT).username)
    page = client.get("/cadres/duplicates").get_data(as_text=True)
    assert "没有重复登记" in page and twin.name not in page


def test_a_duplicate_is_shown_to_who_sees_both(db, client, login, units):
    outsider, twin = registered_twice(units)
    login(make_user("supervisor", units[0], DataScope.ALL).username)
    page = client.get("/cadres/duplicates").get_data(as_text=True)
    assert page.count('class="card duplicate-group"') == 1
    assert f"/cadres/{outsider.id}" in page and f"/cadres/{twin.id}" in page
    assert outsider.id_number not in page


def test_existing_clear_numbers_are_sealed_by_the_data_step(db, units):
    cadre = make_cadre(units[0], birth_date=BIRTH)
    clear = id_number(BIRTH, 555)
    connection = db.session.connection()
    connection.execute(
        sa.text("UPDATE cadre SET id_number = :n, id_number_hash = '' WHERE id = :id"),
        {"n": clear.lower(), "id": cadre.id},
    )
    assert encrypt_existing_id_numbers(connection) >= 1
    sealed, digest = stored(db, cadre.id)
    assert is_sealed(sealed) and unseal(sealed) == clear and digest == id_number_hash(clear)
    assert encrypt_existing_id_numbers(connection) == 0  # a second run changes nothing
    assert stored(db, cadre.id) == (sealed, digest)


def test_the_edit_form_shows_no_id_number(db, client, login, units):
    cadre = make_cadre(units[0], birth_date=BIRTH)
    login(make_user("supervisor", units[0]).username)
    page = client.get(f"/cadres/{cadre.id}/edit").get_data(as_text=True)
    assert cadre.id_number not in page and "留空则保持原号码不变" in page
    assert mask_id_number(cadre.id_number) in page
    assert not db.session.scalar(
        sa.select(sa.func.count()).where(AccessLog.action == "reveal_id_number")
    )


def test_an_edit_with_the_number_left_blank_keeps_it(db, client, login, units):
    cadre = make_cadre(units[0], birth_date=BIRTH)
    clear = cadre.id_number
    login(make_user("supervisor", units[0]).username)
    response = client.post(f"/cadres/{cadre.id}/edit", data=form(units[0], "", name="王更名"))
    assert response.status_code == 302
    db.session.expire_all()
    assert (cadre.name, cadre.id_number) == ("王更名", clear)


def test_a_refused_edit_with_the_number_left_blank_shows_no_number(db, client, login, units):
    cadre = make_cadre(units[0], birth_date=BIRTH)
    login(make_user("supervisor", units[0]).username)
    page = client.post(f"/cadres/{cadre.id}/edit", data=form(units[0], "", name=""))
    assert page.status_code == 200 and "此项为必填项" in page.get_data(as_text=True)
    assert cadre.id_number not in page.get_data(as_text=True)


def test_an_edit_with_a_new_number_checks_and_stores_it(db, client, login, units):
    cadre = make_cadre(units[0], birth_date=BIRTH)
    login(make_user("supervisor", units[0]).username)
    new = id_number(BIRTH, 777)
    wrong = new[:-1] + ("1" if new[-1] == "0" else "0")  # a wrong check digit
    bad = client.post(f"/cadres/{cadre.id}/edit", data=form(units[0], wrong))
    assert bad.status_code == 200 and "身份证号码无效" in bad.get_data(as_text=True)
    db.session.expire_all()
    assert cadre.id_number != wrong
    assert client.post(f"/cadres/{cadre.id}/edit", data=form(units[0], new)).status_code == 302
    db.session.expire_all()
    assert cadre.id_number == new
