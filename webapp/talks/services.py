"""Talk records: list queries, create/edit, links to negative information, the timeline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import load_only
from werkzeug.routing import BuildError

from webapp.attachments import services as attachments
from webapp.cadre_picker import cadre_title
from webapp.cadres.name_search import cadre_matches
from webapp.cadres.services import TimelineEntry
from webapp.clock import org_zone
from webapp.extensions import db
from webapp.holidays.services import work_calendar
from webapp.i18n import translate
from webapp.lookups import dict_label, param_int, request_copy
from webapp.models import Attachment, Cadre, NegativeInfo, OrgUnit, Talk, User, Warning
from webapp.paging import Page, SortKey, paginate
from webapp.security.permissions import Permission
from webapp.security.scope import in_subtree, scoped
from webapp.signals import Section
from webapp.talks import due
from workflows.calendar import add_months
from workflows.states import OPEN_STATES, State
from workflows.tiers import Tier

TALK_FIELDS = (
    "talk_type",
    "occasion",
    "note_taker_name",
    "note_taker_position",
    "started_at",
    "ended_at",
    "place",
    "mode",
    "reason",
    "content",
    "statement",
    "rectification",
    "follow_up_on",
    "acknowledged_on",
    "acknowledged_by",
)
OWNER_TYPE = "Talk"  # attachments of a talk carry this owner type
# Talks after which a follow-up visit (回访) is the practice: the tier-1 and tier-2 actions.
FOLLOW_UP_TYPES = frozenset({"reminder", "admonishment"})


class LinkRefused(ValueError):
    """The chosen negative information or warning cannot be linked to this talk."""

    def __init__(self, field: str):
        super().__init__(field)
        self.field = field  # the form field the refusal belongs beside


@dataclass(frozen=True)
class TalkLinks:
    """What a talk is linked to: the negative information it follows, the warning it serves."""

    info: NegativeInfo | None = None
    warning: Warning | None = None


# Latest talk first; the id settles talks that started together (and the pager's cursor).
LIST_ORDER = SortKey((Talk.started_at, Talk.id), descending=True)


@dataclass(frozen=True)
class TalkFilters:
    """What the talk list is filtered by."""

    q: str = ""
    talk_type: str = ""
    date_from: date | None = None
    date_to: date | None = None
    unit_id: int = 0  # the cadre's current unit or one below it


def day_start(day: date) -> datetime:
    """Return the instant a local day starts."""
    return datetime.combine(day, time.min, tzinfo=org_zone())


def talk_day(talk: Talk) -> date:
    """Return the day a talk took place, in the organisation's zone."""
    return talk.started_at.astimezone(org_zone()).date()


def talk_query(user: User, filters: TalkFilters):
    """Build the scoped, filtered talk select, newest first."""
    stmt = scoped(select(Talk), Talk, user)
    if filters.q:
        stmt = stmt.where(cadre_matches(filters.q, Talk.cadre_id))
    if filters.unit_id and (unit := db.session.get(OrgUnit, filters.unit_id)) is not None:
        stmt = stmt.where(in_subtree(Talk, unit))
    if filters.talk_type:
        stmt = stmt.where(Talk.talk_type == filters.talk_type)
    if filters.date_from:
        stmt = stmt.where(Talk.started_at >= day_start(filters.date_from))
    if filters.date_to:
        stmt = stmt.where(Talk.started_at < day_start(filters.date_to + timedelta(days=1)))
    return LIST_ORDER.order(stmt)


def list_talks(user: User, filters: TalkFilters, args: Mapping[str, str]) -> Page:
    """Return the page of talks the query string asks for."""
    return paginate(talk_query(user, filters), LIST_ORDER, args)


def info_label(info: NegativeInfo) -> str:
    """Label a negative-information item for a select box."""
    return f"{info.number} {info.summary[:30]}"


def info_choices(user: User, cadre: Cadre | None) -> list[tuple[int, str]]:
    """Return the in-scope negative information about a cadre, newest first."""
    if cadre is None:
        return []
    stmt = scoped(select(NegativeInfo), NegativeInfo, user).where(NegativeInfo.cadre_id == cadre.id)
    infos = db.session.scalars(stmt.order_by(NegativeInfo.received_on.desc(), NegativeInfo.id))
    return [(info.id, info_label(info)) for info in infos]


def info_in_scope(user: User, info_id: int) -> NegativeInfo | None:
    """Load a negative-information item the user may see, or None."""
    stmt = scoped(select(NegativeInfo).where(NegativeInfo.id == info_id), NegativeInfo, user)
    return db.session.scalars(stmt).first()


