"""Negative information: intake, register queries, verification, duplicates and history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort, current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from webapp import signals
from webapp.attachments import services as attachments
from webapp.audit.services import record_access
from webapp.cadres.services import TimelineEntry
from webapp.clock import org_today
from webapp.extensions import db
from webapp.holidays.services import work_calendar
from webapp.lookups import dict_items, dict_label, param_int
from webapp.models import Attachment, Cadre, NegativeInfo, NegativeInfoEvent, OrgUnit, User
from webapp.negative_info.numbering import next_number
from webapp.security.permissions import Permission
from webapp.security.scope import get_in_scope_or_404, scoped, subtree_ids
from workflows.calendar import WorkCalendar
from workflows.deadlines import Light, light
from workflows.verification import (
    CONCLUSIONS,
    Event,
    Request,
    Status,
    VerificationError,
    allowed_events,
    apply,
    duplicate_window,
)

NUMBER_PREFIX = "FM"
OWNER_TYPE = "negative_info"

# Fields a supervisor types; the cadre snapshot and unit follow from the chosen cadre.
REPORT_FIELDS = (
    "category",
    "situation",
    "source_channel",
    "reporting_unit",
    "liaison_name",
    "source_document_number",
    "occurred_on",
    "received_on",
    "summary",
    "details",
    "handling_unit",
    "handling_result",
    "severity",
    "confidentiality",
)
# Fields a liaison types on the short form.
LIAISON_FIELDS = (
    "category",
    "situation",
    "source_channel",
    "source_document_number",
    "occurred_on",
    "summary",
    "details",
)

FIELD_LABELS = {
    "cadre_id": _l("干部"),
    "category": _l("信息类别"),
    "situation": _l("具体情形"),
    "source_channel": _l("信息来源"),
    "reporting_unit": _l("报送单位"),
    "liaison_name": _l("联络员"),
    "source_document_number": _l("来源文号"),
    "occurred_on": _l("发生时间"),
    "received_on": _l("收到时间"),
    "summary": _l("事实摘要"),
    "details": _l("详细情况"),
    "handling_unit": _l("查处单位"),
    "handling_result": _l("处理情况"),
    "severity": _l("严重程度"),
    "confidentiality": _l("密级"),
}
# Fields whose value is a dictionary code, and the dictionary that labels it.
DICT_FIELDS = {
    "category": "negative_category",
    "situation": "negative_situation",
    "source_channel": "source_channel",
    "severity": "severity",
    "confidentiality": "confidentiality",
}

EVENT_LABELS = {
    "created": _l("登记"),
    "submitted": _l("联络员报送"),
    "edited": _l("修改"),
    "start": _l("开始核实"),
    "conclude": _l("核实办结"),
    "reopen": _l("重新核实"),
    "linked_duplicate": _l("关联重复信息"),
    "unlinked_duplicate": _l("取消重复关联"),
    "attachment_added": _l("上传附件"),
    "attachment_removed": _l("移除附件"),
    "deadline_recomputed": _l("核实期限按节假日数据重新计算"),
}

VERIFICATION_MESSAGES = {
    "not_allowed": _l("当前核实状态下不能执行此操作，请刷新页面后再试"),
    "handler_required": _l("请指定承办人"),
    "cadre_required": _l("请先确定所涉干部，再开始核实"),
    "reason_required": _l("重新核实须填写原因"),
    "conclusion_required": _l("请选择核实结论"),
    "note_required": _l("请填写核实情况说明"),
    "date_required": _l("请填写核实办结日期"),
    "date_in_future": _l("核实办结日期不能晚于今天"),
    "date_before_start": _l("核实办结日期不能早于开始核实日期"),
}


class ReportError(ValueError):
    """A request the service refuses; the message is ready to show."""


class ConflictError(ReportError):
    """Someone else changed the record since the user opened it."""


def verification_message(exc: VerificationError) -> str:
    """Return the UI message for a refused verification step."""
    return str(VERIFICATION_MESSAGES.get(exc.code, exc.code))


# ---------------------------------------------------------------- categories and situations


@dataclass(frozen=True)
class Situation:
    """A 具体情形 with its category (大类) and default tier."""

    value: str
    label: str
    category: str
    tier: int


def categories() -> list[tuple[str, str]]:
    """Return (value, label) of the active categories."""
    return [(item.value, item.label) for item in dict_items("negative_category")]


def situations(active_only: bool = True) -> dict[str, Situation]:
    """Return the situations by value, each knowing its category and default tier."""
    parents = {
        item.id: item.value for item in dict_items("negative_category", active_only=active_only)
    }
    result = {}
    for item in dict_items("negative_situation", active_only=active_only):
        if item.parent_id in parents:
            tier = int((item.extra or {}).get("default_tier", 1))
            result[item.value] = Situation(item.value, item.label, parents[item.parent_id], tier)
    return result


def status_colour(status: str) -> str:
    """Return the badge colour the dictionary gives a verification status."""
    for item in dict_items("verification_status", active_only=False):
        if item.value == status:
            return item.colour or "grey"
    return "grey"


def verify_workdays(source_channel: str) -> int:
    """Return the verification time limit of a source channel in working days."""
    for item in dict_items("source_channel", active_only=False):
        if item.value == source_channel and (item.extra or {}).get("verify_workdays"):
            return int(item.extra["verify_workdays"])
    return param_int("report.verification_workdays")


# ---------------------------------------------------------------- cadres


def cadre_in_scope(user: User, cadre_id: int | None) -> Cadre | None:
    """Return the cadre if the user's scope covers it, else None."""
    if not cadre_id:
        return None
    stmt = scoped(select(Cadre).where(Cadre.id == cadre_id), Cadre, user)
    return db.session.scalars(stmt).first()


