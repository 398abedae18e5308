"""我的待办 on the workbench: whose obligations, in what order, and acknowledging one."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from alerts.firing import fire_due_obligations, fired_note
from tests.factories import make_warning
from tests.statements import grown, statements_of_get
from webapp.holidays.services import work_calendar
from webapp.main.routes import TODO_SHOWN
from webapp.models import Obligation
from webapp.obligations import services
from workflows.deadlines import Light
from workflows.obligations import ObligationKind, Stage

K = ObligationKind
TODAY = date(2026, 12, 1)  # a Tuesday, a working day


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("webapp.main.routes.org_today", lambda: TODAY)
    monkeypatch.setattr("webapp.main.forms.org_today", lambda: TODAY)


def oblige(cadre, subject_id, start, due, workdays, kind=K.INQUIRY_REPLY_DUE, **who):
    obligation = services.open_obligation(
        kind=kind,
        subject_type="inquiry",
        subject_id=subject_id,
        cadre_id=cadre.id,
        start=start,
        due=due,
        total_workdays=workdays,
        today=TODAY,
        **who,
    )
    return obligation


def my_reply_due(world):
    """Open the supervisor's own 函询回复 deadline (20 working days, due 2026-12-20)."""
    return oblige(
        world.cadre,
        1,
        date(2026, 11, 20),
        date(2026, 12, 20),
        20,
        responsible_user_id=world.supervisor.id,
    )


def rows(page: str) -> list[str]:
    """Return the to-do lines' obligation ids in page order."""
    return re.findall(r'data-obligation="(\d+)"', page)


def test_lines_are_mine_or_my_roles_in_scope(db, world, client, login):
    mine = my_reply_due(world)
    by_role = oblige(
        world.cadre, 2, date(2026, 11, 20), date(2026, 12, 21), 20, step_role="supervisor"
    )
    oblige(world.far_cadre, 3, date(2026, 11, 20), date(2026, 12, 22), 20, step_role="supervisor")
    oblige(
        world.cadre,
        4,
        date(2026, 11, 20),
        date(2026, 12, 23),
        20,
        responsible_user_id=world.reviewer.id,
    )
    oblige(world.cadre, 5, date(2026, 11, 20), date(2026, 12, 24), 20, step_role="approver")
    closed = oblige(
        world.cadre,
        6,
        date(2026, 11, 20),
        date(2026, 12, 25),
        20,
        responsible_user_id=world.supervisor.id,
    )
    closed.closed_at = datetime(2026, 11, 30, tzinfo=UTC)
    db.session.commit()
    login(world.supervisor.username)
    page = client.get("/").get_data(as_text=True)
    assert "我的待办" in page
    assert rows(page) == [str(mine.id), str(by_role.id)]
    assert world.cadre.name in page and world.far_cadre.name not in page
    assert "函询回复到期" in page and "2026-12-20" in page
    assert 'href="/inquiries/1"' in page
    # The outsider's scope holds the far cadre: the role's item about it is theirs.
    client.post("/auth/logout")
    login(world.outsider.username)
    assert len(rows(client.get("/").get_data(as_text=True))) == 1


def test_lines_are_sorted_by_urgency_then_due_date(db, world, client, login):
    me = {"responsible_user_id": world.supervisor.id}
    green_late = oblige(world.cadre, 1, date(2026, 12, 1), date(2026, 12, 29), 20, **me)
    green_early = oblige(world.cadre, 2, date(2026, 12, 1), date(2026, 12, 21), 14, **me)
    yellow = oblige(world.cadre, 3, date(2026, 10, 9), date(2026, 12, 4), 40, **me)
    due_today = oblige(world.cadre, 4, date(2026, 11, 10), date(2026, 12, 1), 16, **me)
    overdue = oblige(world.cadre, 5, date(2026, 11, 2), date(2026, 11, 27), 20, **me)
    db.session.commit()
    assert services.light(yellow, TODAY) is Light.YELLOW
    assert services.light(green_early, TODAY) is Light.GREEN
    login(world.supervisor.username)
    page = client.get("/").get_data(as_text=True)
    expected = [overdue, due_today, yellow, green_early, green_late]
    assert rows(page) == [str(o.id) for o in expected]
    assert "已逾期" in page and "今日到期" in page and "黄灯" in page


