"""研判会商 pages: the meeting list, a meeting's agenda, decisions and minutes, the three lists."""

from __future__ import annotations

from datetime import timedelta
from itertools import groupby
from operator import attrgetter

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from webapp.audit.reads import query_filters
from webapp.audit.services import record_access
from webapp.cadres.portrait import portrait_text
from webapp.clock import org_today
from webapp.documents.layout import to_bytes
from webapp.documents.services import send_docx
from webapp.extensions import db
from webapp.forms_common import int_or_zero
from webapp.i18n import translate
from webapp.main.links import SUBJECT_PAGES
from webapp.meetings import export, series, services
from webapp.meetings.agenda import SECTION_LABELS, Section
from webapp.meetings.forms import (
    CorrectionForm,
    DecisionForm,
    ListForm,
    MeetingFilterForm,
    MinutesForm,
    SeriesForm,
)
from webapp.meetings.kinds import DECISION_RECORDS, decision_label, kind_label
from webapp.meetings.lists import LIST_LABELS, ListQuery, from_snapshot, produce
from webapp.meetings.queries import (
    line_counts,
    linkable_records,
    load_lines,
    next_meeting,
    search_meetings,
)
from webapp.meetings.services import DecisionInput, MeetingError, MinutesInput
from webapp.models import OrgUnit
from webapp.models.meetings import ListSnapshot, Meeting
from webapp.negative_info.records import ReportError
from webapp.security.permissions import Permission, permission_required
from webapp.security.scope import get_in_scope_or_404
from webapp.spreadsheets.export import send_export
from webapp.units import unit_choices, unit_in_scope
from webapp.warnings.errors import WorkflowError
from workflows.tiers import Tier

bp = Blueprint("meetings", __name__, url_prefix="/meetings")

# The form that writes the record a decision asks for (prefilled with the cadre).
NEW_RECORD = {"inquiry": "inquiries.create", "talk": "talks.create"}
VIEW = Permission.REPORT_VIEW
ACT = Permission.WARNING_PROPOSE


def record_form_url(decision) -> str:
    """Return the form that writes the record a decision asks for, prefilled from its line.

    A negative-information line opens the form about that item (both forms accept it), a
    warning line opens the talk form about the warning; otherwise the cadre alone is given.
    The record is linked back to the decision from the meeting page once it is saved.
    """
    item = decision.agenda_item
    args = {"cadre_id": item.cadre_id}
    if item.subject_type == "negative_info":
        args = {"negative_info_id": item.subject_id}
    elif item.subject_type == "warning" and decision.record_type == "talk":
        args = {"warning_id": item.subject_id}
    return url_for(NEW_RECORD[decision.record_type], **args)


@bp.app_context_processor
def helpers():
    """Give the meetings' templates their label helpers."""
    return {
        "meeting_kind_label": kind_label,
        "section_label": lambda code: SECTION_LABELS[Section(code)],
        "portrait_text": portrait_text,
        "subject_pages": SUBJECT_PAGES,
        "record_form_url": record_form_url,
        "list_labels": LIST_LABELS,
        # For the workbench's include of meetings/_next.html.
        "next_meeting": lambda: next_meeting(current_user) if current_user.can(VIEW) else None,
        "decision_label": decision_label,
        "tier_label": lambda tier: translate(Tier(tier).label),
    }


@bp.route("/")
@permission_required(VIEW)
def index():
    """List the meetings in the user's scope by kind, status and date."""
    form = MeetingFilterForm(request.args).fill()
    form.validate()
    # The access row commits: logged first, so the page's meetings are not expired by it.
    record_access("Meeting", "", "list", query_filters())
    page = search_meetings(current_user, form, request.args.get("page", 1, type=int))
    counts = line_counts(page.items)
    return render_template("meetings/index.html", form=form, page=page, counts=counts)


def _detail(meeting: Meeting, status: int = 200, decision_form: DecisionForm | None = None):
    meeting = load_lines(meeting)
    minutes = MinutesForm(opinions=meeting.opinions)
    minutes.present.choices = [(a.id, a.name) for a in meeting.attendees]
    minutes.present.data = [a.id for a in meeting.attendees if a.present]
    links = {
        d.id: linkable_records(d, current_user)
        for d in meeting.decisions
        if d.kind in DECISION_RECORDS
        and d.record_type in NEW_RECORD
        and not d.corrects_id
        and services.linked_record_id(d) is None
    }
    return (
        render_template(
            "meetings/detail.html",
            meeting=meeting,
            minutes=minutes,
            decision_form=decision_form or DecisionForm().fill(),
            correction_form=CorrectionForm(),
            links=links,
            # The agenda is stored in section order: group consecutive lines, keeping it.
            sections=[(k, list(g)) for k, g in groupby(meeting.agenda, key=attrgetter("section"))],
            snapshots=db.session.scalars(
                sa.select(ListSnapshot).where(ListSnapshot.meeting_id == meeting.id)
            ).all(),
        ),
        status,
    )


