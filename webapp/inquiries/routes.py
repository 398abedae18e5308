"""Inquiries: list, issue (also for a given cadre), edit, detail with reply and conclusion."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import cadre_picker
from webapp.audit.services import record_access
from webapp.clock import org_today
from webapp.documents.registry import available
from webapp.inquiries import services
from webapp.inquiries.forms import ConclusionForm, InquiryForm, InquirySearchForm, ReplyForm
from webapp.lookups import param_int
from webapp.models import Cadre, Inquiry, NegativeInfo
from webapp.security.permissions import Permission, permission_required
from webapp.security.scope import get_in_scope_or_404

bp = Blueprint("inquiries", __name__, url_prefix="/inquiries")


def build_form(
    cadre: Cadre | None,
    previous: Inquiry | None = None,
    inquiry: Inquiry | None = None,
    **kwargs,
) -> InquiryForm:
    """Build the letter form with the cadre picker loaded; a posted cadre outside scope: 404."""
    form = InquiryForm(previous=previous, inquiry=inquiry, **kwargs)
    if form.is_submitted() and form.cadre_id.data:
        cadre = get_in_scope_or_404(Cadre, form.cadre_id.data, current_user)
    form.cadre_id.choices = cadre_picker.cadre_choices(current_user, cadre, _("请选择"))
    return form


def render_form(
    form: InquiryForm, inquiry: Inquiry | None, status: int, about: NegativeInfo | None = None
):
    """Render the letter form (`about`: the negative information it looks into)."""
    return render_template(
        "inquiries/form.html",
        form=form,
        inquiry=inquiry,
        about=about or (inquiry.negative_info if inquiry else None),
        reply_workdays=param_int("inquiry.reply_workdays"),
    ), status


def render_detail(inquiry: Inquiry, reply_form=None, conclusion_form=None, status: int = 200):
    """Render the detail page with its reply and conclusion forms."""
    can_edit = current_user.can(Permission.TALK_EDIT)
    if can_edit:
        reply_form = reply_form or ReplyForm(obj=inquiry, inquiry=inquiry, formdata=None)
        conclusion_form = conclusion_form or ConclusionForm(
            obj=inquiry, inquiry=inquiry, formdata=None
        )
        conclusion_form.fill_choices()
        if not inquiry.concluded_on and not conclusion_form.concluded_on.data:
            conclusion_form.concluded_on.data = org_today()
    return render_template(
        "inquiries/detail.html",
        inquiry=inquiry,
        light=services.reply_light(inquiry),
        reply_form=reply_form if can_edit else None,
        conclusion_form=conclusion_form if can_edit else None,
        documents_available=available(inquiry),
        event_labels=services.EVENT_LABELS,
    ), status


@bp.route("/")
@permission_required(Permission.REPORT_VIEW)
def index():
    """List the inquiries in the user's scope, filtered and paginated."""
    form = InquirySearchForm(request.args).fill_choices(current_user)
    filters = services.InquiryFilters()
    if form.validate():
        filters = services.InquiryFilters(
            form.q.data or "",
            form.status.data or "",
            form.conclusion.data or "",
            form.date_from.data,
            form.date_to.data,
            form.unit_id.data or 0,
        )
    page = services.list_inquiries(current_user, filters, request.args)
    lights = services.reply_lights(page.items)
    return render_template("inquiries/index.html", form=form, page=page, lights=lights)


@bp.route("/new", methods=["GET", "POST"])
@permission_required(Permission.TALK_EDIT)
def create():
    """Issue an inquiry letter, optionally for a given cadre."""
    cadre, info = None, None
    if info_id := request.args.get("negative_info_id", type=int):
        info = get_in_scope_or_404(NegativeInfo, info_id, current_user)
        cadre = info.cadre
    elif cadre_id := request.args.get("cadre_id", type=int):
        cadre = get_in_scope_or_404(Cadre, cadre_id, current_user)
    form = build_form(cadre, data={"cadre_id": cadre.id if cadre else 0, "issued_on": org_today()})
    if form.validate_on_submit():
        cadre = get_in_scope_or_404(Cadre, form.cadre_id.data, current_user)
        inquiry = services.create_inquiry(current_user, cadre, form.data, about=info)
        flash(_("已登记函询：%(name)s", name=inquiry.cadre_name), "success")
        return redirect(url_for("inquiries.detail", inquiry_id=inquiry.id))
    status = 400 if form.is_submitted() else 200
    return render_form(form, None, status, about=info)


@bp.route("/<int:inquiry_id>")
@permission_required(Permission.REPORT_VIEW)
def detail(inquiry_id: int):
    """Show an inquiry with its deadline light, reply and conclusion."""
    inquiry = get_in_scope_or_404(Inquiry, inquiry_id, current_user)
    record_access("Inquiry", inquiry.id)
    return render_detail(inquiry)


@bp.route("/<int:inquiry_id>/edit", methods=["GET", "POST"])
@permission_required(Permission.TALK_EDIT)
def edit(inquiry_id: int):
    """Edit the letter: cadre, matters, issue date (a new date recounts the deadline)."""
    inquiry = get_in_scope_or_404(Inquiry, inquiry_id, current_user)
    form = build_form(inquiry.cadre, previous=inquiry.previous, inquiry=inquiry, obj=inquiry)
    if form.validate_on_submit():
        cadre = get_in_scope_or_404(Cadre, form.cadre_id.data, current_user)
        services.update_inquiry(inquiry, cadre, form.data)
        flash(_("已保存。"), "success")
        return redirect(url_for("inquiries.detail", inquiry_id=inquiry.id))
    status = 400 if form.is_submitted() else 200
    return render_form(form, inquiry, status)


@bp.route("/<int:inquiry_id>/reply", methods=["POST"])
@permission_required(Permission.TALK_EDIT)
def reply(inquiry_id: int):
    """Record the cadre's reply and the truthfulness pledge."""
    inquiry = get_in_scope_or_404(Inquiry, inquiry_id, current_user)
    form = ReplyForm(inquiry=inquiry)
    if form.validate_on_submit():
        services.record_reply(inquiry, form.data)
        flash(_("已保存函询回复。"), "success")
        return redirect(url_for("inquiries.detail", inquiry_id=inquiry.id))
    return render_detail(inquiry, reply_form=form, status=400)


@bp.route("/<int:inquiry_id>/conclusion", methods=["POST"])
@permission_required(Permission.TALK_EDIT)
def conclusion(inquiry_id: int):
    """Record the conclusion; 再次函询 opens the next round."""
    inquiry = get_in_scope_or_404(Inquiry, inquiry_id, current_user)
    form = ConclusionForm(inquiry=inquiry).fill_choices()
    if form.validate_on_submit():
        next_round = services.conclude(inquiry, current_user, form.data)
        if next_round is not None:
            flash(
                _(
                    "已开启第 %(n)s 次函询，请核对发函日期和函询事项。",
                    n=next_round.round,
                ),
                "success",
            )
            return redirect(url_for("inquiries.edit", inquiry_id=next_round.id))
        flash(_("已保存采信结论。"), "success")
        return redirect(url_for("inquiries.detail", inquiry_id=inquiry.id))
    return render_detail(inquiry, conclusion_form=form, status=400)
