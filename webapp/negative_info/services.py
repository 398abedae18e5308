"""Negative information: intake, edits, liaison submissions, duplicates, files and timeline.

Reading lives in `queries`, the row and history builders in `records`, verification in
`verification`; the names other areas use are importable from here too.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from webapp import signals
from webapp.attachments import services as attachments
from webapp.cadres.services import TimelineEntry
from webapp.clock import org_today
from webapp.extensions import db
from webapp.lookups import dict_label
from webapp.models import Attachment, Cadre, NegativeInfo, User
from webapp.negative_info import due as due_source
from webapp.negative_info.numbering import next_number
from webapp.negative_info.queries import (  # noqa: F401 - the area's names, importable here
    ReportFilters,
    cadre_in_scope,
    deadline_light,
    get_report_or_404,
    handler_choices,
    liaison_submissions,
    lights_for,
    match_cadre,
    own_submission_or_404,
    pick_cadres,
    possible_duplicates,
    register_query,
    search_register,
)
from webapp.negative_info.records import (  # noqa: F401
    DICT_FIELDS,
    EVENT_LABELS,
    FIELD_LABELS,
    LIAISON_FIELDS,
    NUMBER_PREFIX,
    OWNER_TYPE,
    REPORT_FIELDS,
    ConflictError,
    ReportError,
    Situation,
    add_history,
    cadre_snapshot,
    categories,
    check_version,
    commit,
    item_row,
    set_cadre,
    shown,
    situations,
    status_colour,
    verify_workdays,
)
from webapp.negative_info.sealing import HISTORY_MARKER, remember_sealed, sealed_fields
from webapp.negative_info.verification import (  # noqa: F401
    VERIFICATION_MESSAGES,
    available_events,
    conclude_verification,
    recompute_provisional_deadlines,
    reopen_verification,
    start_verification,
    verification_message,
    verify_from_inquiry,
)
from webapp.security.crypto import sealed_deferred
from webapp.security.permissions import Permission
from webapp.security.scope import scoped

# ---------------------------------------------------------------- duplicates


def link_duplicate(info: NegativeInfo, user: User, other_id: int | None, version: int) -> None:
    """Mark an item as a duplicate of another possible duplicate, or clear the link."""
    check_version(info, version)
    if other_id:
        candidates = {
            d.id
            for d in possible_duplicates(
                user, info.cadre_id, info.situation, info.occurred_on, info.id
            )
        }
        if other_id not in candidates or _links_back(other_id, info.id):
            raise ReportError(_("只能关联到同一干部、同一情形、时间相近的信息"))
        other = db.session.get(NegativeInfo, other_id)
        info.duplicate_of_id = other_id
        add_history(info, user, "linked_duplicate", note=other.number)
    elif info.duplicate_of_id:
        previous = info.duplicate_of.number if info.duplicate_of else ""
        info.duplicate_of_id = None
        add_history(info, user, "unlinked_duplicate", note=previous)
    commit()


def _links_back(start_id: int, target_id: int) -> bool:
    # A → B → A would make both items "the original"; follow the chain to refuse a cycle.
    seen, current = set(), start_id
    while current and current not in seen:
        if current == target_id:
            return True
        seen.add(current)
        current = db.session.scalar(
            select(NegativeInfo.duplicate_of_id).where(NegativeInfo.id == current)
        )
    return False


# ---------------------------------------------------------------- create and edit


def _attachment_history(info: NegativeInfo, user: User, event: str, attachment: Attachment):
    add_history(info, user, event, note=attachment.original_name)


def _claim_files(info: NegativeInfo, user: User, staged_ids: list[int]) -> None:
    for attachment in attachments.claim(staged_ids, OWNER_TYPE, info.id, user):
        _attachment_history(info, user, "attachment_added", attachment)


def _tiers() -> dict[str, int]:
    return {value: s.tier for value, s in situations().items()}


def create_report(
    user: User,
    cadre: Cadre,
    values: dict[str, Any],
    staged_ids: list[int] = (),  # type: ignore[assignment]
    duplicate_of_id: int | None = None,
) -> NegativeInfo:
    """Register an item typed by a supervisor, with its staged files; return it."""
    if duplicate_of_id and duplicate_of_id not in {
        d.id
        for d in possible_duplicates(user, cadre.id, values["situation"], values["occurred_on"])
    }:
        raise ReportError(_("只能关联到同一干部、同一情形、时间相近的信息"))
    # The number is taken last: its counter row stays locked until commit.
    info = NegativeInfo(
        **item_row(
            # A field the caller leaves out (the source's identity, say) takes its default.
            {key: values[key] for key in REPORT_FIELDS if key in values},
            number=next_number(NUMBER_PREFIX, org_today().year),
            created_by=user,
            tiers=_tiers(),
            duplicate_of_id=duplicate_of_id or None,
            **cadre_snapshot(cadre),
        )
    )
    db.session.add(info)
    db.session.flush()
    add_history(info, user, "created", to_status=info.status)
    if duplicate_of_id:
        add_history(info, user, "linked_duplicate", note=info.duplicate_of.number)
    _claim_files(info, user, list(staged_ids))
    db.session.commit()
    return info


def submit_liaison_report(
    user: User,
    cadre_name: str,
    unit_id: int,
    cadre_position: str,
    values: dict[str, Any],
    staged_ids: list[int] = (),  # type: ignore[assignment]
) -> NegativeInfo:
    """Take a liaison's submission into the 待核实 queue; return it.

    A liaison sees no roster, so the cadre is named, not picked: when exactly one cadre of
    that name works in that unit the item is linked to it, otherwise the supervisor picks
    the cadre before verification. The liaison is never told which happened.
    """
    cadre = match_cadre(cadre_name, unit_id)
    info = NegativeInfo(
        **item_row(
            {key: values[key] for key in LIAISON_FIELDS},
            number=next_number(NUMBER_PREFIX, org_today().year),
            created_by=user,
            tiers=_tiers(),
            cadre_id=cadre.id if cadre else None,
            cadre_name=cadre_name,
            cadre_position=cadre_position.strip() or (cadre.position if cadre else ""),
            unit_id=unit_id,
            received_on=org_today(),
            reporting_unit=user.unit.name,
            liaison_name=user.full_name,
            via_liaison=True,
        )
    )
    db.session.add(info)
    db.session.flush()
    add_history(info, user, "submitted", to_status=info.status)
    _claim_files(info, user, list(staged_ids))
    db.session.commit()
    return info


def update_report(
    info: NegativeInfo,
    user: User,
    cadre: Cadre,
    values: dict[str, Any],
    version: int | None,
    staged_ids: list[int] = (),  # type: ignore[assignment]
) -> NegativeInfo:
    """Save edits to an item; the history keeps each changed field's old and new value."""
    check_version(info, version)
    # One UPDATE for the edit (one audit row): no query in between may flush half of it.
    with db.session.no_autoflush:
        remember_sealed(info)  # before the channel or the details box may change
        changes: dict[str, list[Any]] = {}
        if info.cadre_id != cadre.id:
            changes["cadre_id"] = [info.cadre_name, cadre.name]
            set_cadre(info, cadre)
            due_source.open_verification_due(info)  # a running verification's due follows
        for key in REPORT_FIELDS:
            old, new = getattr(info, key), values[key]
            if old != new:
                if key in sealed_fields(info) | sealed_fields(values):
                    changes[key] = [HISTORY_MARKER, HISTORY_MARKER]  # the history names no source
                else:
                    changes[key] = [shown(key, old), shown(key, new)]
                setattr(info, key, new)
        if "situation" in changes:
            info.default_tier = situations(active_only=False)[info.situation].tier
        if changes:
            add_history(info, user, "edited", changes=changes)
    _claim_files(info, user, list(staged_ids))
    commit()
    return info