def pick_cadres(user: User, q: str, limit: int = 20) -> list[dict[str, Any]]:
    """Find cadres in scope whose name or unit name contains the text (for the picker)."""
    q = q.strip()[:50]
    if not q:
        return []
    stmt = (
        scoped(select(Cadre), Cadre, user)
        .join(OrgUnit, Cadre.unit_id == OrgUnit.id)
        .where(
            or_(
                Cadre.name.contains(q, autoescape=True),
                OrgUnit.name.contains(q, autoescape=True),
            )
        )
        .order_by(Cadre.name, Cadre.id)
        .limit(limit)
    )
    return [
        {"id": c.id, "name": c.name, "unit": c.unit.name, "position": c.position}
        for c in db.session.scalars(stmt)
    ]


def match_cadre(name: str, unit_id: int) -> Cadre | None:
    """Return the one cadre of this name in this unit, or None when none or several."""
    stmt = select(Cadre).where(Cadre.name == name.strip(), Cadre.unit_id == unit_id).limit(2)
    found = list(db.session.scalars(stmt))
    return found[0] if len(found) == 1 else None


def handler_choices() -> list[tuple[int, str]]:
    """Return the active users who may handle a verification (those who edit reports)."""
    users = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.id))
    return [
        (u.id, f"{u.full_name}（{u.unit.name}）") for u in users if u.can(Permission.REPORT_EDIT)
    ]


# ---------------------------------------------------------------- register


@dataclass(frozen=True)
class ReportFilters:
    """What the register is filtered by (the export follows the same filters)."""

    q: str = ""
    unit_id: int = 0
    category: str = ""
    situation: str = ""
    source_channel: str = ""
    status: str = ""
    severity: str = ""
    received_from: date | None = None
    received_to: date | None = None
    cadre_id: int = 0
    via_liaison: bool = False


def register_query(user: User, filters: ReportFilters):
    """Build the scoped, filtered register select, newest first."""
    stmt = scoped(select(NegativeInfo), NegativeInfo, user)
    if filters.q:
        q = filters.q.strip()
        stmt = stmt.where(
            or_(
                NegativeInfo.number.contains(q, autoescape=True),
                NegativeInfo.cadre_name.contains(q, autoescape=True),
            )
        )
    if filters.unit_id:
        unit = db.session.get(OrgUnit, filters.unit_id)
        if unit is not None:
            stmt = stmt.where(NegativeInfo.current_unit_id().in_(subtree_ids(unit)))
    for column, value in (
        (NegativeInfo.category, filters.category),
        (NegativeInfo.situation, filters.situation),
        (NegativeInfo.source_channel, filters.source_channel),
        (NegativeInfo.status, filters.status),
        (NegativeInfo.severity, filters.severity),
    ):
        if value:
            stmt = stmt.where(column == value)
    if filters.received_from:
        stmt = stmt.where(NegativeInfo.received_on >= filters.received_from)
    if filters.received_to:
        stmt = stmt.where(NegativeInfo.received_on <= filters.received_to)
    if filters.cadre_id:
        stmt = stmt.where(NegativeInfo.cadre_id == filters.cadre_id)
    if filters.via_liaison:
        stmt = stmt.where(NegativeInfo.via_liaison.is_(True))
    return stmt.order_by(NegativeInfo.received_on.desc(), NegativeInfo.id.desc())


