"""API clients: the system admin creates them and issues tokens, the security admin grants them."""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from webapp.admin.forms import SCOPE_LABELS
from webapp.admin.grants import notify_auditors
from webapp.api_clients import tokens
from webapp.api_clients.permissions import PERMISSION_LABELS, ApiPermission
from webapp.audit.services import day_start_utc
from webapp.clock import to_org, utc_now
from webapp.extensions import db
from webapp.models import ApiClient, DataScope, OrgUnit, Role, User
from webapp.security.permissions import UNASSIGNED

GRANT_KIND = "api_client_grant"
# The service account never logs in: this is no argon2 hash, so no password matches it.
NO_PASSWORD = "!api-client"


class ClientRefused(ValueError):
    """A change the service refuses; the message is ready to show."""


@dataclass(frozen=True)
class ClientDetails:
    """What the system admin sets: name, owner unit, source addresses, expiry, rate limit."""

    name: str
    owner_unit_id: int
    allowed_addresses: str
    expires_on: date | None
    rate_limit: str


@dataclass(frozen=True)
class ClientGrant:
    """What the security admin grants: API permissions and the data scope."""

    permissions: tuple[str, ...]
    data_scope: DataScope
    scope_unit_ids: tuple[int, ...] = ()


def networks(text: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Read one address or network per line (commas also separate); raise ValueError if bad."""
    parts = [p.strip() for line in text.splitlines() for p in line.split(",")]
    return [ipaddress.ip_network(p, strict=False) for p in parts if p]


def address_allowed(client: ApiClient, address: str | None) -> bool:
    """Tell whether a request from this address may use the client's token."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in net for net in networks(client.allowed_addresses))


def expiry_instant(day: date | None) -> datetime | None:
    """Return the UTC instant a client valid through `day` (org zone) expires."""
    return day_start_utc(day + timedelta(days=1)) if day else None


def valid_through(client: ApiClient) -> date | None:
    """Return the last day (org zone) the client is valid, as the admin typed it."""
    expires = to_org(client.expires_at)
    return (expires - timedelta(days=1)).date() if expires else None


def expired(client: ApiClient, now: datetime) -> bool:
    """Tell whether the client's validity has ended."""
    return client.expires_at is not None and client.expires_at <= now


def usable(client: ApiClient, now: datetime) -> bool:
    """Tell whether a token of this client opens the API now."""
    return client.active and client.revoked_at is None and not expired(client, now)


def list_clients() -> list[ApiClient]:
    """Return every client, by name."""
    return list(db.session.scalars(select(ApiClient).order_by(ApiClient.name)))


def _apply_details(client: ApiClient, details: ClientDetails) -> None:
    client.name = details.name.strip()
    client.owner_unit_id = details.owner_unit_id
    client.allowed_addresses = "\n".join(str(n) for n in networks(details.allowed_addresses))
    client.expires_at = expiry_instant(details.expires_on)
    client.rate_limit = details.rate_limit.strip()


def create_client(details: ClientDetails) -> ApiClient:
    """Create a client and its service account, with no permission until the grant."""
    unit = db.session.get(OrgUnit, details.owner_unit_id)
    account = User(
        username=f"api-{secrets.token_hex(4)}",
        full_name=details.name.strip()[:64],
        password_hash=NO_PASSWORD,
        role=db.session.scalars(select(Role).where(Role.code == UNASSIGNED)).one(),
        unit=unit,
        data_scope=DataScope.SELF,
    )
    client = ApiClient(account=account, permissions=[])
    _apply_details(client, details)
    db.session.add(client)
    db.session.commit()
    return client


def update_client(client: ApiClient, details: ClientDetails, version: int | None) -> None:
    """Save the system admin's edits of a client."""
    check_version(client, version)
    _apply_details(client, details)
    client.account.full_name = client.name[:64]
    client.account.unit_id = client.owner_unit_id
    db.session.commit()


def check_version(client: ApiClient, version: int | None) -> None:
    """Refuse a change made on a copy older than the client."""
    if version is not None and version != client.version:
        raise ClientRefused(_("该接入系统已被他人修改，请刷新页面后重新操作"))


def issue_token(client: ApiClient) -> str:
    """Give the client a new token (the old one stops at once); return it, to show once."""
    if client.revoked_at is not None:
        raise ClientRefused(_("该接入系统已吊销，不能签发令牌"))
    token = tokens.new_token()
    client.token_hash = tokens.token_hash(token)
    client.token_hint = tokens.hint(token)
    client.token_issued_at = utc_now()
    db.session.commit()
    return token


def revoke_client(client: ApiClient) -> None:
    """Revoke a client: its token answers 401 from the next call on."""
    client.active = False
    client.revoked_at = utc_now()
    client.token_hash = None
    db.session.commit()


def find_by_token(token: str) -> ApiClient | None:
    """Return the client a token belongs to, or None."""
    if not token.startswith(tokens.PREFIX):
        return None
    digest = tokens.token_hash(token)
    return db.session.scalars(select(ApiClient).where(ApiClient.token_hash == digest)).first()


def grant_text(client: ApiClient) -> str:
    """Describe a client's permissions and scope as the auditor reads it."""
    account = client.account
    scope = str(SCOPE_LABELS[account.data_scope])
    if account.data_scope == DataScope.CUSTOM:
        scope += "（" + "、".join(u.name for u in account.scope_units) + "）"
    granted = "、".join(str(PERMISSION_LABELS[ApiPermission(p)]) for p in client.permissions)
    return _("权限「%(perms)s」，数据权限「%(scope)s」", perms=granted or _("无"), scope=scope)


def apply_grant(actor: User | str, client: ApiClient, grant: ClientGrant, link: str = "") -> bool:
    """Set a client's permissions and data scope; tell the auditors; return whether it changed."""
    before = grant_text(client)
    client.permissions = sorted(ApiPermission(p).value for p in grant.permissions)
    account = client.account
    account.data_scope = grant.data_scope
    chosen = grant.scope_unit_ids if grant.data_scope == DataScope.CUSTOM else ()
    account.scope_units = list(db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(chosen))))
    after = grant_text(client)
    if before == after:
        db.session.commit()
        return False
    detail = _(
        "%(actor)s 将接入系统「%(client)s」的授权由：%(before)s，改为：%(after)s。",
        actor=actor,
        client=client.name,
        before=before,
        after=after,
    )
    notify_auditors(GRANT_KIND, account, _("接入系统授权变更"), detail, link, utc_now())
    db.session.commit()
    return True
