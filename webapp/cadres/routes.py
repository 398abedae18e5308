"""Roster, profile, create/edit and career events."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.audit.services import record_access
from webapp.cadres.forms import CadreEventForm, CadreForm, CadreSearchForm
from webapp.cadres.portrait import cadre_portrait
from webapp.cadres.services import (
    add_event,
    create_cadre,
    duplicate_groups,
    profile_sections,
    reveal_id_number,
    search_cadres,
    timeline_view,
    update_cadre,
)
from webapp.clock import org_today
from webapp.models import Cadre
from webapp.security.permissions import Permission, permission_required
from webapp.security.scope import get_in_scope_or_404
from webapp.units import unit_choices

bp = Blueprint("cadres", __name__, url_prefix="/cadres")


@bp.route("/")
@permission_required(Permission.CADRE_VIEW)
def index():
    """List the cadres in the user's scope, filtered and paginated."""
    form = CadreSearchForm(request.args).fill_choices(current_user)
    page = search_cadres(current_user, form.filters(), request.args)
    return render_template("cadres/index.html", form=form, page=page)


@bp.route("/new", methods=["GET", "POST"])
@permission_required(Permission.CADRE_EDIT)
def create():
    """Register a new cadre."""
    form = CadreForm(user=current_user).fill_choices(unit_choices(current_user))
    if form.validate_on_submit():
        cadre = create_cadre(current_user, form.data)
        flash(_("已新增干部：%(name)s", name=cadre.name), "success")
        return redirect(url_for("cadres.profile", cadre_id=cadre.id))
    return render_template("cadres/form.html", form=form, cadre=None)


@bp.route("/<int:cadre_id>")
@permission_required(Permission.CADRE_VIEW)
def profile(cadre_id: int):
    """Show a cadre's profile and timeline."""
    cadre = get_in_scope_or_404(Cadre, cadre_id, current_user)
    event_form = (
        CadreEventForm().fill_choices() if current_user.can(Permission.CADRE_EDIT) else None
    )
    return profile_page(cadre, event_form)


def profile_page(cadre: Cadre, event_form: CadreEventForm | None, **extra):
    """Render the profile: basic data, the 画像, other areas' panels and the timeline; log it."""
    page = render_template(
        "cadres/profile.html",
        cadre=cadre,
        timeline=timeline_view(cadre, current_user, show_all=request.args.get("timeline") == "all"),
        portrait=cadre_portrait(cadre, current_user, org_today()),
        sections=profile_sections(cadre, current_user),
        event_form=event_form,
        **extra,
    )
    # Logged once the page is built: the log's commit expires what the session loaded, and
    # the page would read the cadre, its unit, its events and the user again.
    record_access("Cadre", cadre.id)
    return page


@bp.route("/<int:cadre_id>/id-number", methods=["POST"])
@permission_required(Permission.CADRE_EDIT)
def show_id_number(cadre_id: int):
    """Show a cadre's full ID number once, on the profile, and log that it was seen."""
    cadre = get_in_scope_or_404(Cadre, cadre_id, current_user)
    full = reveal_id_number(cadre)
    return profile_page(cadre, CadreEventForm().fill_choices(), revealed_id_number=full)


@bp.route("/duplicates")
@permission_required(Permission.CADRE_EDIT)
def duplicates():
    """List the cadres in scope registered twice under one ID number (重复登记)."""
    return render_template("cadres/duplicates.html", groups=duplicate_groups(current_user))


@bp.route("/<int:cadre_id>/edit", methods=["GET", "POST"])
@permission_required(Permission.CADRE_EDIT)
def edit(cadre_id: int):
    """Edit a cadre's basic data."""
    cadre = get_in_scope_or_404(Cadre, cadre_id, current_user)
    form = CadreForm(obj=cadre, user=current_user, cadre_id=cadre.id).fill_choices(
        unit_choices(current_user)
    )
    # The page never carries the number: blank on the form, the stored one kept when left blank.
    kept = form.keep_id_number(cadre.id_number) if form.is_submitted() else True
    if form.validate_on_submit():
        update_cadre(cadre, form.data)
        flash(_("已保存。"), "success")
        return redirect(url_for("cadres.profile", cadre_id=cadre.id))
    if kept:
        form.id_number.data = ""
    return render_template("cadres/form.html", form=form, cadre=cadre)


@bp.route("/<int:cadre_id>/events", methods=["POST"])
@permission_required(Permission.CADRE_EDIT)
def add_cadre_event(cadre_id: int):
    """Record a career event (appointment, transfer, youth class, award, sanction)."""
    cadre = get_in_scope_or_404(Cadre, cadre_id, current_user)
    form = CadreEventForm().fill_choices()
    if form.validate_on_submit():
        add_event(cadre, current_user, form.data)
        flash(_("已添加干部事件。"), "success")
        return redirect(url_for("cadres.profile", cadre_id=cadre.id) + "#timeline")
    return profile_page(cadre, form), 400
