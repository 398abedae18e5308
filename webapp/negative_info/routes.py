"""Register (台账), intake form, detail and verification; the liaison's submission pages."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.attachments.services import allow_large_uploads, max_bytes
from webapp.audit.services import record_access
from webapp.clock import org_today
from webapp.lookups import param_int
from webapp.models import Cadre
from webapp.negative_info import queries, records, sealing, services, verification
from webapp.negative_info.forms import (
    LiaisonForm,
    LinkDuplicateForm,
    RegisterFilterForm,
    ReportForm,
    RevealSourceForm,
    UploadForm,
)
from webapp.negative_info.records import ReportError
from webapp.negative_info.verification_forms import ConcludeForm, ReopenForm, StartVerificationForm
from webapp.security.permissions import Permission, permission_required
from webapp.security.scope import get_in_scope_or_404

bp = Blueprint("negative_info", __name__, url_prefix="/negative-info")

UPLOAD_ENDPOINTS = {
    "negative_info.create",
    "negative_info.edit",
    "negative_info.upload",
    "negative_info.submit",
}
allow_large_uploads(bp, UPLOAD_ENDPOINTS)


@bp.context_processor
def report_helpers():
    """Give the templates the badge colours and the limits they mention."""
    return {
        "status_colour": records.status_colour,
        "summary_max": param_int("report.summary_max_chars"),
        "param_days": param_int("report.duplicate_window_days"),
    }


def _keep_uploads(form) -> bool:
    """Stage the acceptable files of a submitted form; put refusals beside the file field."""
    ids, errors = services.stage_uploads(request.files.getlist(form.attachments.name), current_user)
    if ids:
        form.staged_ids.data = ",".join(str(i) for i in [*form.staged(), *ids])
    form.attachments.errors = [*form.attachments.errors, *errors]
    return not errors


def _form_page(form, info=None, duplicates=(), status=200):
    staged = services.staged_files(form.staged(), current_user)
    cadre = form.cadre or (info.cadre if info else None)
    return render_template(
        "negative_info/form.html",
        form=form,
        info=info,
        cadre=cadre,
        duplicates=duplicates,
        staged=staged,
        max_mb=max_bytes() // (1024 * 1024),
    ), status


@bp.route("/")
@permission_required(Permission.REPORT_VIEW)
def index():
    """List the negative information in the user's scope (负面信息台账)."""
    form = RegisterFilterForm(request.args).fill_choices(current_user)
    page = queries.search_register(current_user, form.filters(), request.args)
    return render_template(
        "negative_info/index.html", form=form, page=page, lights=queries.lights_for(page.items)
    )


@bp.route("/queue")
@permission_required(Permission.REPORT_VIEW)
def queue():
    """Open the register on the items waiting for verification (待核实)."""
    return redirect(url_for("negative_info.index", status="pending"))


@bp.route("/cadres.json")
@permission_required(Permission.REPORT_EDIT)
def cadre_search():
    """Find cadres in the user's scope by name or unit (the form's cadre picker)."""
    return jsonify(queries.pick_cadres(current_user, request.args.get("q", "")))


@bp.route("/new", methods=["GET", "POST"])
@permission_required(Permission.REPORT_EDIT)
def create():
    """Register an item; possible duplicates are shown first, to link or to continue."""
    form = ReportForm(user=current_user).fill_choices()
    if not form.is_submitted():
        form.received_on.data = org_today()
        cadre_id = request.args.get("cadre_id", type=int)
        if cadre_id:
            form.cadre = get_in_scope_or_404(Cadre, cadre_id, current_user)
            form.cadre_id.data = form.cadre.id
        return _form_page(form)
    valid = form.validate()
    valid = _keep_uploads(form) and valid
    if not valid:
        return _form_page(form, status=400)
    duplicates = queries.possible_duplicates(
        current_user, form.cadre.id, form.situation.data, form.occurred_on.data
    )
    decision = form.duplicate_decision.data
    if duplicates and decision not in ("link", "continue"):
        return _form_page(form, duplicates=duplicates)
    if decision == "link" and not form.duplicate_of.data:
        form.duplicate_of.errors = [_("请选择要关联的信息")]
        return _form_page(form, duplicates=duplicates, status=400)
    try:
        info = services.create_report(
            current_user,
            form.cadre,
            form.report_values(),
            form.staged(),
            form.duplicate_of.data if decision == "link" else None,
        )
    except ReportError as exc:
        flash(str(exc), "danger")
        return _form_page(form, duplicates=duplicates, status=400)
    flash(_("已登记负面信息 %(number)s。", number=info.number), "success")
    return redirect(url_for("negative_info.detail", info_id=info.id))


