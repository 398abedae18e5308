"""Excel pages: templates, upload and preview, confirm, progress, and register exports."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.cadres.export import export_cadres
from webapp.cadres.forms import CadreSearchForm
from webapp.clock import org_today
from webapp.downloads import content_disposition
from webapp.imports import jobs, runner
from webapp.imports.cadres import CADRES
from webapp.imports.context import ImportContext
from webapp.imports.forms import ConfirmForm, UploadForm
from webapp.imports.template import build_template
from webapp.negative_info.export import export_register
from webapp.negative_info.forms import RegisterFilterForm
from webapp.security.permissions import Permission, permission_required
from webapp.spreadsheets.export import XLSX, send_export

bp = Blueprint("imports", __name__, url_prefix="/excel")


def import_kinds(_app: object) -> list:
    """Offer the roster for import (answers `signals.import_kinds`)."""
    return [CADRES]


# Where a finished import leads back to, per kind.
BACK = {"cadres": "cadres.index", "negative-info": "negative_info.index"}


def allowed_spec(kind: str):
    """Return the spec of a kind the current user may import, else 404/403."""
    spec = jobs.spec_for(kind)
    if not current_user.can(spec.permission):
        abort(403)
    return spec


@bp.route("/<kind>/import", methods=["GET", "POST"])
@login_required
def upload(kind: str):
    """Show the upload form; take a file and check it (preview)."""
    spec = allowed_spec(kind)
    form = UploadForm()
    if form.validate_on_submit():
        job = jobs.create_job(current_user, spec, form.file.data, form.update_existing.data)
        runner.start_validation(job)
        return redirect(url_for("imports.job", token=job.token))
    return render_template("imports/upload.html", form=form, spec=spec), (
        400 if form.errors else 200
    )


@bp.route("/<kind>/template")
@login_required
def template(kind: str):
    """Download the import template (下载模板) with the headers and dropdowns."""
    spec = allowed_spec(kind)
    workbook = build_template(spec, ImportContext(current_user, org_today()))
    response = send_file(workbook, mimetype=XLSX)
    response.headers["Content-Disposition"] = content_disposition(
        f"{spec.title}-导入模板.xlsx", f"{spec.kind}-template.xlsx"
    )
    return response


@bp.route("/jobs/<token>")
@login_required
def job(token: str):
    """Show an import's progress, its errors, or the rows it will write."""
    job = runner.nudge(jobs.check_stale(jobs.own_job_or_404(token, current_user)))
    spec = jobs.spec_for(job.kind)
    return render_template(
        "imports/job.html",
        job=job,
        spec=spec,
        form=ConfirmForm(),
        back=BACK.get(job.kind),
        errors_by_row=group_errors(job.errors),
    )


def group_errors(errors: list[list]) -> list[tuple[int, list[tuple[str, str]]]]:
    """Group [row, column, message] triples by row, in row order."""
    grouped: dict[int, list[tuple[str, str]]] = {}
    for row, column, message in errors:
        grouped.setdefault(row, []).append((column, message))
    return sorted(grouped.items())


@bp.route("/jobs/<token>/status")
@login_required
def status(token: str):
    """Answer the job's state and progress for the page's poller (JSON)."""
    job = runner.nudge(jobs.check_stale(jobs.own_job_or_404(token, current_user)))
    if job.running and job.queued_at is not None:
        text = _("排队等待中：其他导入正在处理，稍后自动开始")
    elif job.state == "validating":
        text = _("正在检查：已读取 %(n)s 行", n=job.processed_rows)
    elif job.state == "importing":
        text = (
            _("正在写入：%(n)s / %(t)s 行", n=job.processed_rows, t=job.total_rows)
            if job.processed_rows
            else _("正在写入数据库……")
        )
    else:
        text = ""
    return jsonify(
        state=job.state,
        running=job.running,
        processed=job.processed_rows,
        total=job.total_rows,
        text=text,
    )


@bp.route("/jobs/<token>/confirm", methods=["POST"])
@login_required
def confirm(token: str):
    """Write a previewed file (确认导入): all rows in one transaction, or none."""
    job = jobs.own_job_or_404(token, current_user)
    allowed_spec(job.kind)
    if ConfirmForm().validate_on_submit() and jobs.claim_for_import(job):
        runner.start_import(job)
    return redirect(url_for("imports.job", token=job.token))


@bp.route("/jobs/<token>/cancel", methods=["POST"])
@login_required
def cancel(token: str):
    """Drop a previewed file without writing anything."""
    job = jobs.own_job_or_404(token, current_user)
    if ConfirmForm().validate_on_submit():
        jobs.cancel_job(job)
        flash(_("已取消导入，没有写入任何数据。"), "info")
    return redirect(url_for("imports.upload", kind=job.kind))


@bp.route("/cadres/export")
@permission_required(Permission.CADRE_EXPORT)
def export_roster():
    """Export the roster (导出) as filtered on its page, within the user's scope."""
    filters = CadreSearchForm(request.args).fill_choices(current_user).filters()
    return send_export(
        lambda target: export_cadres(current_user, filters, target), "干部信息", "cadres"
    )


@bp.route("/negative-info/export")
@permission_required(Permission.REPORT_VIEW, Permission.CADRE_EXPORT)
def export_negative_info():
    """Export the negative-information register (导出) as filtered, within the user's scope."""
    filters = RegisterFilterForm(request.args).fill_choices(current_user).filters()
    return send_export(
        lambda target: export_register(current_user, filters, target),
        "负面信息台账",
        "negative-info",
    )
