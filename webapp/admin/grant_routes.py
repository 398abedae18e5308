"""The security admin's 授权 pages: roles and data scope, unlock, password reset."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.admin import grants, services
from webapp.admin.forms import SCOPE_LABELS, ResetPasswordForm
from webapp.admin.grant_forms import GrantForm, UnlockForm
from webapp.admin.routes import bp, get_or_404
from webapp.auth import two_factor
from webapp.auth.forms import ResetTwoFactorForm
from webapp.clock import utc_now
from webapp.models import User
from webapp.security.permissions import Permission, permission_required
from webapp.units import unit_choices


def grant_form(user: User) -> GrantForm:
    """Build the 授权 form for an account, filled from what it holds."""
    form = GrantForm(obj=user, actor=current_user, user=user)
    if not form.is_submitted():
        form.scope_unit_ids.data = [u.id for u in user.scope_units]
        form.data_scope.data = user.data_scope.value
    form.role_id.choices = services.role_choices(user)
    form.unit_id.choices = unit_choices()
    form.scope_unit_ids.choices = unit_choices()
    return form


def grant_page(user: User, form: GrantForm, reset_form: ResetPasswordForm, status: int = 200):
    """Render the 授权 page of an account."""
    page = render_template(
        "admin/grant_form.html",
        form=form,
        user=user,
        reset_form=reset_form,
        unlock_form=UnlockForm(),
        two_factor_form=ResetTwoFactorForm(),
        two_factor_on=two_factor.enabled(user.id),
        own=user.id == current_user.id,
        roleless_logins=grants.logins_to_check(user),
        now=utc_now(),
    )
    return page, status


def audit_link() -> str:
    """Return where an auditor reads the account changes."""
    return url_for("audit.operations", object_type="User")


@bp.route("/grants")
@permission_required(Permission.ROLE_GRANT)
def grants_list():
    """List accounts with their roles and scopes."""
    page = services.list_users(
        request.args.get("page", 1, type=int), current_app.config["PAGE_SIZE"]
    )
    return render_template(
        "admin/users.html",
        page=page,
        scope_labels=SCOPE_LABELS,
        now=utc_now(),
        edit_endpoint="admin.grant_edit",
        editable={u.id for u in page.items if u.id != current_user.id},
        title=_("授权管理"),
    )


@bp.route("/grants/<int:user_id>", methods=["GET", "POST"])
@permission_required(Permission.ROLE_GRANT)
def grant_edit(user_id: int):
    """Grant or revoke an account's role and data scope."""
    user = get_or_404(User, user_id)
    form = grant_form(user)
    if form.validate_on_submit():
        if grants.apply_grant(current_user, user, form.grant(), audit_link()):
            flash(_("已保存授权，已通知安全审计员。"), "success")
        else:
            flash(_("授权未变化。"), "info")
        return redirect(url_for("admin.grants_list"))
    return grant_page(user, form, ResetPasswordForm(), 400 if form.is_submitted() else 200)


@bp.route("/grants/<int:user_id>/password", methods=["POST"])
@permission_required(Permission.PASSWORD_RESET)
def grant_reset_password(user_id: int):
    """Reset an account's password to a generated one (changed at next login) and unlock it."""
    user = get_or_404(User, user_id)
    if grants.self_change_problem(current_user, user):
        abort(403)
    reset_form = ResetPasswordForm()
    if reset_form.validate_on_submit():
        password = grants.reset_password(current_user, user, audit_link())
        # Shown once in this response, never flashed: a flash would carry it in the cookie.
        return render_template("admin/password_reset.html", user=user, password=password)
    return grant_page(user, grant_form(user), reset_form, 400)


@bp.route("/grants/<int:user_id>/unlock", methods=["POST"])
@permission_required(Permission.PASSWORD_RESET)
def grant_unlock(user_id: int):
    """Clear an account's lock."""
    user = get_or_404(User, user_id)
    if grants.self_change_problem(current_user, user):
        abort(403)
    if UnlockForm().validate_on_submit():
        grants.unlock(current_user, user)
        flash(_("已解除 %(u)s 的锁定。", u=user.username), "success")
    return redirect(url_for("admin.grant_edit", user_id=user.id))