def test_acknowledging_shows_the_planned_date(db, world, client, login):
    obligation = my_reply_due(world)
    db.session.commit()
    login(world.supervisor.username)
    response = client.post(
        f"/todo/{obligation.id}/acknowledge", data={f"ack{obligation.id}-planned_on": "2026-12-15"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Obligation, obligation.id).acknowledged_plan_on == date(2026, 12, 15)
    page = client.get("/").get_data(as_text=True)
    assert "已知悉，计划于 2026-12-15 完成" in page
    assert 'value="2026-12-15"' in page  # the field shows the plan in force


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("2026-11-30", "计划完成日期不能早于今天。"),
        ("2028-01-01", "计划完成日期不能晚于一年之后。"),
        ("", "此项为必填项"),
        ("2026-13-01", "日期格式应为"),
    ],
)
def test_a_bad_planned_date_is_refused_next_to_the_field(db, world, client, login, typed, error):
    obligation = my_reply_due(world)
    db.session.commit()
    login(world.supervisor.username)
    response = client.post(
        f"/todo/{obligation.id}/acknowledge", data={f"ack{obligation.id}-planned_on": typed}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert error in page
    assert f'id="ack{obligation.id}-planned_on-errors"' in page
    assert f'value="{typed}"' in page  # what was typed is kept
    db.session.expire_all()
    assert db.session.get(Obligation, obligation.id).acknowledged_plan_on is None


def test_today_and_a_year_ahead_are_accepted(db, world, client, login):
    obligation = my_reply_due(world)
    db.session.commit()
    login(world.supervisor.username)
    for typed in ("2026-12-01", "2027-12-02"):
        response = client.post(
            f"/todo/{obligation.id}/acknowledge", data={f"ack{obligation.id}-planned_on": typed}
        )
        assert response.status_code == 302, typed


def test_someone_elses_obligation_cannot_be_acknowledged(db, world, client, login):
    theirs = oblige(
        world.cadre,
        1,
        date(2026, 11, 20),
        date(2026, 12, 20),
        20,
        responsible_user_id=world.reviewer.id,
    )
    out_of_scope = oblige(
        world.far_cadre, 2, date(2026, 11, 20), date(2026, 12, 20), 20, step_role="supervisor"
    )
    db.session.commit()
    login(world.supervisor.username)
    for obligation in (theirs, out_of_scope):
        response = client.post(
            f"/todo/{obligation.id}/acknowledge",
            data={f"ack{obligation.id}-planned_on": "2026-12-15"},
        )
        assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Obligation, theirs.id).acknowledged_plan_on is None


def test_no_obligations_says_so(db, world, client, login):
    login(world.viewer.username)
    assert "暂无待办事项。" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("subject_type", "link"),
    [
        ("warning", "/warnings/9"),
        ("talk", "/talks/9"),
        ("negative_info", "/negative-info/9"),
        ("cadre_event", "/cadres/{cadre}"),
    ],
)
def test_each_line_links_to_its_record(db, world, client, login, subject_type, link):
    services.open_obligation(
        kind=K.FOLLOW_UP_DUE,
        subject_type=subject_type,
        subject_id=9,
        cadre_id=world.cadre.id,
        start=date(2026, 11, 20),
        due=date(2026, 12, 20),
        total_workdays=20,
        today=TODAY,
        responsible_user_id=world.supervisor.id,
    )
    db.session.commit()
    login(world.supervisor.username)
    page = client.get("/").get_data(as_text=True)
    assert f'href="{link.format(cadre=world.cadre.id)}">回访到期</a>' in page


def line_of(page: str, obligation_id: int) -> str:
    """Return the HTML of one to-do line."""
    start = page.index(f'data-obligation="{obligation_id}"')
    return page[start : page.index("</tr>", start)]


def test_a_line_a_tier_three_warning_silences_says_why_and_links_to_it(db, world, client, login):
    red = make_warning(world.cadre, world.supervisor, "YJ-2026-0042", tier=3, state="issued")
    make_warning(world.far_cadre, world.supervisor, "YJ-2026-0043", tier=3, state="lifted")
    lower = my_reply_due(world)
    own = services.open_obligation(
        kind=K.ACTION_DUE,
        subject_type="warning",
        subject_id=red.id,
        cadre_id=world.cadre.id,
        start=date(2026, 11, 20),
        due=date(2026, 12, 21),
        total_workdays=20,
        today=TODAY,
        responsible_user_id=world.supervisor.id,
    )
    elsewhere = oblige(
        world.far_cadre,
        2,
        date(2026, 11, 20),
        date(2026, 12, 22),
        20,
        responsible_user_id=world.supervisor.id,
    )
    db.session.commit()
    login(world.supervisor.username)
    page = client.get("/").get_data(as_text=True)
    why = (
        f'<div class="suppressed"><a href="/warnings/{red.id}">'
        "已暂停提醒：该干部有处置（红色）预警 YJ-2026-0042 在办</a></div>"
    )
    assert why in line_of(page, lower.id)
    # The red warning's own obligations still speak; a lifted one silences nothing.
    assert "已暂停提醒" not in line_of(page, own.id)
    assert "已暂停提醒" not in line_of(page, elsewhere.id)