@bp.route("/<int:info_id>")
@permission_required(Permission.REPORT_VIEW)
def detail(info_id: int):
    """Show an item, its verification, attachments and history."""
    info = queries.get_report_or_404(current_user, info_id)
    record_access("NegativeInfo", info.id)
    return _detail_page(info)


def _detail_page(info, status=200, **forms):
    can_edit = current_user.can(Permission.REPORT_EDIT)
    events = verification.available_events(info) if can_edit else []
    version = str(info.version)
    if can_edit:
        forms.setdefault(
            "start_form",
            StartVerificationForm(
                user=current_user,
                info=info,
                data={"handler_id": current_user.id, "version": version},
            ),
        )
        forms.setdefault("conclude_form", ConcludeForm(info=info, data={"version": version}))
        forms.setdefault("reopen_form", ReopenForm(data={"version": version}))
        forms.setdefault("upload_form", UploadForm())
    duplicates = [
        d
        for d in queries.possible_duplicates(
            current_user, info.cadre_id, info.situation, info.occurred_on, info.id
        )
        if d.id != info.duplicate_of_id
    ]
    return render_template(
        "negative_info/detail.html",
        info=info,
        sections=services.page_sections(info, current_user),
        events=events,
        can_edit=can_edit,
        files=services.files_of(info),
        duplicates=duplicates,
        light=queries.deadline_light(info),
        field_labels=records.FIELD_LABELS,
        event_labels=records.EVENT_LABELS,
        max_mb=max_bytes() // (1024 * 1024),
        sealed=sealing.sealed_fields(info),
        reveal_form=(
            forms.pop("reveal_form", None) or RevealSourceForm()
            if current_user.can(Permission.VIEW_SOURCE_IDENTITY)
            else None
        ),
        **forms,
    ), status


@bp.route("/<int:info_id>/source-identity", methods=["POST"])
@permission_required(Permission.REPORT_VIEW, Permission.VIEW_SOURCE_IDENTITY)
def reveal_source(info_id: int):
    """Show who reported an item, once, after a reason is given; log the reveal."""
    info = queries.get_report_or_404(current_user, info_id)
    form = RevealSourceForm()
    if not form.validate_on_submit():
        return _detail_page(info, 400, reveal_form=form)
    return _detail_page(info, revealed=sealing.reveal_source(info, form.reason.data))


@bp.route("/<int:info_id>/edit", methods=["GET", "POST"])
@permission_required(Permission.REPORT_EDIT)
def edit(info_id: int):
    """Edit an item's facts (its number and verification are changed elsewhere)."""
    info = queries.get_report_or_404(current_user, info_id)
    form = ReportForm(obj=info, user=current_user, info=info).fill_choices()
    hidden = sealing.hidden_in_form(info)
    if not form.is_submitted():
        form.version.data = str(info.version)
        form.cadre_id.data = info.cadre_id
        return _form_page(sealing.blank_hidden(form, info, hidden), info)
    valid = form.validate()
    valid = _keep_uploads(form) and valid
    if not valid:
        return _form_page(sealing.blank_hidden(form, info, hidden), info, status=400)
    try:
        services.update_report(
            info,
            current_user,
            form.cadre,
            sealing.keep_hidden(form.report_values(), info, hidden),
            form.version_number(),
            form.staged(),
        )
    except ReportError as exc:
        flash(str(exc), "danger")
        return _form_page(sealing.blank_hidden(form, info, hidden), info, status=409)
    flash(_("已保存。"), "success")
    return redirect(url_for("negative_info.detail", info_id=info.id))


@bp.route("/<int:info_id>/start", methods=["POST"])
@permission_required(Permission.REPORT_EDIT)
def start(info_id: int):
    """Start verification: handler and deadline (working days by source)."""
    info = queries.get_report_or_404(current_user, info_id)
    form = StartVerificationForm(user=current_user, info=info)
    if not form.validate_on_submit():
        return _detail_page(info, 400, start_form=form)
    try:
        verification.start_verification(
            info,
            current_user,
            form.handler_id.data,
            _version(form),
            cadre=form.cadre,
            note=form.note.data or "",
            started_on=form.start_date(),
        )
    except ReportError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("negative_info.detail", info_id=info.id))
    flash(_("已开始核实，核实期限 %(due)s。", due=info.verification_due.isoformat()), "success")
    return redirect(url_for("negative_info.detail", info_id=info.id))