def linked_info(user: User, info_id: int, cadre: Cadre) -> NegativeInfo | None:
    """Return the item to link, refusing one out of scope or about another cadre."""
    if not info_id:
        return None
    info = info_in_scope(user, info_id)
    if info is None or info.cadre_id != cadre.id:
        raise LinkRefused("negative_info_id")
    return info


def warning_label(warning: Warning) -> str:
    """Label a warning for a select box and the talk's page: number, tier, state."""
    return " ".join(
        [warning.number, translate(Tier(warning.tier).label), translate(State(warning.state).label)]
    )


def linkable_warnings(user: User, cadre: Cadre, keep_id: int | None = None) -> list[Warning]:
    """Return the cadre's open warnings the user may see, plus the one already linked."""
    open_or_kept = Warning.state.in_([s.value for s in OPEN_STATES])
    if keep_id:
        # A talk linked while the warning was open keeps its link after the warning closes.
        open_or_kept = open_or_kept | (Warning.id == keep_id)
    stmt = scoped(select(Warning), Warning, user).where(Warning.cadre_id == cadre.id, open_or_kept)
    return list(db.session.scalars(stmt.order_by(Warning.id.desc())))


def warning_choices(
    user: User, cadre: Cadre | None, keep_id: int | None = None
) -> list[tuple[int, str]]:
    """Return (id, label) of the warnings a talk with this cadre may be linked to."""
    if cadre is None:
        return []
    return [(w.id, warning_label(w)) for w in linkable_warnings(user, cadre, keep_id)]


def linked_warning(
    user: User, warning_id: int, cadre: Cadre, keep_id: int | None = None
) -> Warning | None:
    """Return the warning to link, refusing one closed, out of scope or about another cadre."""
    if not warning_id:
        return None
    for warning in linkable_warnings(user, cadre, keep_id):
        if warning.id == warning_id:
            return warning
    raise LinkRefused("warning_id")


def resolve_links(
    user: User, cadre: Cadre, info_id: int, warning_id: int, talk: Talk | None = None
) -> TalkLinks:
    """Load what a talk is to be linked to, refusing what the user may not link."""
    keep = talk.warning_id if talk is not None else None
    return TalkLinks(
        linked_info(user, info_id, cadre), linked_warning(user, warning_id, cadre, keep)
    )


def talks_for_warning(warning_id: int, user: User) -> list[Talk]:
    """Return the talks linked to a warning that the user may read, newest first."""
    if not may_read(user):
        return []
    stmt = scoped(select(Talk).where(Talk.warning_id == warning_id), Talk, user)
    return list(db.session.scalars(stmt.order_by(Talk.started_at.desc(), Talk.id.desc())))


def warning_section(warning: Any, *, user: User | None = None, **_kw: object) -> Section | None:
    """List the talks serving a warning on its page (answers `signals.warning_sections`)."""
    if user is None or not may_read(user):
        return None
    talks = talks_for_warning(warning.id, user)
    return Section("talks/_warning_talks.html", {"talks": talks, "warning_id": warning.id})


def default_follow_up(talk_type: str, day: date) -> date | None:
    """Suggest the follow-up visit for a reminder or admonishment talk left without one."""
    if talk_type not in FOLLOW_UP_TYPES:
        return None
    # Rolled forward to a workday: nobody visits on a holiday. Only a suggestion the user
    # may edit, so a provisional calendar year does not need flagging.
    due = add_months(day, param_int("talk.follow_up_months"))
    return work_calendar().add_workdays(due, 0).due


def apply_talk(talk: Talk, cadre: Cadre, data: dict[str, Any], links: TalkLinks) -> Talk:
    """Copy validated form data onto a talk."""
    for key in TALK_FIELDS:
        value = data[key]
        setattr(talk, key, value.strip() if isinstance(value, str) else value)
    talk.occasion = talk.occasion or ""
    talk.interviewers = list(data["interviewers"])
    if talk.cadre_id != cadre.id:
        talk.cadre_id = cadre.id
        talk.cadre = cadre
        talk.cadre_name = cadre.name
        talk.cadre_title = cadre_title(cadre)
    talk.negative_info_id = links.info.id if links.info else None
    talk.warning_id = links.warning.id if links.warning else None
    if talk.follow_up_on is None:
        talk.follow_up_on = default_follow_up(talk.talk_type, talk_day(talk))
    return talk


