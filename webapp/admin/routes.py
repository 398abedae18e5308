"""Sysadmin pages: users, units, dictionaries and parameters."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from webapp.admin import services
from webapp.admin.forms import (
    SCOPE_LABELS,
    DictItemForm,
    ParameterForm,
    ResetPasswordForm,
    RoleChainParameterForm,
    RoleSetParameterForm,
    UnitForm,
    UserForm,
)
from webapp.clock import utc_now
from webapp.extensions import db
from webapp.lookups import dict_items
from webapp.models import DictItem, DictType, OrgUnit, Parameter, User
from webapp.parameters import value_type_of
from webapp.security.permissions import Permission, permission_required
from webapp.units import ordered_units, unit_choices

bp = Blueprint("admin", __name__, url_prefix="/admin")


def get_or_404(model, ident: int):
    """Load a row by id or answer 404."""
    return db.get_or_404(model, ident)


def user_form(user: User | None = None) -> UserForm:
    """Build a user form with its choices loaded."""
    form = UserForm(obj=user, user_id=user.id if user else None)
    if user is not None and not form.is_submitted():
        form.scope_unit_ids.data = [u.id for u in user.scope_units]
        form.data_scope.data = user.data_scope.value
    form.role_id.choices = services.role_choices()
    form.unit_id.choices = unit_choices()
    form.scope_unit_ids.choices = unit_choices()
    return form


@bp.route("/users")
@permission_required(Permission.USER_MANAGE)
def users():
    """List users."""
    page = services.list_users(
        request.args.get("page", 1, type=int), current_app.config["PAGE_SIZE"]
    )
    return render_template("admin/users.html", page=page, scope_labels=SCOPE_LABELS, now=utc_now())


@bp.route("/users/new", methods=["GET", "POST"])
@permission_required(Permission.USER_MANAGE)
def user_create():
    """Create a user."""
    form = user_form()
    if form.validate_on_submit():
        user, password = services.create_user(form.data)
        flash(
            _(
                "已创建用户 %(u)s，初始密码：%(p)s（首次登录须修改）",
                u=user.username,
                p=password,
            ),
            "success",
        )
        return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@permission_required(Permission.USER_MANAGE)
def user_edit(user_id: int):
    """Edit a user; the username stays fixed."""
    user = get_or_404(User, user_id)
    form = user_form(user)
    form.username.data = user.username
    if form.validate_on_submit():
        services.update_user(user, form.data)
        flash(_("已保存。"), "success")
        return redirect(url_for("admin.users"))
    return render_template(
        "admin/user_form.html", form=form, user=user, reset_form=ResetPasswordForm()
    )


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@permission_required(Permission.USER_MANAGE)
def user_reset_password(user_id: int):
    """Reset a user's password and unlock the account."""
    user = get_or_404(User, user_id)
    reset_form = ResetPasswordForm()
    if reset_form.validate_on_submit():
        services.reset_password(user, reset_form.password.data)
        flash(_("已重置 %(u)s 的密码，首次登录须修改。", u=user.username), "success")
        return redirect(url_for("admin.users"))
    return render_template(
        "admin/user_form.html", form=user_form(user), user=user, reset_form=reset_form
    ), 400


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
    return render_template("admin/dictionary.html", dict_type=get_or_404(DictType, type_id))


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
    return render_template("admin/parameters.html", rows=services.parameter_rows())


@bp.route("/parameters/<int:param_id>", methods=["GET", "POST"])
@permission_required(Permission.PARAM_MANAGE)
def parameter_edit(param_id: int):
    """Edit a parameter's value."""
    parameter = get_or_404(Parameter, param_id)
    kind = value_type_of(parameter.key, parameter.value_type)
    form = parameter_form(parameter, kind)
    if form.validate_on_submit():
        services.save_parameter(parameter, form.value_text())
        flash(_("已保存。"), "success")
        return redirect(url_for("admin.parameters"))
    return render_template("admin/parameter_form.html", form=form, parameter=parameter, kind=kind)


def parameter_form(parameter: Parameter, kind: str):
    """Build the form that edits a parameter of this kind, filled from its stored value."""
    if kind == "roles":
        codes = services.split_codes(parameter.value)
        return RoleSetParameterForm(data={"roles": codes}, options=services.role_options(kind))
    if kind == "role_chain":
        codes = services.split_codes(parameter.value)
        return RoleChainParameterForm(data={"steps": codes}, options=services.role_options(kind))
    return ParameterForm(obj=parameter, parameter=parameter)
