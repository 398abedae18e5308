"""Demo data: one user per role (and a district supervisor), never over real data."""

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from tests.factories import make_unit, make_user
from webapp.cli import seed_demo_command
from webapp.models import OrgUnit, User
from webapp.seed.demo import DatabaseNotEmpty, seed_demo


def test_seed_demo_refuses_a_database_with_data(db):
    make_user("viewer", make_unit())
    with pytest.raises(DatabaseNotEmpty):
        seed_demo("Demo-Passw0rd!", cadres=5)


def test_cli_if_empty_skips_quietly_when_data_exists(app, db):
    make_user("viewer", make_unit())
    runner = CliRunner()
    with app.app_context():
        result = runner.invoke(seed_demo_command, ["--if-empty"])
    assert result.exit_code == 0 and "跳过" in result.output
    with app.app_context():
        refused = runner.invoke(seed_demo_command, [])
    assert refused.exit_code != 0 and "拒绝" in refused.output


def test_cli_prints_accounts_and_demo_password(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO_PASSWORD", "Given-Passw0rd!")
    with app.app_context():
        # No cadres: the accounts and the unit tree only (the stories are test_demo_story's).
        result = CliRunner().invoke(seed_demo_command, ["--cadres", "0"])
    assert result.exit_code == 0, result.output
    assert "supervisor" in result.output and "Given-Passw0rd!" in result.output
    usernames = set(db.session.scalars(select(User.username)))
    assert usernames == {
        "admin", "secadmin", "auditor", "supervisor", "reviewer", "approver", "minister",
        "district", "liaison", "viewer",
    }  # fmt: skip
    assert db.session.scalar(select(func.count(OrgUnit.id))) > 40