def create_talk(
    user: User,
    cadre: Cadre,
    data: dict[str, Any],
    links: TalkLinks,
    staged_ids: list[int] = (),  # type: ignore[assignment]
) -> Talk:
    """Record a talk with the files uploaded along with the form."""
    talk = Talk(created_by_id=user.id)
    apply_talk(talk, cadre, data, links)
    db.session.add(talk)
    db.session.flush()
    attachments.claim(list(staged_ids), OWNER_TYPE, talk.id, user)
    due.keep_in_step(talk)
    db.session.commit()
    return talk


def update_talk(
    talk: Talk,
    user: User,
    cadre: Cadre,
    data: dict[str, Any],
    links: TalkLinks,
    staged_ids: list[int] = (),  # type: ignore[assignment]
) -> Talk:
    """Save edits to a talk, adding the files uploaded along with the form."""
    apply_talk(talk, cadre, data, links)
    attachments.claim(list(staged_ids), OWNER_TYPE, talk.id, user)
    db.session.flush()
    due.keep_in_step(talk)
    db.session.commit()
    return talk


def info_url(info: NegativeInfo) -> str | None:
    """Link to a negative-information item's page, if the negative-information area serves one."""
    try:
        return url_for("negative_info.detail", info_id=info.id)
    except BuildError:
        return None


@dataclass(frozen=True)
class WarningLink:
    """How a talk's page shows its warning: the label, and a link when the user may open it."""

    label: str
    url: str | None = None


def linked_warning_view(talk: Talk, user: User) -> WarningLink | None:
    """Describe the talk's warning for its page; one outside the user's scope is not named."""
    if talk.warning_id is None:
        return None
    stmt = scoped(select(Warning).where(Warning.id == talk.warning_id), Warning, user)
    warning = db.session.scalars(stmt).first()
    if warning is None:
        return WarningLink(_("已关联（无权查看）"))
    url = None
    if user.can(Permission.CADRE_VIEW):  # what the warning page asks for
        try:
            url = url_for("warnings.detail", warning_id=warning.id)
        except BuildError:
            url = None
    return WarningLink(warning_label(warning), url)


def may_read(user: Any) -> bool:
    """Tell whether a user may read talks and inquiries (within scope)."""
    return bool(user and user.is_authenticated and user.can(Permission.REPORT_VIEW))


def talk_entries(cadre: Cadre, *, user: User | None = None, **_kw: object) -> list[TimelineEntry]:
    """Turn the talks with a cadre that the user may see into timeline entries."""
    return [
        TimelineEntry(
            talk_day(talk),
            "talk",
            dict_label("talk_type", talk.talk_type),
            talk.reason[:60],
            url_for("talks.detail", talk_id=talk.id),
        )
        for talk in cadre_talks(cadre, user)
    ]


# What the profile's timeline and 画像 show of a talk: not the record (content, attendees).
TIMELINE_COLUMNS = (
    Talk.started_at,
    Talk.talk_type,
    Talk.occasion,
    Talk.reason,
    Talk.follow_up_on,
)


def cadre_talks(cadre: Cadre, user: User | None) -> list[Talk]:
    """Return the talks with a cadre that the user may see, newest first (read once a request)."""
    if not may_read(user):
        return []

    def load() -> list[Talk]:
        stmt = scoped(select(Talk).where(Talk.cadre_id == cadre.id), Talk, user)
        stmt = stmt.options(load_only(*TIMELINE_COLUMNS)).order_by(
            Talk.started_at.desc(), Talk.id.desc()
        )
        return list(db.session.scalars(stmt))

    # The profile's timeline and its 画像 both list them.
    return request_copy(f"cadre_talks:{cadre.id}:{user.id}", load)


FILES = attachments.OwnerFiles(OWNER_TYPE)
stage_uploads = FILES.stage
staged_files = FILES.staged
files_of = FILES.of
add_files = FILES.add


def _talk_for(user: User, talk_id: int, permission: str) -> Talk | None:
    if not user.can(permission):
        return None
    stmt = scoped(select(Talk).where(Talk.id == talk_id), Talk, user)
    return db.session.scalars(stmt).first()


def _attachment_changed(talk: Talk, user: User, event: str, attachment: Attachment) -> None:
    # Talks keep no history table of their own: the Attachment row is audited already.
    return None


def attachment_owners(_app: object) -> dict[str, attachments.Owner]:
    """Let talks own attachments (answers `signals.attachment_owners`)."""
    return {
        OWNER_TYPE: attachments.Owner(
            viewable=lambda talk_id, user: _talk_for(user, talk_id, Permission.REPORT_VIEW),
            editable=lambda talk_id, user: _talk_for(user, talk_id, Permission.TALK_EDIT),
            on_change=_attachment_changed,
            url=lambda talk: url_for("talks.detail", talk_id=talk.id),
        )
    }