def search_register(user: User, filters: ReportFilters, page: int):
    """Return one page of the register."""
    stmt = register_query(user, filters).options(joinedload(NegativeInfo.unit))
    return db.paginate(stmt, page=page, per_page=current_app.config["PAGE_SIZE"], error_out=False)


def deadline_light(info: NegativeInfo, today: date, cal: WorkCalendar) -> Light | None:
    """Return the verification light (黄灯/红灯) of an item being verified."""
    if info.status != Status.VERIFYING or not info.verification_due:
        return None
    return light(
        info.verification_started_on or info.verification_due,
        info.verification_due,
        today,
        cal,
        yellow_percent=param_int("reminder.yellow_percent"),
    )


def lights_for(items: list[NegativeInfo]) -> dict[int, Light]:
    """Return the light of each item on a page that has one."""
    today, cal = org_today(), work_calendar()
    lights = {}
    for info in items:
        result = deadline_light(info, today, cal)
        if result is not None:
            lights[info.id] = result
    return lights


def get_report_or_404(user: User, info_id: int) -> NegativeInfo:
    """Load an item in the user's scope or answer 404."""
    return get_in_scope_or_404(NegativeInfo, info_id, user)


def open_report(info: NegativeInfo) -> None:
    """Log that the current user viewed an item."""
    record_access("NegativeInfo", info.id)
    db.session.commit()


# ---------------------------------------------------------------- duplicates


def possible_duplicates(
    user: User,
    cadre_id: int | None,
    situation: str,
    occurred_on: date | None,
    exclude_id: int | None = None,
) -> list[NegativeInfo]:
    """Return items in scope for the same cadre and situation within the duplicate window."""
    if not cadre_id or not situation or not occurred_on:
        return []
    first, last = duplicate_window(occurred_on, param_int("report.duplicate_window_days"))
    stmt = scoped(
        select(NegativeInfo).where(
            NegativeInfo.cadre_id == cadre_id,
            NegativeInfo.situation == situation,
            NegativeInfo.occurred_on.between(first, last),
        ),
        NegativeInfo,
        user,
    )
    if exclude_id:
        stmt = stmt.where(NegativeInfo.id != exclude_id)
    return list(db.session.scalars(stmt.order_by(NegativeInfo.occurred_on.desc())))


def link_duplicate(info: NegativeInfo, user: User, other_id: int | None, version: int) -> None:
    """Mark an item as a duplicate of another possible duplicate, or clear the link."""
    _check_version(info, version)
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
        _history(info, user, "linked_duplicate", note=other.number)
    elif info.duplicate_of_id:
        previous = info.duplicate_of.number if info.duplicate_of else ""
        info.duplicate_of_id = None
        _history(info, user, "unlinked_duplicate", note=previous)
    _commit()


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


def _history(
    info: NegativeInfo,
    user: User | None,
    event: str,
    *,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    changes: dict | None = None,
) -> None:
    db.session.add(
        NegativeInfoEvent(
            info=info,
            actor_id=user.id if user else None,
            actor_name=user.full_name if user else "system",
            event=event,
            from_status=from_status,
            to_status=to_status,
            note=note,
            changes=changes,
        )
    )


def _attachment_history(info: NegativeInfo, user: User, event: str, attachment: Attachment):
    _history(info, user, event, note=attachment.original_name)


def _set_cadre(info: NegativeInfo, cadre: Cadre) -> None:
    info.cadre_id = cadre.id
    info.cadre_name = cadre.name
    info.cadre_position = cadre.position
    info.unit_id = cadre.unit_id


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise ConflictError(_("该信息已被他人修改，请刷新页面后重新操作")) from exc


def _check_version(info: NegativeInfo, version: int | None) -> None:
    if version is not None and version != info.version:
        raise ConflictError(_("该信息已被他人修改，请刷新页面后重新操作"))


def _claim_files(info: NegativeInfo, user: User, staged_ids: list[int]) -> None:
    for attachment in attachments.claim(staged_ids, OWNER_TYPE, info.id, user):
        _attachment_history(info, user, "attachment_added", attachment)