def test_the_page_and_the_sweep_agree_on_what_is_silenced(db, world, client, login):
    red = make_warning(world.cadre, world.supervisor, "YJ-2026-0044", tier=3, state="rectifying")
    lower = oblige(
        world.cadre,
        1,
        date(2026, 11, 2),
        date(2026, 12, 1),
        20,
        responsible_user_id=world.supervisor.id,
    )
    db.session.commit()
    fire_due_obligations(TODAY)
    assert fired_note(lower, Stage.DUE) == f"suppressed warning:{red.id}"
    login(world.supervisor.username)
    page = client.get("/").get_data(as_text=True)
    assert "YJ-2026-0044 在办" in line_of(page, lower.id)


def test_the_first_screen_shows_the_most_urgent_lines_and_the_rest_on_request(
    db, world, client, login
):
    overdue = oblige(
        world.cadre, 900, date(2026, 10, 1), date(2026, 11, 2), 20, step_role="supervisor"
    )
    later = [
        oblige(world.cadre, 901 + n, date(2026, 11, 20), date(2026, 12, 20 + n % 9), 20,
               step_role="supervisor")
        for n in range(TODO_SHOWN + 4)
    ]  # fmt: skip
    login(world.supervisor.username)
    first = client.get("/").get_data(as_text=True)
    shown = rows(first)
    assert len(shown) == TODO_SHOWN and shown[0] == str(overdue.id)
    assert f"共 {len(later) + 1} 项，以下是最紧急的 {TODO_SHOWN} 项。" in first
    assert "已逾期 1" in first  # the lights count every line, shown or not
    everything = client.get("/?todo=all").get_data(as_text=True)
    assert sorted(rows(everything)) == sorted(str(o.id) for o in [overdue, *later])
    assert 'id="todo-more"' not in everything


def urgency_order(obligations: list[Obligation]) -> list[str]:
    """Rank obligations as the rules light them: overdue, due today, 黄灯, the rest; then due, id."""

    def rank(o: Obligation) -> tuple:
        light = services.light(o, TODAY)
        urgency = 0 if light is Light.RED else 1 if o.due_on <= TODAY else 2
        urgency += 1 if urgency == 2 and light is not Light.YELLOW else 0
        return urgency, o.due_on, o.id

    return [str(o.id) for o in sorted(obligations, key=rank)]


def a_mixed_list(cadre, user) -> list[Obligation]:
    """Open 40 obligations of every light, in an order unlike their urgency."""
    me = {"responsible_user_id": user.id}
    terms = [
        *((date(2026, 10, 12), date(2026, 11, 9 + n), 20) for n in range(5)),  # overdue
        *((date(2026, 11, 3), TODAY, 20) for _n in range(3)),  # due today
        # 黄灯: half of 20 working days used by today, due dates among the greens'
        *((date(2026, 11, 9 + n % 3), date(2026, 12, 7 + n), 20) for n in range(8)),
        # green: started today, some due before the 黄灯 lines, some on the same day
        *((TODAY, date(2026, 12, 4 + n % 12), 3 + n % 12) for n in range(24)),
    ]
    order = [(n * 17) % len(terms) for n in range(len(terms))]  # 17 is prime to 40
    return [
        oblige(cadre, 100 + n, *terms[n], kind=K.ACTION_DUE if n % 2 else K.REVIEW_DUE, **me)
        for n in order
    ]


def test_the_first_screen_shows_the_most_urgent_lines_in_order(db, world, client, login):
    opened = a_mixed_list(world.cadre, world.supervisor)
    db.session.commit()
    expected = urgency_order(opened)
    assert sorted(expected[:TODO_SHOWN]) != sorted(str(o.id) for o in opened[:TODO_SHOWN])
    login(world.supervisor.username)
    page = client.get("/").get_data(as_text=True)
    assert rows(page) == expected[:TODO_SHOWN]
    lights = re.sub(r"\s+", " ", page[page.index('id="todo-lights"') :].split("</p>")[0])
    for label, n in (("已逾期", 5), ("今日到期", 3), ("黄灯", 8), ("正常", 24)):
        assert f"{label} {n}</span>" in lights
    assert f"共 40 项，以下是最紧急的 {TODO_SHOWN} 项。" in page


