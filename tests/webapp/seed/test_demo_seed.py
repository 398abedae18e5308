"""Demo data: realistic, one user per role, and never over real data."""

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from stdnum.cn import ric

from tests.factories import make_unit, make_user
from webapp.cli import seed_demo_command
from webapp.models import Cadre, OrgUnit, User
from webapp.seed.demo import DatabaseNotEmpty, seed_demo


def test_seed_demo_creates_units_cadres_and_one_user_per_role(db):
    accounts = seed_demo("Demo-Passw0rd!", cadres=60)
    assert set(accounts) == {
        "admin",
        "secadmin",
        "auditor",
        "supervisor",
        "reviewer",
        "approver",
        "minister",
        "liaison",
        "viewer",
    }
    cadres = db.session.scalars(select(Cadre)).all()
    assert len(cadres) >= 55
    assert all(ric.is_valid(c.id_number) for c in cadres)
    assert all(2 <= len(c.name) <= 4 for c in cadres)  # Chinese names
    assert db.session.scalar(select(func.count(OrgUnit.id))) > 20


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
        result = CliRunner().invoke(seed_demo_command, ["--cadres", "5"])
    assert result.exit_code == 0, result.output
    assert "supervisor" in result.output and "Given-Passw0rd!" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 9
