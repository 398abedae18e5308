"""`flask api-clients`: create a client and issue its token from the server's shell."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup
from sqlalchemy import select

from webapp.api_clients import services
from webapp.api_clients.permissions import ApiPermission
from webapp.audit.recorder import acting_as
from webapp.extensions import db
from webapp.models import DataScope, OrgUnit

api_clients_cli = AppGroup("api-clients", help="API clients (接入系统) and their tokens.")


@api_clients_cli.command("create")
@click.argument("name")
@click.option("--unit", "unit_code", required=True, help="Code of the owner unit.")
@click.option("--address", "addresses", multiple=True, required=True, help="Allowed IP or CIDR.")
@click.option("--expires", type=click.DateTime(["%Y-%m-%d"]), required=True, help="Valid through.")
@click.option(
    "--permission",
    "permissions",
    multiple=True,
    type=click.Choice([p.value for p in ApiPermission]),
    help="API permission to grant.",
)
@click.option(
    "--scope", type=click.Choice([s.value for s in DataScope]), default=DataScope.UNIT_AND_BELOW
)
@click.option("--rate-limit", default="60/minute", show_default=True)
def create_command(name, unit_code, addresses, expires, permissions, scope, rate_limit):
    """Create a client, grant it, and print its token once (logged as the system's act)."""
    unit = db.session.scalars(select(OrgUnit).where(OrgUnit.code == unit_code)).first()
    if unit is None:
        raise click.ClickException(f"没有编码为 {unit_code} 的单位")
    details = services.ClientDetails(
        name=name,
        owner_unit_id=unit.id,
        allowed_addresses="\n".join(addresses),
        expires_on=date.fromisoformat(expires.date().isoformat()),
        rate_limit=rate_limit,
    )
    with acting_as("system"):
        client = services.create_client(details)
        services.apply_grant("system", client, services.ClientGrant(permissions, DataScope(scope)))
        token = services.issue_token(client)
    click.echo(f"client_id={client.id}")
    click.echo(f"token={token}")