def test_show_all_pages_through_every_line_in_the_same_order(db, world, client, login, monkeypatch):
    monkeypatch.setattr("webapp.main.routes.TODO_PAGE_SIZE", 15)
    opened = a_mixed_list(world.cadre, world.supervisor)
    db.session.commit()
    expected = urgency_order(opened)
    login(world.supervisor.username)
    pages = [client.get(f"/?todo=all&page={n}").get_data(as_text=True) for n in (1, 2, 3)]
    assert [rows(page) for page in pages] == [expected[:15], expected[15:30], expected[30:]]
    assert "共 40 条，第 1 / 3 页" in pages[0] and "page=2" in pages[0]
    assert 'id="todo-more"' not in pages[0]
    assert "已逾期 5" in pages[2]  # every page counts every line
    # A page past the end is the last one.
    assert rows(client.get("/?todo=all&page=9").get_data(as_text=True)) == expected[30:]


def test_a_refused_plan_on_a_line_not_shown_keeps_its_line_and_error(db, world, client, login):
    opened = a_mixed_list(world.cadre, world.supervisor)
    db.session.commit()
    last = opened[[str(o.id) for o in opened].index(urgency_order(opened)[-1])]
    login(world.supervisor.username)
    page = client.post(
        f"/todo/{last.id}/acknowledge", data={f"ack{last.id}-planned_on": "2026-11-30"}
    ).get_data(as_text=True)
    assert "计划完成日期不能早于今天。" in line_of(page, last.id)
    assert len(rows(page)) == TODO_SHOWN + 1


def test_the_first_screen_reads_as_much_for_four_thousand_lines_as_for_forty(
    db, world, client, login
):
    """The statements and the obligations loaded do not grow with the lines the user owes."""
    login(world.supervisor.username)
    cadre_id, user_id = world.cadre.id, world.supervisor.id

    def loaded_by_first_screen() -> set[str]:
        loaded: list[str] = []

        def note(target, _context):
            loaded.append(str(target.id))

        db.session.expunge_all()  # what the page reads is loaded afresh
        sa.event.listen(Obligation, "load", note)
        try:
            assert client.get("/").status_code == 200
        finally:
            sa.event.remove(Obligation, "load", note)
        return set(loaded)

    opened = a_mixed_list(world.cadre, world.supervisor)
    db.session.commit()
    most_urgent = urgency_order(opened)[:TODO_SHOWN]
    few = statements_of_get(client, "/")
    assert loaded_by_first_screen() == set(most_urgent)
    # Thousands more, as a province's supervisor owes: overdue, due, 黄灯 and green, role's too.
    rows_ = [
        {
            "kind": K.ACTION_DUE,
            "subject_type": "bulk",
            "subject_id": n,
            "cadre_id": cadre_id,
            "responsible_user_id": user_id if n % 3 else None,
            "step_role": None if n % 3 else "supervisor",
            "start_on": date(2026, 10, 1) + timedelta(days=n % 60),
            "due_on": date(2026, 11, 1) + timedelta(days=n % 90),
            "due_workday": date(2026, 11, 2) + timedelta(days=n % 90),
            "total_workdays": 5 + n % 40,
            "paused_workdays": n % 4,
            "provisional": False,
            "fired_stages": {},
        }
        for n in range(4000)
    ]
    db.session.execute(sa.insert(Obligation), rows_)
    db.session.commit()
    many = statements_of_get(client, "/")
    assert len(many) == len(few), grown(few, many)
    assert len(loaded_by_first_screen()) == TODO_SHOWN
    assert "共 4040 项" in client.get("/").get_data(as_text=True)


def test_a_yellow_light_counted_from_further_back_than_a_year_is_still_yellow(
    db, world, client, login
):
    start, due = date(2024, 12, 2), date(2027, 6, 30)
    span = work_calendar().workdays_between(start, due)  # the 黄灯 comes ~300 working days in
    me = {"responsible_user_id": world.supervisor.id}
    long = oblige(world.cadre, 1, start, due, span, kind=K.FOLLOW_UP_DUE, **me)
    db.session.commit()
    assert services.light(long, TODAY) is Light.YELLOW
    login(world.supervisor.username)
    page = client.get("/").get_data(as_text=True)
    assert "黄灯 1</span>" in page and "正常 0</span>" in page


def test_a_line_reads_its_cadres_name_alone(db, world, client, login):
    # Twenty lines a first screen: their cadres' ID numbers (sealed) and units are not read.
    my_reply_due(world)
    db.session.commit()
    login(world.supervisor.username)
    statements = statements_of_get(client, "/")
    reads = [s for s in statements if "FROM cadre" in s and "cadre.name" in s]
    assert reads and all("id_number" not in s and "org_unit" not in s for s in reads), reads
    assert world.cadre.name in client.get("/").get_data(as_text=True)
