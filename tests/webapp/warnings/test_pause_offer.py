"""暂停计时 is offered only where a deadline runs: never on a 待审批 step, always once issued."""

from tests.helpers import act, issue, offered, switch
from webapp.warnings import services
from webapp.warnings.facts import clock_started


def test_a_warning_awaiting_approval_offers_no_pause(client, login, db, world):
    warning = services.create_warning(world.supervisor, world.cadre.id, 1, [], "x")
    act(warning, "submit", world.supervisor)
    assert not clock_started(warning)
    login(world.supervisor.username)
    assert "pause" not in offered(client, warning)
    switch(client, login, world.reviewer)
    assert offered(client, warning) == {"approve", "reject", "clarify"}


def test_an_issued_warning_offers_pause(client, login, db, world):
    warning = issue(world)
    assert clock_started(warning)
    login(world.supervisor.username)
    assert "pause" in offered(client, warning)


def test_a_pause_posted_on_an_approval_step_is_refused_beside_its_reason(client, login, db, world):
    warning = services.create_warning(world.supervisor, world.cadre.id, 1, [], "x")
    act(warning, "submit", world.supervisor)
    db.session.commit()
    login(world.supervisor.username)
    response = client.post(
        f"/warnings/{warning.id}/events/pause",
        data={"pause-reason": "等待审计结果", "pause-version": str(warning.version)},
    )
    assert response.status_code == 400
    assert "审批期间不计时" in response.get_data(as_text=True)
    db.session.refresh(warning)
    assert not warning.paused


def test_pause_posted_from_the_page_pauses_and_escalates_nothing(client, login, db, world):
    warning = issue(world)
    db.session.commit()
    login(world.supervisor.username)
    response = client.post(
        f"/warnings/{warning.id}/events/pause",
        data={"pause-reason": "等待审计结果", "pause-version": str(warning.version)},
    )
    assert response.status_code == 302
    db.session.refresh(warning)
    assert (warning.state, int(warning.tier), warning.paused) == ("issued", 1, True)
    assert warning.paused_reason == "等待审计结果"
