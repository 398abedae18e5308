"""Sysadmin pages: users, units, dictionaries and parameters."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from webapp.admin import services
from webapp.admin.forms import (
    COLOUR_LABELS,
    SCOPE_LABELS,
    TIER_LABELS,
    DictItemForm,
    IdentityForm,
    JobSetParameterForm,
    ParameterForm,
    RoleChainParameterForm,
    RoleSetParameterForm,
    UnitForm,
)
from webapp.clock import utc_now
from webapp.extensions import db
from webapp.lookups import dict_items
from webapp.models import DictItem, DictType, OrgUnit, Parameter, User
from webapp.security.permissions import Permission, permission_required
from webapp.units import ordered_units, unit_choices

bp = Blueprint("admin", __name__, url_prefix="/admin")


def get_or_404(model, ident: int):
    """Load a row by id or answer 404."""
    return db.get_or_404(model, ident)


def identity_form(user: User | None = None) -> IdentityForm:
    """Build the identity form; without the unit once the account holds a role."""
    form = IdentityForm(obj=user, user_id=user.id if user else None)
    if services.unit_is_identity(user):
        form.unit_id.choices = unit_choices()
    else:
        del form.unit_id
    return form


def editable_user_or_403(user_id: int) -> User:
    """Load an account the system admin may edit; the other two admins' answer 403."""
    user = get_or_404(User, user_id)
    if not services.sysadmin_may_edit(user):
        abort(403)
    return user


@bp.route("/users")
@permission_required(Permission.USER_MANAGE)
def users():
    """List users."""
    page = services.list_users(
        request.args.get("page", 1, type=int), current_app.config["PAGE_SIZE"]
    )
    editable = {u.id for u in page.items if services.sysadmin_may_edit(u)}
    return render_template(
        "admin/users.html",
        page=page,
        scope_labels=SCOPE_LABELS,
        now=utc_now(),
        edit_endpoint="admin.user_edit",
        editable=editable,
        title=_("用户管理"),
    )


@bp.route("/users/new", methods=["GET", "POST"])
@permission_required(Permission.USER_MANAGE)
def user_create():
    """Create an account with no role (the security admin grants one)."""
    form = identity_form()
    if form.validate_on_submit():
        user, password = services.create_user(form.data)
        # Shown once in this response, never flashed: a flash would carry it in the cookie.
        return render_template("admin/user_created.html", user=user, password=password)
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@permission_required(Permission.USER_MANAGE)
def user_edit(user_id: int):
    """Edit an account's identity; the username stays fixed, role and scope are not here."""
    user = editable_user_or_403(user_id)
    form = identity_form(user)
    form.username.data = user.username
    if form.validate_on_submit():
        services.update_identity(user, form.data)
        flash(_("已保存。"), "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.route("/units")
@permission_required(Permission.UNIT_MANAGE)
def units():
    """Show the unit tree."""
    return render_template("admin/units.html", units=ordered_units(active_only=False))


def unit_page(unit: OrgUnit | None):
    """Create or edit a unit."""
    form = UnitForm(obj=unit, unit_id=unit.id if unit else None)
    form.parent_id.choices = [(0, _("（无，顶级部门）")), *services.parent_choices(unit)]
    if form.validate_on_submit():
        services.save_unit(unit, form.data)
        flash(_("已保存。"), "success")
        return redirect(url_for("admin.units"))
    return render_template("admin/unit_form.html", form=form, unit=unit)


@bp.route("/units/new", methods=["GET", "POST"])
@permission_required(Permission.UNIT_MANAGE)
def unit_create():
    """Create a unit."""
    return unit_page(None)


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@permission_required(Permission.UNIT_MANAGE)
def unit_edit(unit_id: int):
    """Edit a unit."""
    return unit_page(get_or_404(OrgUnit, unit_id))


@bp.route("/dictionaries")
@permission_required(Permission.DICT_MANAGE)
def dictionaries():
    """List the dictionaries."""
    return render_template("admin/dictionaries.html", types=services.dict_types())


def item_page(dict_type: DictType, item: DictItem | None):
    """Create or edit a dictionary item."""
    form = DictItemForm(obj=item, dict_type=dict_type, item_id=item.id if item else None)
    if item is not None and not form.is_submitted():
        form.default_tier.data = (item.extra or {}).get("default_tier", 0)
    parents = (
        [(i.id, i.label) for i in dict_items("negative_category", active_only=False)]
        if dict_type.code == "negative_situation"
        else []
    )
    form.parent_id.choices = [(0, _("无")), *parents]
    if form.validate_on_submit():
        services.save_dict_item(dict_type, item, form.data)
        flash(_("已保存。"), "success")
        return redirect(url_for("admin.dictionary", type_id=dict_type.id))
    return render_template("admin/dict_item_form.html", form=form, dict_type=dict_type, item=item)


@bp.route("/dictionaries/<int:type_id>")
@permission_required(Permission.DICT_MANAGE)
def dictionary(type_id: int):
    """List the items of one dictionary."""
    dict_type = get_or_404(DictType, type_id)
    return render_template(
        "admin/dictionary.html",
        dict_type=dict_type,
        parents=services.parent_labels(dict_type),
        colour_labels=COLOUR_LABELS,
        tier_labels=TIER_LABELS,
    )


@bp.route("/dictionaries/<int:type_id>/new", methods=["GET", "POST"])
@permission_required(Permission.DICT_MANAGE)
def dict_item_create(type_id: int):
    """Add an item to a dictionary."""
    return item_page(get_or_404(DictType, type_id), None)


@bp.route("/dictionaries/<int:type_id>/<int:item_id>", methods=["GET", "POST"])
@permission_required(Permission.DICT_MANAGE)
def dict_item_edit(type_id: int, item_id: int):
    """Edit a dictionary item."""
    dict_type = get_or_404(DictType, type_id)
    item = get_or_404(DictItem, item_id)
    if item.dict_type_id != dict_type.id:
        return render_template("errors/error.html", code=404), 404
    return item_page(dict_type, item)


@bp.route("/parameters")
@permission_required(Permission.PARAM_MANAGE)
def parameters():
    """List the parameters."""
    return render_template("admin/parameters.html", groups=services.parameter_groups())


@bp.route("/parameters/<int:param_id>", methods=["GET", "POST"])
@permission_required(Permission.PARAM_MANAGE)
def parameter_edit(param_id: int):
    """Edit a parameter's value."""
    parameter = get_or_404(Parameter, param_id)
    row = services.parameter_row(parameter, services.role_names())
    form = parameter_form(parameter, row.kind)
    if form.validate_on_submit():
        services.save_parameter(parameter, form.value_text())
        flash(_("已保存。"), "success")
        return redirect(url_for("admin.parameters"))
    return render_template("admin/parameter_form.html", form=form, row=row)


def parameter_form(parameter: Parameter, kind: str):
    """Build the form that edits a parameter of this kind, filled from its stored value."""
    if kind == "roles":
        codes = services.split_codes(parameter.value)
        return RoleSetParameterForm(
            data={"roles": codes}, options=services.role_options(kind, parameter.key)
        )
    if kind == "role_chain":
        codes = services.split_codes(parameter.value)
        options = services.role_options(kind, parameter.key)
        return RoleChainParameterForm(data={"steps": codes}, options=options)
    if kind == "jobs":
        codes = services.split_codes(parameter.value)
        return JobSetParameterForm(data={"jobs": codes}, options=services.job_options())
    return ParameterForm(obj=parameter, parameter=parameter, kind=kind)
