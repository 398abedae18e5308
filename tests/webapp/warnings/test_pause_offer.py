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
