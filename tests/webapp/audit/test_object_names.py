"""The logs name each object readably (干部 李四, 用户 newbie), one query per type and page."""

import pytest
from sqlalchemy import event

from tests.factories import make_cadre, make_unit, make_user
from webapp.extensions import db as _db


@pytest.fixture
def auditor(db, login):
    def log_in():
        make_user("auditor", make_unit(), username="names-auditor")
        login("names-auditor")

    return log_in


def object_cells(page):
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return [row.split("<td>")[4].split("</td>")[0] for row in body.split("<tr>")[1:]]


def test_operation_log_names_cadres_and_users(client, db, auditor):
    cadre = make_cadre(make_unit(), name="赵六")
    user = make_user("viewer", make_unit(), username="newbie2")
    auditor()
    cadres = object_cells(client.get("/audit/operations?object_type=Cadre").get_data(as_text=True))
    assert cadres == [f'干部 赵六 <span class="muted">#{cadre.id}</span>']
    users = object_cells(
        client.get("/audit/operations?username=&object_type=User").get_data(as_text=True)
    )
    assert f'用户 测试viewer（newbie2） <span class="muted">#{user.id}</span>' in users


def test_deleted_object_keeps_its_type_and_id(client, db, auditor):
    unit = make_unit("将删除的单位")
    unit_id = unit.id
    db.session.delete(unit)
    db.session.flush()
    auditor()  # its unit may take the freed id: a delete row is not named after that one
    page = client.get("/audit/operations?object_type=OrgUnit&action=delete").get_data(as_text=True)
    assert object_cells(page) == [f'单位 <span class="muted">#{unit_id}</span>']


def test_access_log_names_the_record(client, login, db):
    user = make_user("supervisor", make_unit(), username="viewer9")
    cadre = make_cadre(user.unit, name="钱七")
    login("viewer9")
    client.get(f"/cadres/{cadre.id}")
    client.post("/auth/logout")
    make_user("auditor", make_unit(), username="auditor6")
    login("auditor6")
    page = client.get("/audit/accesses?username=viewer9").get_data(as_text=True)
    assert "干部 钱七" in page


def test_names_cost_one_query_per_type(client, db, auditor):
    unit = make_unit()
    for n in range(6):
        make_cadre(unit, name=f"批量{n}")
    auditor()
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = _db.session.get_bind().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        page = client.get("/audit/operations?object_type=Cadre").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert page.count("干部 批量") == 6
    assert sum("FROM cadre" in s for s in statements) == 1
