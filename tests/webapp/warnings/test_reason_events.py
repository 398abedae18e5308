"""Each event that asks only a reason does what its button says (撤回 withdraws, 升级 escalates)."""

from tests.helpers import issue
from webapp.warnings import services


def post(client, warning, event, reason):
    data = {f"{event}-reason": reason, f"{event}-version": str(warning.version)}
    return client.post(f"/warnings/{warning.id}/events/{event}", data=data)


def test_withdraw_from_the_page_withdraws_the_draft(client, login, db, world):
    warning = services.create_warning(world.supervisor, world.cadre.id, 1, [], "x")
    db.session.commit()
    login(world.supervisor.username)
    assert post(client, warning, "withdraw", "录入有误").status_code == 302
    db.session.refresh(warning)
    assert warning.state == "revoked"


def test_escalate_from_the_page_still_escalates(client, login, db, world):
    warning = issue(world)
    db.session.commit()
    login(world.supervisor.username)
    assert post(client, warning, "escalate", "问题加重").status_code == 302
    db.session.refresh(warning)
    assert (warning.state, int(warning.tier), warning.paused) == ("pending_approval", 2, False)