@bp.route("/<int:meeting_id>")
@permission_required(VIEW)
def detail(meeting_id: int):
    """Show a meeting: agenda by section, decisions per line, minutes."""
    meeting = get_in_scope_or_404(Meeting, meeting_id, current_user)
    record_access("Meeting", meeting.id)
    return _detail(meeting)


def _back(meeting_id: int, anchor: str = ""):
    return redirect(url_for("meetings.detail", meeting_id=meeting_id, _anchor=anchor or None))


def _refused(exc: Exception, meeting_id: int):
    flash(getattr(exc, "message", str(exc)), "error")
    return _back(meeting_id)


@bp.route("/<int:meeting_id>/start", methods=["POST"])
@permission_required(ACT)
def start(meeting_id: int):
    """Open the meeting (进行中)."""
    try:
        services.start(meeting_id, current_user)
    except MeetingError as exc:
        return _refused(exc, meeting_id)
    flash(_("会议已开始"), "success")
    return _back(meeting_id)


@bp.route("/<int:meeting_id>/refresh", methods=["POST"])
@permission_required(ACT)
def refresh(meeting_id: int):
    """Rebuild the agenda from today's records (刷新议程)."""
    try:
        count = services.refresh_agenda(meeting_id, current_user)
    except MeetingError as exc:
        return _refused(exc, meeting_id)
    flash(_("议程已刷新，共 %(n)s 项", n=count), "success")
    return _back(meeting_id)


@bp.route("/<int:meeting_id>/minutes", methods=["POST"])
@permission_required(ACT)
def minutes(meeting_id: int):
    """Save who was present and the opinions."""
    meeting = get_in_scope_or_404(Meeting, meeting_id, current_user)
    form = MinutesForm()
    form.present.choices = [(a.id, a.name) for a in meeting.attendees]
    if not form.validate():
        flash(_("纪要未保存，请检查填写内容"), "error")
        return _back(meeting_id, "minutes")
    given = MinutesInput(form.opinions.data or "", frozenset(form.present.data or ()))
    try:
        services.save_minutes(meeting_id, given, current_user)
    except MeetingError as exc:
        return _refused(exc, meeting_id)
    flash(_("会议纪要已保存"), "success")
    return _back(meeting_id, "minutes")


@bp.route("/<int:meeting_id>/items/<int:item_id>/decide", methods=["POST"])
@permission_required(ACT)
def decide(meeting_id: int, item_id: int):
    """Record a decision on an agenda line; a workflow decision fires its event."""
    meeting = get_in_scope_or_404(Meeting, meeting_id, current_user)
    form = DecisionForm().fill()
    if not form.validate():
        flash(_("决定未保存，请检查填写内容"), "error")
        return _back(meeting.id, f"item-{item_id}")
    given = DecisionInput(
        kind=form.kind.data,
        note=form.note.data or "",
        tier=int(form.tier.data) if form.tier.data else None,
        receiving_organ=form.receiving_organ.data or "",
        document_number=form.document_number.data or "",
    )
    try:
        decision = services.record_decision(meeting.id, item_id, given, current_user)
    except (MeetingError, WorkflowError, ReportError) as exc:
        return _refused(exc, meeting_id)
    flash(_("决定已记录"), "success")
    record = DECISION_RECORDS.get(decision.kind)
    if record in NEW_RECORD:
        # The record is written on its own form, prefilled from the line; linked back after.
        return redirect(record_form_url(decision))
    return _back(meeting.id, f"item-{item_id}")


@bp.route("/decisions/<int:decision_id>/link", methods=["POST"])
@permission_required(ACT)
def link(decision_id: int):
    """Link the talk or inquiry written for a decision."""
    record_id = int_or_zero(request.form.get("record_id"))
    try:
        decision = services.link_record(decision_id, record_id, current_user)
    except MeetingError as exc:
        flash(exc.message, "error")
        return redirect(request.referrer or url_for("meetings.index"))
    flash(_("已关联记录"), "success")
    return _back(decision.meeting_id)


@bp.route("/<int:meeting_id>/correct", methods=["POST"])
@permission_required(ACT)
def correct(meeting_id: int):
    """Add a correction to a closed meeting's decision."""
    form = CorrectionForm()
    if not form.validate():
        flash(_("请写明更正内容"), "error")
        return _back(meeting_id)
    try:
        services.correct(meeting_id, int(form.decision_id.data or 0), form.note.data, current_user)
    except MeetingError as exc:
        return _refused(exc, meeting_id)
    flash(_("更正已记录"), "success")
    return _back(meeting_id)


@bp.route("/<int:meeting_id>/close", methods=["POST"])
@permission_required(ACT)
def close(meeting_id: int):
    """End the meeting: the minutes freeze."""
    try:
        services.close(meeting_id, current_user)
    except MeetingError as exc:
        return _refused(exc, meeting_id)
    flash(_("会议已结束，纪要已冻结"), "success")
    return _back(meeting_id)


