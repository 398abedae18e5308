"""两步验证: the user's own status, enrolment with a confirmation code, new recovery codes."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.auth import totp
from webapp.auth import two_factor as second_factor
from webapp.auth.forms import CodeForm
from webapp.clock import utc_now
from webapp.settings_self.forms import StartTwoFactorForm
from webapp.settings_self.routes import bp


@bp.route("/two-factor")
@login_required
def two_factor():
    """Show whether two-factor login is on, whether the role requires it, codes left."""
    record = second_factor.record_of(current_user.id)
    return render_template(
        "settings_self/two_factor.html",
        record=record if record is not None and record.confirmed_at else None,
        required=second_factor.required(current_user),
        codes_left=second_factor.unused_recovery_codes(current_user.id),
        start_form=StartTwoFactorForm(),
        code_form=CodeForm(),
    )


@bp.route("/two-factor/start", methods=["POST"])
@login_required
def two_factor_start():
    """Make a new pending secret and go to its QR code."""
    if not StartTwoFactorForm().validate_on_submit():
        abort(400)
    if second_factor.enabled(current_user.id):
        flash(_("两步验证已启用；如需更换设备，请联系安全保密管理员重置。"), "info")
        return redirect(url_for("settings_self.two_factor"))
    second_factor.start_enrolment(current_user, utc_now())
    return redirect(url_for("settings_self.two_factor_enrol"))


@bp.route("/two-factor/enrol", methods=["GET", "POST"])
@login_required
def two_factor_enrol():
    """Show the pending secret (QR and text) and turn it on with a correct code."""
    record = second_factor.pending(current_user)
    if record is None:
        return redirect(url_for("settings_self.two_factor"))
    form = CodeForm()
    if form.validate_on_submit():
        codes = second_factor.confirm_enrolment(current_user, form.code.data, utc_now())
        if codes is not None:
            flash(_("两步验证已启用。"), "success")
            return render_template("settings_self/recovery_codes.html", codes=codes)
        form.code.errors.append(_("动态口令不正确，请核对手机时间后重试。"))
    page = render_template(
        "settings_self/two_factor_enrol.html",
        form=form,
        qr=second_factor.enrolment_qr(current_user, record),
        secret=totp.grouped(record.secret),
    )
    return page, 400 if form.errors else 200


@bp.route("/two-factor/recovery-codes", methods=["POST"])
@login_required
def two_factor_recovery_codes():
    """Replace the recovery codes, after a current code from the authenticator app."""
    form = CodeForm()
    if form.validate_on_submit():
        codes = second_factor.regenerate_recovery_codes(current_user, form.code.data, utc_now())
        if codes is not None:
            flash(_("已生成新的恢复码，原有恢复码全部作废。"), "success")
            return render_template("settings_self/recovery_codes.html", codes=codes)
    flash(_("动态口令不正确，恢复码未更换。"), "danger")
    return redirect(url_for("settings_self.two_factor"))
