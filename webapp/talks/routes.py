"""Talk records: list, create (also from a cadre or a negative-information item), edit, detail."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from webapp import cadre_picker, signals
from webapp.attachments.services import allow_large_uploads, max_bytes
from webapp.audit.services import record_access
from webapp.documents.registry import available
from webapp.models import Cadre, Talk, Warning
from webapp.security.permissions import Permission, permission_required
from webapp.security.scope import get_in_scope_or_404
from webapp.talks import services
from webapp.talks.forms import TalkForm, TalkSearchForm, TalkUploadForm

bp = Blueprint("talks", __name__, url_prefix="/talks")

UPLOAD_ENDPOINTS = {"talks.create", "talks.edit", "talks.upload"}
LINK_REFUSED = {
    "negative_info_id": _l("只能关联该干部、且您有权查看的负面信息"),
    "warning_id": _l("只能关联该干部未办结、且您有权查看的预警"),
}
allow_large_uploads(bp, UPLOAD_ENDPOINTS)


def posted_cadre(form: TalkForm, fallback: Cadre | None) -> Cadre | None:
    """Return the cadre a submitted form names; one outside scope answers 404."""
    if form.is_submitted() and form.cadre_id.data:
        return get_in_scope_or_404(Cadre, form.cadre_id.data, current_user)
    return fallback


def build_form(cadre: Cadre | None, talk: Talk | None = None, **kwargs) -> TalkForm:
    """Build the talk form with the cadre and the records it may link to loaded."""
    form = TalkForm(obj=talk, **kwargs)
    cadre = posted_cadre(form, cadre)
    blank = _("请选择")
    return form.fill_choices(
        cadre_picker.cadre_choices(current_user, cadre, blank),
        services.info_choices(current_user, cadre),
        services.warning_choices(current_user, cadre, talk.warning_id if talk else None),
    )


def keep_uploads(form: TalkForm) -> bool:
    """Stage the acceptable files of a submitted form; put refusals beside the file field."""
    files = request.files.getlist(form.attachments.name)
    ids, errors = services.stage_uploads(files, current_user)
    if ids:
        form.staged_ids.data = ",".join(str(i) for i in [*form.staged(), *ids])
    form.attachments.errors = [*form.attachments.errors, *errors]
    return not errors


def save(form: TalkForm, talk: Talk | None):
    """Validate and save the form; return the talk or None when the form has errors."""
    if not form.is_submitted():
        return None
    valid = form.validate_on_submit()
    # After validation, which would clear the file field's errors; the good files are
    # staged either way so that they need not be picked again.
    if not keep_uploads(form) or not valid:
        return None
    cadre = get_in_scope_or_404(Cadre, form.cadre_id.data, current_user)
    try:
        links = services.resolve_links(
            current_user, cadre, form.negative_info_id.data, form.warning_id.data, talk
        )
    except services.LinkRefused as refused:
        form[refused.field].errors.append(LINK_REFUSED[refused.field])
        return None
    data = {**form.data, "interviewers": form.interviewer_list()}
    if talk is None:
        return services.create_talk(current_user, cadre, data, links, form.staged())
    return services.update_talk(talk, current_user, cadre, data, links, form.staged())


def form_page(form: TalkForm, talk: Talk | None, info=None):
    """Render the talk form; a submitted form shown again answers 400."""
    return render_template(
        "talks/form.html",
        form=form,
        talk=talk,
        info=info,
        staged=services.staged_files(form.staged(), current_user),
        files=services.files_of(talk) if talk else [],
        max_mb=max_bytes() // (1024 * 1024),
    ), (400 if form.is_submitted() else 200)


def detail_page(talk: Talk, upload_form: TalkUploadForm | None = None, status: int = 200):
    """Render a talk's page with its files and documents."""
    can_edit = current_user.can(Permission.TALK_EDIT)
    return render_template(
        "talks/detail.html",
        talk=talk,
        info_url=services.info_url(talk.negative_info) if talk.negative_info else None,
        warning=services.linked_warning_view(talk, current_user),
        documents_available=available(talk),
        files=services.files_of(talk),
        can_edit=can_edit,
        upload_form=upload_form or (TalkUploadForm() if can_edit else None),
        max_mb=max_bytes() // (1024 * 1024),
        sections=list(signals.answers(signals.talk_sections, talk, user=current_user)),
    ), status


@bp.route("/")
@permission_required(Permission.REPORT_VIEW)
def index():
    """List the talks in the user's scope, filtered and paginated."""
    form = TalkSearchForm(request.args).fill_choices(current_user)
    page = services.list_talks(current_user, form.filters(), request.args)
    return render_template("talks/index.html", form=form, page=page)


@bp.route("/new", methods=["GET", "POST"])
@permission_required(Permission.TALK_EDIT)
def create():
    """Record a talk, optionally for a given cadre or about a negative-information item."""
    cadre, info, warning = None, None, None
    if info_id := request.args.get("negative_info_id", type=int):
        info = services.info_in_scope(current_user, info_id)
        if info is None:
            abort(404)
        cadre = info.cadre
    elif warning_id := request.args.get("warning_id", type=int):
        warning = get_in_scope_or_404(Warning, warning_id, current_user)
        cadre = warning.cadre
    elif cadre_id := request.args.get("cadre_id", type=int):
        cadre = get_in_scope_or_404(Cadre, cadre_id, current_user)
    prefill = {
        "cadre_id": cadre.id if cadre else 0,
        "negative_info_id": info.id if info else 0,
        "warning_id": warning.id if warning else 0,
    }
    form = build_form(cadre, data=prefill)
    if talk := save(form, None):
        flash(_("已保存谈话记录：%(name)s", name=talk.cadre_name), "success")
        return redirect(url_for("talks.detail", talk_id=talk.id))
    return form_page(form, None, info)


@bp.route("/<int:talk_id>")
@permission_required(Permission.REPORT_VIEW)
def detail(talk_id: int):
    """Show a talk record."""
    talk = get_in_scope_or_404(Talk, talk_id, current_user)
    record_access("Talk", talk.id)
    return detail_page(talk)


@bp.route("/<int:talk_id>/edit", methods=["GET", "POST"])
@permission_required(Permission.TALK_EDIT)
def edit(talk_id: int):
    """Edit a talk record."""
    talk = get_in_scope_or_404(Talk, talk_id, current_user)
    form = build_form(talk.cadre, talk)
    if save(form, talk):
        flash(_("已保存。"), "success")
        return redirect(url_for("talks.detail", talk_id=talk.id))
    return form_page(form, talk)


@bp.route("/<int:talk_id>/attachments", methods=["POST"])
@permission_required(Permission.TALK_EDIT)
def upload(talk_id: int):
    """Add files to a talk; refused files are named, accepted ones kept."""
    talk = get_in_scope_or_404(Talk, talk_id, current_user)
    form = TalkUploadForm()
    if not form.validate_on_submit():
        return detail_page(talk, form, 400)
    count, errors = services.add_files(talk, current_user, form.attachments.data)
    if count:
        flash(_("已上传 %(n)s 个附件。", n=count), "success")
    for error in errors:
        flash(error, "danger")
    return redirect(url_for("talks.detail", talk_id=talk.id) + "#attachments")


@bp.route("/cadres.json")
@permission_required(Permission.TALK_EDIT)
def cadre_search():
    """Return in-scope cadres whose name or unit matches ?q=, for the cadre picker."""
    q = (request.args.get("q") or "")[:50]
    return jsonify(cadre_picker.as_json(cadre_picker.search_in_scope(current_user, q)))
