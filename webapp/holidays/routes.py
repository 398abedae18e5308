"""The holiday maintenance page (节假日维护): the State Council schedule for later years."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.clock import org_today
from webapp.extensions import db
from webapp.holidays import services
from webapp.holidays.forms import ActionForm, HolidayBulkForm, HolidayDayForm
from webapp.models import HolidayDay
from webapp.security.permissions import Permission, permission_required

bp = Blueprint("holidays", __name__, url_prefix="/admin/holidays")

MIN_YEAR, MAX_YEAR = 2000, 2100


@bp.app_context_processor
def reminder():
    """Offer the November reminder banner to every page (shown to those who maintain it)."""

    def holiday_reminder_year() -> int | None:
        if not (current_user.is_authenticated and current_user.can(Permission.PARAM_MANAGE)):
            return None
        return services.reminder_year(org_today())

    return {"holiday_reminder_year": holiday_reminder_year}


def checked_year(year: int) -> int:
    """Refuse a year far outside any schedule (404)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        abort(404)
    return year


def flash_recomputed(changed: int) -> None:
    """Say how many stored deadlines the change moved or confirmed."""
    flash(_("已保存。已重新计算 %(n)s 个待确认的期限。", n=changed), "success")


@bp.route("/")
@permission_required(Permission.PARAM_MANAGE)
def index():
    """List the years: package data, entered days, complete or provisional."""
    today = org_today()
    return render_template(
        "holidays/index.html", statuses=services.year_statuses(today), today=today
    )


@bp.route("/go")
@permission_required(Permission.PARAM_MANAGE)
def go():
    """Open the page of a year typed in the box."""
    year = request.args.get("year", type=int) or org_today().year + 1
    return redirect(url_for("holidays.year", year=checked_year(year)))


def year_page(year: int, day_form=None, bulk_form=None, bulk_errors=(), status=200):
    """Render one year's page with its forms."""
    statuses = {s.year: s for s in services.year_statuses(org_today())}
    status_of_year = statuses.get(year) or services.YearStatus(
        year, services.package_knows_year(year), False, 0, 0
    )
    return render_template(
        "holidays/year.html",
        year=year,
        status=status_of_year,
        days=services.days_of_year(year),
        day_form=day_form or HolidayDayForm(),
        bulk_form=bulk_form or HolidayBulkForm(),
        bulk_errors=bulk_errors,
        action_form=ActionForm(),
        weekday=services.weekday_label,
    ), status


@bp.route("/<int:year>")
@permission_required(Permission.PARAM_MANAGE)
def year(year: int):
    """Show a year's entered days and the forms to change them."""
    return year_page(checked_year(year))


@bp.route("/<int:year>/days", methods=["POST"])
@permission_required(Permission.PARAM_MANAGE)
def add_day(year: int):
    """Add (or correct) one day."""
    checked_year(year)
    form = HolidayDayForm()
    if form.validate_on_submit():
        entry = services.DayEntry(form.day.data, form.kind.data == "workday", form.name.data or "")
        problem = services.entry_problem(entry, year)
        if problem is None:
            services.save_entries([entry])
            flash_recomputed(services.apply_changes())
            return redirect(url_for("holidays.year", year=year))
        form.day.errors.append(problem)
    return year_page(year, day_form=form, status=400)


@bp.route("/<int:year>/bulk", methods=["POST"])
@permission_required(Permission.PARAM_MANAGE)
def bulk(year: int):
    """Save pasted lines, all or none; optionally mark the year complete."""
    checked_year(year)
    form = HolidayBulkForm()
    if not form.validate_on_submit():
        return year_page(year, bulk_form=form, status=400)
    entries, errors = services.parse_schedule(form.lines.data, year)
    if errors:
        return year_page(year, bulk_form=form, bulk_errors=errors, status=400)
    added, updated = services.save_entries(entries)
    if form.mark_complete.data and not services.package_knows_year(year):
        try:
            services.set_complete(year, True)
        except services.HolidayError as exc:
            db.session.rollback()
            return year_page(year, bulk_form=form, bulk_errors=[str(exc)], status=400)
    changed = services.apply_changes()
    flash(_("已新增 %(a)s 天，更新 %(u)s 天。", a=added, u=updated), "success")
    flash_recomputed(changed)
    return redirect(url_for("holidays.year", year=year))


@bp.route("/days/<int:day_id>/delete", methods=["POST"])
@permission_required(Permission.PARAM_MANAGE)
def delete_day(day_id: int):
    """Remove one entered day."""
    day = db.get_or_404(HolidayDay, day_id)
    year = day.day.year
    if ActionForm().validate_on_submit():
        services.delete_day(day)
        flash_recomputed(services.apply_changes())
    return redirect(url_for("holidays.year", year=year))


@bp.route("/<int:year>/complete", methods=["POST"])
@permission_required(Permission.PARAM_MANAGE)
def complete(year: int):
    """Mark a year's schedule as fully entered, or (complete=0) take the mark back."""
    checked_year(year)
    if ActionForm().validate_on_submit():
        try:
            services.set_complete(year, request.form.get("complete", "1") == "1")
        except services.HolidayError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            flash_recomputed(services.apply_changes())
    return redirect(url_for("holidays.year", year=year))