# ---------------------------------------------------------------- attachments


def _viewable(info_id: int, user: User) -> NegativeInfo | None:
    if user.can(Permission.REPORT_VIEW):
        stmt = scoped(select(NegativeInfo).where(NegativeInfo.id == info_id), NegativeInfo, user)
        info = db.session.scalars(stmt).first()
        if info is not None:
            return info
    if user.can(Permission.REPORT_SUBMIT):
        info = db.session.get(NegativeInfo, info_id)
        if info is not None and info.via_liaison and info.created_by_id == user.id:
            return info
    return None


def _editable(info_id: int, user: User) -> NegativeInfo | None:
    if not user.can(Permission.REPORT_EDIT):
        return None
    stmt = scoped(select(NegativeInfo).where(NegativeInfo.id == info_id), NegativeInfo, user)
    return db.session.scalars(stmt).first()


def attachment_owners(_app: object) -> dict[str, attachments.Owner]:
    """Let negative-information items own attachments (answers `signals.attachment_owners`)."""
    return {
        OWNER_TYPE: attachments.Owner(
            viewable=_viewable,
            editable=_editable,
            on_change=_attachment_history,
            url=lambda info: url_for("negative_info.detail", info_id=info.id),
        )
    }


FILES = attachments.OwnerFiles(OWNER_TYPE)
stage_uploads = FILES.stage
staged_files = FILES.staged
files_of = FILES.of
add_files = FILES.add


# ---------------------------------------------------------------- timeline and sections


def report_entries(cadre: Cadre, *, user: User | None = None, **_kw: object) -> list[TimelineEntry]:
    """Put the cadre's negative information the viewer may see on the profile timeline."""
    if user is None or not user.can(Permission.REPORT_VIEW):
        return []
    stmt = scoped(select(NegativeInfo).where(NegativeInfo.cadre_id == cadre.id), NegativeInfo, user)
    # An entry shows none of the sealed source fields: they are not decrypted.
    stmt = stmt.options(*sealed_deferred(NegativeInfo))
    return [
        TimelineEntry(
            info.occurred_on,
            "negative_info",
            _(
                "负面信息 %(number)s：%(situation)s",
                number=info.number,
                situation=dict_label("negative_situation", info.situation),
            ),
            "；".join(
                [
                    dict_label("verification_status", info.status),
                    info.summary[:60] + ("…" if len(info.summary) > 60 else ""),
                ]
            ),
            url_for("negative_info.detail", info_id=info.id),
        )
        for info in db.session.scalars(stmt)
    ]


def page_sections(info: NegativeInfo, user: User) -> list[signals.Section]:
    """Return the panels other areas show on the item's page."""
    return list(signals.answers(signals.negative_info_sections, info, user=user))
