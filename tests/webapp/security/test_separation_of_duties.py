"""三员分立 as data: each default role holds one duty, and the seed brings the new roles."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, select

from webapp.cli import seed_defaults_command
from webapp.models import Role
from webapp.security.permissions import (
    ADMIN_DUTIES,
    ALL_PERMISSIONS,
    DEFAULT_ROLES,
    DUTY_PERMISSIONS,
    UNASSIGNED,
    Duty,
    duty_of,
    separation_problem,
)

DUTY = {spec["code"]: duty_of(spec["permissions"]) for spec in DEFAULT_ROLES}


def test_each_default_role_holds_exactly_one_duty():
    assert DUTY["sysadmin"] is Duty.SYSTEM
    assert DUTY["secadmin"] is Duty.SECURITY
    assert DUTY["auditor"] is Duty.AUDIT
    assert DUTY[UNASSIGNED] is Duty.NONE
    assert {DUTY[c] for c in ("supervisor", "reviewer", "approver", "minister", "liaison")} == {
        Duty.CASE
    }
    assert Duty.MIXED not in DUTY.values()


def test_the_three_administrators_hold_no_case_permission():
    for spec in DEFAULT_ROLES:
        if DUTY[spec["code"]] in ADMIN_DUTIES:
            assert not set(spec["permissions"]) & DUTY_PERMISSIONS[Duty.CASE], spec["code"]


def test_every_permission_belongs_to_one_duty():
    owners = {
        p: [d for d, codes in DUTY_PERMISSIONS.items() if p in codes] for p in ALL_PERMISSIONS
    }
    assert all(len(found) == 1 for found in owners.values()), owners


PERMS = {spec["code"]: spec["permissions"] for spec in DEFAULT_ROLES}


@pytest.mark.parametrize(
    ("current", "granted", "refused"),
    [
        (UNASSIGNED, "sysadmin", False),
        (UNASSIGNED, "supervisor", False),
        ("sysadmin", UNASSIGNED, False),
        ("supervisor", "reviewer", False),
        ("auditor", "auditor", False),
        ("sysadmin", "secadmin", True),
        ("secadmin", "auditor", True),
        ("auditor", "viewer", True),
        ("liaison", "sysadmin", True),
    ],
)
def test_separation_problem_table(current, granted, refused):
    assert (separation_problem(PERMS[current], PERMS[granted]) is not None) is refused


def test_a_role_mixing_duties_is_refused_whatever_the_account_holds():
    mixed = [*PERMS["sysadmin"], *PERMS["supervisor"]]
    assert duty_of(mixed) is Duty.MIXED
    assert "违反三员分立" in separation_problem(PERMS[UNASSIGNED], mixed)


def test_seed_defaults_adds_the_new_roles_to_an_existing_database(app, db):
    db.session.execute(delete(Role).where(Role.code.in_(["secadmin", UNASSIGNED])))
    db.session.commit()
    with app.app_context():
        result = CliRunner().invoke(seed_defaults_command, [])
    assert result.exit_code == 0, result.output
    roles = {r.code: r for r in db.session.scalars(select(Role))}
    assert roles["secadmin"].permissions == PERMS["secadmin"]
    assert roles[UNASSIGNED].permissions == []