@bp.route("/<int:info_id>/conclude", methods=["POST"])
@permission_required(Permission.REPORT_EDIT)
def conclude(info_id: int):
    """Record the verification's conclusion."""
    info = queries.get_report_or_404(current_user, info_id)
    form = ConcludeForm(info=info)
    if not form.validate_on_submit():
        return _detail_page(info, 400, conclude_form=form)
    try:
        verification.conclude_verification(
            info,
            current_user,
            form.conclusion.data,
            form.concluded_on.data,
            form.note.data or "",
            _version(form),
        )
    except ReportError as exc:
        flash(str(exc), "danger")
        return _detail_page(info, 400, conclude_form=form)
    flash(_("核实已办结。"), "success")
    return redirect(url_for("negative_info.detail", info_id=info.id))


@bp.route("/<int:info_id>/reopen", methods=["POST"])
@permission_required(Permission.REPORT_EDIT)
def reopen(info_id: int):
    """Send a concluded item back to verification, with the reason."""
    info = queries.get_report_or_404(current_user, info_id)
    form = ReopenForm()
    if not form.validate_on_submit():
        return _detail_page(info, 400, reopen_form=form)
    try:
        verification.reopen_verification(info, current_user, form.reason.data, _version(form))
    except ReportError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("negative_info.detail", info_id=info.id))
    flash(_("已重新进入核实。"), "success")
    return redirect(url_for("negative_info.detail", info_id=info.id))


@bp.route("/<int:info_id>/duplicate", methods=["POST"])
@permission_required(Permission.REPORT_EDIT)
def link_duplicate(info_id: int):
    """Link the item to a possible duplicate, or clear the link."""
    info = queries.get_report_or_404(current_user, info_id)
    form = LinkDuplicateForm()
    if form.validate_on_submit():
        try:
            services.link_duplicate(info, current_user, form.other_id.data, _version(form))
            flash(_("已保存重复关联。"), "success")
        except ReportError as exc:
            flash(str(exc), "danger")
    return redirect(url_for("negative_info.detail", info_id=info.id))


@bp.route("/<int:info_id>/attachments", methods=["POST"])
@permission_required(Permission.REPORT_EDIT)
def upload(info_id: int):
    """Add files to an item; refused files are named, accepted ones kept."""
    info = queries.get_report_or_404(current_user, info_id)
    form = UploadForm()
    if not form.validate_on_submit():
        return _detail_page(info, 400, upload_form=form)
    count, errors = services.add_files(info, current_user, form.attachments.data)
    if count:
        flash(_("已上传 %(n)s 个附件。", n=count), "success")
    for error in errors:
        flash(error, "danger")
    return redirect(url_for("negative_info.detail", info_id=info.id) + "#attachments")


def _version(form) -> int | None:
    return int(form.version.data) if (form.version.data or "").isdigit() else None


# ---------------------------------------------------------------- liaison (报送)


@bp.route("/submit", methods=["GET", "POST"])
@permission_required(Permission.REPORT_SUBMIT)
def submit():
    """Let a liaison report negative information (it lands in the 待核实 queue)."""
    form = LiaisonForm().fill_choices()
    if not form.is_submitted():
        return _liaison_page(form)
    valid = form.validate()
    valid = _keep_uploads(form) and valid
    if not valid:
        return _liaison_page(form, 400)
    info = services.submit_liaison_report(
        current_user,
        form.cadre_name.data,
        form.cadre_unit_id.data,
        form.cadre_position.data or "",
        form.report_values(),
        form.staged(),
    )
    flash(_("已报送，编号 %(number)s。", number=info.number), "success")
    return redirect(url_for("negative_info.submission", info_id=info.id))


def _liaison_page(form, status=200):
    return render_template(
        "negative_info/liaison_form.html",
        form=form,
        staged=services.staged_files(form.staged(), current_user),
        max_mb=max_bytes() // (1024 * 1024),
    ), status


@bp.route("/mine")
@permission_required(Permission.REPORT_SUBMIT)
def mine():
    """List the liaison's own submissions."""
    page = queries.liaison_submissions(current_user, request.args.get("page", 1, type=int))
    return render_template("negative_info/mine.html", page=page)


@bp.route("/mine/<int:info_id>")
@permission_required(Permission.REPORT_SUBMIT)
def submission(info_id: int):
    """Show one of the liaison's own submissions."""
    info = queries.own_submission_or_404(current_user, info_id)
    return render_template(
        "negative_info/submission.html", info=info, files=services.files_of(info)
    )