def create_report(
    user: User,
    cadre: Cadre,
    values: dict[str, Any],
    staged_ids: list[int] = (),  # type: ignore[assignment]
    duplicate_of_id: int | None = None,
) -> NegativeInfo:
    """Register an item typed by a supervisor, with its staged files; return it."""
    situation = situations()[values["situation"]]
    if duplicate_of_id and duplicate_of_id not in {
        d.id
        for d in possible_duplicates(user, cadre.id, values["situation"], values["occurred_on"])
    }:
        raise ReportError(_("只能关联到同一干部、同一情形、时间相近的信息"))
    info = NegativeInfo(
        **{key: values[key] for key in REPORT_FIELDS},
        default_tier=situation.tier,
        created_by_id=user.id,
        duplicate_of_id=duplicate_of_id or None,
        status=Status.PENDING.value,
    )
    _set_cadre(info, cadre)
    # The number is taken last: its counter row stays locked until commit.
    info.number = next_number(NUMBER_PREFIX, org_today().year)
    db.session.add(info)
    db.session.flush()
    _history(info, user, "created", to_status=info.status)
    if duplicate_of_id:
        _history(info, user, "linked_duplicate", note=info.duplicate_of.number)
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
    situation = situations()[values["situation"]]
    info = NegativeInfo(
        **{key: values[key] for key in LIAISON_FIELDS},
        received_on=org_today(),
        reporting_unit=user.unit.name,
        liaison_name=user.full_name,
        cadre_name=cadre_name.strip(),
        cadre_position=cadre_position.strip(),
        unit_id=unit_id,
        default_tier=situation.tier,
        via_liaison=True,
        created_by_id=user.id,
        status=Status.PENDING.value,
    )
    cadre = match_cadre(cadre_name, unit_id)
    if cadre is not None:
        info.cadre_id = cadre.id
        info.cadre_position = info.cadre_position or cadre.position
    info.number = next_number(NUMBER_PREFIX, org_today().year)
    db.session.add(info)
    db.session.flush()
    _history(info, user, "submitted", to_status=info.status)
    _claim_files(info, user, list(staged_ids))
    db.session.commit()
    return info


