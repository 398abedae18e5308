"""API client pages: the system admin manages clients and tokens, the security admin grants."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.admin.forms import SCOPE_LABELS
from webapp.api_clients import services
from webapp.api_clients.forms import ButtonForm, ClientForm, ClientGrantForm
from webapp.api_clients.permissions import PERMISSION_LABELS
from webapp.clock import utc_now
from webapp.extensions import db
from webapp.models import ApiClient
from webapp.security.permissions import Permission, permission_required
from webapp.units import unit_choices

bp = Blueprint("api_clients", __name__, url_prefix="/admin/api-clients")


def client_form(client: ApiClient | None = None) -> ClientForm:
    """Build the details form, filled from the client when editing."""
    form = ClientForm(obj=client, client=client)
    if client is not None and not form.is_submitted():
        form.expires_on.data = services.valid_through(client)
    form.owner_unit_id.choices = unit_choices()
    return form


def list_page(grant_view: bool):
    """Render the list of clients, for managing or for granting."""
    return render_template(
        "api_clients/list.html",
        clients=services.list_clients(),
        grant_view=grant_view,
        labels=PERMISSION_LABELS,
        scope_labels=SCOPE_LABELS,
        usable=lambda c: services.usable(c, utc_now()),
        valid_through=services.valid_through,
        button=ButtonForm(),
    )


@bp.route("/")
@permission_required(Permission.USER_MANAGE)
def index():
    """List the API clients (接入系统) with their state and token."""
    return list_page(grant_view=False)


@bp.route("/grants")
@permission_required(Permission.ROLE_GRANT)
def grants():
    """List the API clients for the security admin to grant."""
    return list_page(grant_view=True)


@bp.route("/new", methods=["GET", "POST"])
@permission_required(Permission.USER_MANAGE)
def create():
    """Create an API client; it has no permission until the security admin grants one."""
    form = client_form()
    if form.validate_on_submit():
        client = services.create_client(form.details())
        flash(
            _("已新增接入系统“%(name)s”，请由安全保密管理员授权后签发令牌。", name=client.name),
            "success",
        )
        return redirect(url_for("api_clients.index"))
    return render_template("api_clients/form.html", form=form, client=None), (
        400 if form.is_submitted() else 200
    )


@bp.route("/<int:client_id>", methods=["GET", "POST"])
@permission_required(Permission.USER_MANAGE)
def edit(client_id: int):
    """Edit an API client's name, unit, addresses, expiry and rate limit."""
    client = db.get_or_404(ApiClient, client_id)
    form = client_form(client)
    if form.validate_on_submit():
        try:
            services.update_client(client, form.details(), form.version_number())
        except services.ClientRefused as exc:
            flash(str(exc), "error")
        else:
            flash(_("已保存。"), "success")
            return redirect(url_for("api_clients.index"))
    form.version.data = client.version
    return render_template(
        "api_clients/form.html", form=form, client=client, button=ButtonForm()
    ), (400 if form.is_submitted() else 200)


@bp.route("/<int:client_id>/token", methods=["POST"])
@permission_required(Permission.USER_MANAGE)
def token(client_id: int):
    """Issue or rotate the client's token and show it this once."""
    client = db.get_or_404(ApiClient, client_id)
    if not ButtonForm().validate_on_submit():
        return redirect(url_for("api_clients.edit", client_id=client.id))
    try:
        value = services.issue_token(client)
    except services.ClientRefused as exc:
        flash(str(exc), "error")
        return redirect(url_for("api_clients.index"))
    # Shown once in this response, never flashed: a flash would carry it in the cookie.
    return render_template("api_clients/token.html", client=client, token=value)


@bp.route("/<int:client_id>/revoke", methods=["POST"])
@permission_required(Permission.USER_MANAGE)
def revoke(client_id: int):
    """Revoke a client: its token stops working at once."""
    client = db.get_or_404(ApiClient, client_id)
    if ButtonForm().validate_on_submit():
        services.revoke_client(client)
        flash(_("已吊销接入系统“%(name)s”。", name=client.name), "success")
    return redirect(url_for("api_clients.index"))


@bp.route("/<int:client_id>/grant", methods=["GET", "POST"])
@permission_required(Permission.ROLE_GRANT)
def grant(client_id: int):
    """Grant a client its API permissions and data scope."""
    client = db.get_or_404(ApiClient, client_id)
    form = ClientGrantForm()
    form.scope_unit_ids.choices = unit_choices()
    if not form.is_submitted():
        form.permissions.data = list(client.permissions)
        form.data_scope.data = client.account.data_scope.value
        form.scope_unit_ids.data = [u.id for u in client.account.scope_units]
    if form.validate_on_submit():
        link = url_for("audit.operations", object_type="ApiClient")
        if services.apply_grant(current_user, client, form.grant(), link):
            flash(_("已保存授权，已通知安全审计员。"), "success")
        else:
            flash(_("授权未变化。"), "info")
        return redirect(url_for("api_clients.grants"))
    return render_template("api_clients/grant.html", form=form, client=client), (
        400 if form.is_submitted() else 200
    )
