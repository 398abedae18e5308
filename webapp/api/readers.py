"""What the API reads: a client's own submission, cadres and warnings in its scope, dictionaries.

Each reader goes through the pages' own queries and the one scope filter (DESIGN §2).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from webapp.api.problems import ApiProblem, invalid
from webapp.cadre_picker import search_in_scope
from webapp.extensions import db
from webapp.forms_common import mask_id_number
from webapp.i18n import translate
from webapp.lookups import dict_items
from webapp.models import ApiClient, ApiSubmission, Cadre, NegativeInfo, OrgUnit, Warning
from webapp.negative_info.queries import own_submission_or_404
from webapp.negative_info.records import situations
from webapp.security.scope import get_in_scope_or_404, scoped, subtree_ids
from webapp.warnings import queries as warnings
from workflows.verification import Status

# The dictionaries a client needs to fill a submission and read its answer.
DICTIONARIES = ("negative_category", "negative_situation", "source_channel", "verification_status")
CURSOR_PREFIX = "w:"


# ---------------------------------------------------------------- submissions


def submission_view(info: NegativeInfo, external_id: str) -> dict[str, Any]:
    """Describe an item to the client that submitted it: status and conclusion only."""
    status = Status(info.status)
    concluded = status not in (Status.PENDING, Status.VERIFYING)
    return {
        "id": info.id,
        "number": info.number,
        "external_id": external_id,
        "status": status.value,
        "status_label": translate(status.label),
        "received_on": info.received_on,
        "concluded": concluded,
        "verified_on": info.verified_on if concluded else None,
        "conclusion": translate(status.label) if concluded else None,
        "version": info.version,
    }


def own_submission(client: ApiClient, info_id: int) -> dict[str, Any]:
    """Return an item this client submitted, or 404 (another's, or none)."""
    info = own_submission_or_404(client.account, info_id)
    external_id = db.session.scalar(
        sa.select(ApiSubmission.external_id).where(
            ApiSubmission.client_id == client.id, ApiSubmission.info_id == info.id
        )
    )
    return submission_view(info, external_id or "")


# ---------------------------------------------------------------- cadres


def unit_view(unit: OrgUnit) -> dict[str, Any]:
    """Describe a unit."""
    return {"id": unit.id, "code": unit.code, "name": unit.name}


def cadre_view(cadre: Cadre) -> dict[str, Any]:
    """Describe a cadre found in scope, the ID number masked."""
    return {
        "id": cadre.id,
        "name": cadre.name,
        "position": cadre.position,
        "unit": unit_view(cadre.unit),
        "id_number_masked": mask_id_number(cadre.id_number),
    }


def find_cadres(client: ApiClient, q: str) -> list[dict[str, Any]]:
    """Return the cadres in the client's scope whose name or unit contains the text."""
    return [cadre_view(c) for c in search_in_scope(client.account, q)]


# ---------------------------------------------------------------- warnings


@dataclass(frozen=True)
class WarningFilters:
    """What an OA filters the warnings by, and where the page starts."""

    unit_code: str | None = None
    state: str | None = None
    updated_since: datetime | None = None
    cursor: str | None = None
    limit: int = 50


def encode_cursor(last_id: int) -> str:
    """Return the opaque cursor of the page after the warning `last_id`."""
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{last_id}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    """Return the id a cursor continues after, or refuse it at its path."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    number = text.removeprefix(CURSOR_PREFIX)
    if not text.startswith(CURSOR_PREFIX) or not number.isdigit() or len(number) > 10:
        raise invalid("/query/cursor", _("分页游标无效，请使用上一页返回的 next_cursor"))
    return int(number)


def warning_view(
    warning: Warning, light: Any, deadlines: list[warnings.DeadlineView]
) -> dict[str, Any]:
    """Describe a warning: tier, state, deadlines and lights."""
    return {
        "id": warning.id,
        "number": warning.number,
        "cadre_id": warning.cadre_id,
        "cadre_name": warning.cadre.name,
        "unit": unit_view(warning.cadre.unit),
        "tier": int(warning.tier),
        "tier_label": translate(warnings.tier_label(warning.tier)),
        "state": warning.state.value,
        "state_label": translate(warning.state.label),
        "paused": warning.paused,
        "light": light.value if light else None,
        "deadlines": [
            {
                "kind": d.kind,
                "label": translate(d.label),
                "due": d.due,
                "provisional": d.provisional,
                "running": d.running,
                "light": d.light.value if d.light else None,
            }
            for d in deadlines
        ],
        "updated_at": warning.updated_at,
        "version": warning.version,
    }


def list_warnings(client: ApiClient, filters: WarningFilters) -> dict[str, Any]:
    """Return one page of the warnings in the client's scope, oldest id first."""
    stmt = scoped(sa.select(Warning), Warning, client.account)
    if filters.unit_code:
        unit = db.session.scalars(
            sa.select(OrgUnit).where(OrgUnit.code == filters.unit_code)
        ).first()
        if unit is None:
            raise invalid("/query/unit_code", _("没有该编码的单位"))
        stmt = stmt.where(Warning.scope_columns()[0].in_(subtree_ids(unit)))
    if filters.state:
        stmt = stmt.where(Warning.state == filters.state)
    if filters.updated_since:
        stmt = stmt.where(Warning.updated_at >= filters.updated_since)
    if filters.cursor:
        stmt = stmt.where(Warning.id > decode_cursor(filters.cursor))
    rows = list(db.session.scalars(stmt.order_by(Warning.id).limit(filters.limit + 1)))
    page, more = rows[: filters.limit], len(rows) > filters.limit
    # The page's lights and deadlines are read for all its warnings at once, not one a row.
    lit = warnings.running_lights([w.id for w in page])
    due = warnings.deadlines_of(page, running=lit)
    return {
        "items": [warning_view(w, lit.get(w.id), due[w.id]) for w in page],
        "next_cursor": encode_cursor(page[-1].id) if more else None,
    }


def one_warning(client: ApiClient, warning_id: int) -> dict[str, Any]:
    """Return one warning in the client's scope, or 404."""
    warning = get_in_scope_or_404(Warning, warning_id, client.account)
    lit = warnings.running_lights([warning.id])
    return warning_view(
        warning, lit.get(warning.id), warnings.deadlines_of([warning], running=lit)[warning.id]
    )


# ---------------------------------------------------------------- dictionaries


def dictionary(type_code: str) -> dict[str, Any]:
    """Return the active codes of a dictionary a client uses, or 404."""
    if type_code not in DICTIONARIES:
        raise ApiProblem(404, _("没有该字典，可用：%(names)s", names="、".join(DICTIONARIES)))
    if type_code == "negative_situation":
        items = [
            {"value": s.value, "label": s.label, "parent": s.category, "default_tier": s.tier}
            for s in situations().values()
        ]
    else:
        items = [
            {"value": i.value, "label": i.label, "parent": None, "default_tier": None}
            for i in dict_items(type_code)
        ]
    return {"type": type_code, "items": items}
