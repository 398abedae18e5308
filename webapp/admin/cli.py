"""`flask accounts`: what only the server's operator does to accounts."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from webapp.admin.grants import SeparationRefused, grant_admin_role_from_shell
from webapp.audit.recorder import acting_as

accounts_cli = AppGroup("accounts", help="Accounts: the first administrators of a database.")


@accounts_cli.command("grant-admin")
@click.argument("username")
@click.argument("role", type=click.Choice(["sysadmin", "secadmin", "auditor"]))
def grant_admin_command(username: str, role: str):
    """Give an account an administrator's role (logged, told to the auditors)."""
    try:
        with acting_as("system"):
            user = grant_admin_role_from_shell(username, role)
    except SeparationRefused as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"已授予 {user} 角色：{user.role.name}")