@bp.route("/<int:meeting_id>/minutes.docx")
@permission_required(VIEW)
def minutes_docx(meeting_id: int):
    """Download the 会议纪要 as Word."""
    meeting = get_in_scope_or_404(Meeting, meeting_id, current_user)
    data = to_bytes(export.minutes_document(meeting))
    name = f"会议纪要-{meeting.number}-{meeting.held_on.isoformat()}.docx"
    export.log_download("Meeting", meeting.id, name)
    return send_docx(data, name, f"minutes-{meeting.number}.docx")


@bp.route("/<int:meeting_id>/decisions.xlsx")
@permission_required(VIEW, Permission.CADRE_EXPORT)
def decisions_xlsx(meeting_id: int):
    """Download the meeting's decisions as Excel."""
    meeting = get_in_scope_or_404(Meeting, meeting_id, current_user)
    return send_export(
        lambda target: export.export_decisions(meeting, target),
        f"决定事项-{meeting.number}",
        f"decisions-{meeting.number}",
    )


def _list_query(form: ListForm) -> ListQuery | None:
    if not form.validate():
        return None
    unit = db.session.get(OrgUnit, form.unit_id.data)
    if unit is None or not unit_in_scope(current_user, unit):
        return None
    return ListQuery(unit, form.start.data, form.end.data)


def _list_form() -> ListForm:
    today = org_today()
    data = request.args.to_dict()
    data.setdefault("kind", "problems")
    data.setdefault("start", (today - timedelta(days=90)).isoformat())
    data.setdefault("end", today.isoformat())
    units = unit_choices(current_user)
    if units:
        data.setdefault("unit_id", str(units[0][0]))
    return ListForm(formdata=MultiDict(data)).fill(units)


def _describe(q: ListQuery) -> str:
    return f"{q.unit.name} {q.start.isoformat()}至{q.end.isoformat()}"


@bp.route("/lists")
@permission_required(VIEW)
def lists():
    """Show one of the three lists for a unit and period in the user's scope."""
    form = _list_form()
    q = _list_query(form)
    produced = produce(form.kind.data, q, current_user) if q else None
    if q:
        record_access("MeetingList", form.kind.data, "list", _describe(q))
    return render_template("meetings/lists.html", form=form, produced=produced, labels=LIST_LABELS)


@bp.route("/lists/export.<fmt>")
@permission_required(VIEW, Permission.CADRE_EXPORT)
def lists_export(fmt: str):
    """Download a list as Excel (xlsx) or Word (docx)."""
    form = _list_form()
    q = _list_query(form)
    if q is None or fmt not in ("xlsx", "docx"):
        abort(404)
    produced = produce(form.kind.data, q, current_user)
    return _send_list(produced, _describe(q), fmt)


def _send_list(produced, describe: str, fmt: str):
    if fmt == "xlsx":
        return send_export(
            lambda target: export.export_list(produced, describe, target),
            produced.label,
            produced.kind,
        )
    data = to_bytes(export.list_document(produced, describe))
    name = f"{produced.label}-{org_today().isoformat()}.docx"
    export.log_download("MeetingList", produced.kind, f"{name}（{describe}）")
    return send_docx(data, name, f"{produced.kind}.docx")


@bp.route("/<int:meeting_id>/lists/<kind>.<fmt>")
@permission_required(VIEW, Permission.CADRE_EXPORT)
def snapshot_export(meeting_id: int, kind: str, fmt: str):
    """Download a list as frozen when the quarterly review closed."""
    meeting = get_in_scope_or_404(Meeting, meeting_id, current_user)
    snapshot = db.session.scalars(
        sa.select(ListSnapshot).where(
            ListSnapshot.meeting_id == meeting.id, ListSnapshot.list_kind == kind
        )
    ).first()
    if snapshot is None or fmt not in ("xlsx", "docx"):
        abort(404)
    describe = (
        f"{meeting.number} {snapshot.period_start.isoformat()}至{snapshot.period_end.isoformat()}"
    )
    return _send_list(from_snapshot(snapshot), describe, fmt)


def _series_form(formdata=None, obj=None) -> SeriesForm:
    people = [(u.id, f"{u.full_name}（{u.unit.name}）") for u in series.case_people()]
    form = SeriesForm(formdata=formdata, obj=obj) if formdata is not None else SeriesForm(obj=obj)
    return form.fill(unit_choices(current_user), people)


@bp.route("/series", methods=["GET", "POST"])
@permission_required(Permission.WARNING_REVIEW)
def series_list():
    """List and set the meeting series (会议设置): kind, unit, secretary, attendees."""
    form = _series_form()
    if form.validate_on_submit():
        given = series.SeriesInput(
            form.kind.data,
            form.unit_id.data,
            form.secretary_id.data,
            tuple(form.attendees.data or ()),
            bool(form.active.data),
        )
        try:
            series.save_series(current_user, given)
        except MeetingError as exc:
            flash(exc.message, "error")
        else:
            flash(_("会议设置已保存"), "success")
            return redirect(url_for("meetings.series_list"))
    rows = series.series_in_scope(current_user)
    return render_template("meetings/series.html", form=form, rows=rows)
