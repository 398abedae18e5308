"""Huge ids and pages never reach the database: 404 for a path id, 400 for a parameter, no 500."""

from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from tests.factories import make_user
from tests.helpers import report_form, switch
from webapp.converters import INT_MAX, out_of_range
from webapp.models import DataScope

HUGE = (2**63, 2**31)
# Logged in as each in turn, so that every route's permission check lets some user through.
ROLES = ("supervisor", "sysadmin", "secadmin", "auditor", "liaison")
# A harmless value for each non-integer path argument.
OTHER_ARGUMENTS = {"event_code": "approve", "action": "pause", "code": "notice", "kind": "roster"}


def int_rules(app):
    """Return every rule with an integer path argument, with the methods it answers."""
    rules = []
    for rule in app.url_map.iter_rules():
        ints = [
            name for name, conv in rule._converters.items() if isinstance(conv, IntegerConverter)
        ]
        if ints:
            rules.append((rule, ints, sorted(rule.methods - {"HEAD", "OPTIONS"})))
    return rules


def url_with(rule, ints, value) -> list[str]:
    """Return the rule's URLs with one integer argument set to `value` at a time (others 1)."""
    urls = []
    for name in ints:
        values = {n: (value if n == name else 1) for n in ints}
        values.update({n: OTHER_ARGUMENTS.get(n, "x") for n in rule.arguments if n not in ints})
        urls.append(rule.build(values, append_unknown=False)[1])
    return urls


@pytest.fixture
def users(db, world):
    built = {role: make_user(role, world.root, DataScope.ALL) for role in ROLES}
    db.session.commit()
    return built


def status_of(client, url: str, method: str = "GET") -> int:
    """Return a response's status, closing it (downloads hold a file open)."""
    response = client.open(url, method=method)
    response.close()
    return response.status_code


def test_every_integer_route_answers_404_past_the_database_range(app, client, login, users):
    rules = int_rules(app)
    assert len(rules) > 30  # the whole app, not a handful
    wrong = []
    for user in users.values():
        switch(client, login, user)
        for rule, ints, methods in rules:
            for value in HUGE:
                for url in url_with(rule, ints, value):
                    for method in methods:
                        status = status_of(client, url, method)
                        if status != 404:
                            wrong.append((user.role.code, method, url, status))
    assert wrong == []


def test_an_id_at_the_top_of_the_range_is_simply_not_found(client, login, users):
    login(users["supervisor"].username)
    assert client.get(f"/warnings/{INT_MAX}").status_code == 404
    assert client.get(f"/cadres/{INT_MAX}").status_code == 404
    assert client.get(f"/warnings/{10**40}").status_code == 404
    assert client.get(f"/warnings/{'9' * 5000}").status_code == 404


def list_pages(app):
    """Return the GET routes without path arguments (the lists, forms and dashboards)."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
    )


@pytest.mark.parametrize("role", ["supervisor", "sysadmin", "auditor"])
def test_page_and_id_parameters_are_checked_on_every_page(app, client, login, users, role):
    login(users[role].username)
    wrong = []
    for url in list_pages(app):
        for query in ("page=99999999999999999999", f"page={2**31}", f"cadre_id={2**63}"):
            status = status_of(client, f"{url}?{query}")
            if status != 400:
                wrong.append((url, query, status))
        for query in ("page=-5", "page=0", "page=abc", f"page={INT_MAX}", "cadre_id=abc"):
            status = status_of(client, f"{url}?{query}")
            if status >= 500:
                wrong.append((url, query, status))
    assert wrong == []


def test_a_huge_id_in_a_posted_form_is_a_bad_request(client, login, users, world):
    login(users["supervisor"].username)
    response = client.post("/negative-info/new", data={"cadre_id": str(2**63), "summary": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("text", "huge"),
    [
        ("1", False),
        (str(INT_MAX), False),
        (str(INT_MAX + 1), True),
        (str(-(2**31)), False),
        (str(-(2**31) - 1), True),
        (" 000000000000000000042 ", False),
        ("9" * 5000, True),
        ("abc", False),
        ("12abc", False),
        ("", False),
    ],
)
def test_out_of_range_reads_integers_only(text: str, huge: bool) -> None:
    assert out_of_range(text) is huge


def test_huge_numbers_in_other_integer_fields_get_an_error_by_the_field(
    client, login, users, world
):
    login(users["sysadmin"].username)
    response = client.post(
        "/admin/units/new", data={"code": "U9", "name": "新部门", "sort_order": str(2**63)}
    )
    assert response.status_code == 200 and "请输入 0–99999 之间的整数" in response.get_data(
        as_text=True
    )
    client.post("/auth/logout")
    login(users["supervisor"].username)
    form = report_form(world.cadre, duplicate_of=str(2**63))
    response = client.post("/negative-info/new", data=form)
    assert response.status_code == 400  # refused by the form, not an overflow in the database
