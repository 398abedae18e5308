"""Download Word documents filled from talks and inquiries; write a stand-alone 提醒函."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp import cadre_picker
from webapp.clock import org_today
from webapp.documents import services
from webapp.documents.forms import ReminderLetterForm
from webapp.documents.registry import DOCUMENTS
from webapp.models import Cadre
from webapp.security.permissions import Permission, permission_required
from webapp.security.scope import get_in_scope_or_404

bp = Blueprint("documents", __name__, url_prefix="/documents")


@bp.route("/<code>/<int:record_id>.docx")
@permission_required(Permission.REPORT_VIEW)
def download(code: str, record_id: int):
    """Send a document filled from a record in the user's scope (otherwise 404)."""
    spec = DOCUMENTS.get(code)
    if spec is None:
        abort(404)
    record = get_in_scope_or_404(spec.model, record_id, current_user)
    if not spec.applies(record):
        abort(404)
    return services.download(spec, record)


@bp.route("/reminder-letter", methods=["GET", "POST"])
@permission_required(Permission.TALK_EDIT)
def reminder_letter():
    """Write a reminder letter (书面提醒) to a cadre in scope and download it."""
    cadre = None
    if cadre_id := request.args.get("cadre_id", 0, type=int):
        cadre = get_in_scope_or_404(Cadre, cadre_id, current_user)
    form = ReminderLetterForm(data={"cadre_id": cadre.id if cadre else 0, "issued_on": org_today()})
    if form.is_submitted() and form.cadre_id.data:
        cadre = get_in_scope_or_404(Cadre, form.cadre_id.data, current_user)
    form.cadre_id.choices = cadre_picker.cadre_choices(current_user, cadre, _("请选择"))
    if form.validate_on_submit():
        return services.download_reminder_letter(
            cadre, form.matters.data, form.requirements.data or "", form.issued_on.data
        )
    status = 400 if form.is_submitted() else 200
    return render_template("documents/reminder_letter.html", form=form), status