def _shown(key: str, value: Any) -> Any:
    if key in DICT_FIELDS:
        return dict_label(DICT_FIELDS[key], value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def update_report(
    info: NegativeInfo,
    user: User,
    cadre: Cadre,
    values: dict[str, Any],
    version: int | None,
    staged_ids: list[int] = (),  # type: ignore[assignment]
) -> NegativeInfo:
    """Save edits to an item; the history keeps each changed field's old and new value."""
    _check_version(info, version)
    changes: dict[str, list[Any]] = {}
    if info.cadre_id != cadre.id:
        changes["cadre_id"] = [info.cadre_name, cadre.name]
        _set_cadre(info, cadre)
    for key in REPORT_FIELDS:
        old, new = getattr(info, key), values[key]
        if old != new:
            changes[key] = [_shown(key, old), _shown(key, new)]
            setattr(info, key, new)
    if "situation" in changes:
        info.default_tier = situations(active_only=False)[info.situation].tier
    if changes:
        _history(info, user, "edited", changes=changes)
    _claim_files(info, user, list(staged_ids))
    _commit()
    return info


# ---------------------------------------------------------------- verification


def start_verification(
    info: NegativeInfo,
    user: User,
    handler_id: int | None,
    version: int | None,
    cadre: Cadre | None = None,
    note: str = "",
) -> NegativeInfo:
    """Move an item to 核实中 with a handler and a deadline in working days."""
    _check_version(info, version)
    picked = None
    if cadre is not None and info.cadre_id is None:
        # Keep the name as the liaison reported it in the history.
        picked = [info.cadre_name, cadre.name]
        _set_cadre(info, cadre)
    if handler_id and handler_id not in {uid for uid, _label in handler_choices()}:
        raise ReportError(_("承办人须为有权办理负面信息的在职用户"))
    today = org_today()
    try:
        new = apply(
            Status(info.status),
            Request(
                Event.START,
                today,
                handler_id=handler_id or None,
                has_cadre=info.cadre_id is not None,
            ),
        )
    except VerificationError as exc:
        raise ReportError(verification_message(exc)) from exc
    workdays = verify_workdays(info.source_channel)
    deadline = work_calendar().add_workdays(today, workdays)
    old = info.status
    info.status = new.value
    info.handler_id = handler_id
    info.verification_started_on = today
    info.verification_workdays = workdays
    info.verification_due = deadline.due
    info.verification_due_provisional = deadline.provisional
    _history(
        info,
        user,
        "start",
        from_status=old,
        to_status=new.value,
        note=note,
        changes={
            "handler": db.session.get(User, handler_id).full_name,
            "due": deadline.due.isoformat(),
            "workdays": workdays,
            "provisional": deadline.provisional,
            **({"cadre_id": picked} if picked else {}),
        },
    )
    _commit()
    return info


def conclude_verification(
    info: NegativeInfo,
    user: User,
    conclusion: str,
    concluded_on: date | None,
    note: str,
    version: int | None,
) -> NegativeInfo:
    """Record the verification's conclusion (属实/部分属实/失实/无法核实) and its note."""
    _check_version(info, version)
    try:
        chosen = Status(conclusion) if conclusion in {s.value for s in CONCLUSIONS} else None
        new = apply(
            Status(info.status),
            Request(
                Event.CONCLUDE,
                org_today(),
                started_on=info.verification_started_on,
                conclusion=chosen,
                concluded_on=concluded_on,
                note=note,
            ),
        )
    except VerificationError as exc:
        raise ReportError(verification_message(exc)) from exc
    old = info.status
    info.status = new.value
    info.verification_note = note
    info.verified_on = concluded_on
    info.verified_by_id = user.id
    _history(info, user, "conclude", from_status=old, to_status=new.value, note=note)
    signals.verification_concluded.send(info, previous=old, actor=user)
    _commit()
    return info


def reopen_verification(
    info: NegativeInfo, user: User, reason: str, version: int | None
) -> NegativeInfo:
    """Send a concluded item back to 核实中 with a fresh deadline; the reason is kept."""
    _check_version(info, version)
    today = org_today()
    try:
        new = apply(Status(info.status), Request(Event.REOPEN, today, note=reason))
    except VerificationError as exc:
        raise ReportError(verification_message(exc)) from exc
    workdays = verify_workdays(info.source_channel)
    deadline = work_calendar().add_workdays(today, workdays)
    old = info.status
    info.status = new.value
    info.verification_started_on = today
    info.verification_workdays = workdays
    info.verification_due = deadline.due
    info.verification_due_provisional = deadline.provisional
    info.verified_on = None
    info.verified_by_id = None
    _history(
        info,
        user,
        "reopen",
        from_status=old,
        to_status=new.value,
        note=reason,
        changes={"due": deadline.due.isoformat(), "provisional": deadline.provisional},
    )
    _commit()
    return info


def available_events(info: NegativeInfo) -> list[str]:
    """Return the verification events the table allows now (the forms offer only these)."""
    return [e.value for e in allowed_events(Status(info.status))]


# ---------------------------------------------------------------- liaison


def liaison_submissions(user: User, page: int):
    """Return one page of the liaison's own submissions, newest first (never others')."""
    stmt = (
        select(NegativeInfo)
        .where(NegativeInfo.created_by_id == user.id, NegativeInfo.via_liaison.is_(True))
        .order_by(NegativeInfo.id.desc())
    )
    return db.paginate(stmt, page=page, per_page=current_app.config["PAGE_SIZE"], error_out=False)


def own_submission_or_404(user: User, info_id: int) -> NegativeInfo:
    """Load one of the liaison's own submissions or answer 404."""
    info = db.session.get(NegativeInfo, info_id)
    if info is None or info.created_by_id != user.id or not info.via_liaison:
        abort(404)
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


# ---------------------------------------------------------------- timeline and deadlines


def report_entries(cadre: Cadre, *, user: User | None = None, **_kw: object) -> list[TimelineEntry]:
    """Put the cadre's negative information the viewer may see on the profile timeline."""
    if user is None or not user.can(Permission.REPORT_VIEW):
        return []
    stmt = scoped(select(NegativeInfo).where(NegativeInfo.cadre_id == cadre.id), NegativeInfo, user)
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


def recompute_provisional_deadlines(cal: WorkCalendar) -> int:
    """Recount provisional verification deadlines with the current holiday data (flushed)."""
    stmt = select(NegativeInfo).where(
        NegativeInfo.status == Status.VERIFYING.value,
        NegativeInfo.verification_due_provisional.is_(True),
    )
    changed = 0
    for info in db.session.scalars(stmt):
        if info.verification_started_on is None or info.verification_workdays is None:
            continue
        deadline = cal.add_workdays(info.verification_started_on, info.verification_workdays)
        if (deadline.due, deadline.provisional) == (
            info.verification_due,
            info.verification_due_provisional,
        ):
            continue
        note = f"{info.verification_due.isoformat()} → {deadline.due.isoformat()}"
        info.verification_due = deadline.due
        info.verification_due_provisional = deadline.provisional
        _history(info, None, "deadline_recomputed", note=note)
        changed += 1
    db.session.flush()  # the holiday page commits once, after every area has recomputed
    return changed
