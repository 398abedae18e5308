"""The 晴雨表 page and the 驾驶舱 large screen."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from webapp.clock import org_today
from webapp.dashboard.export import export_units
from webapp.dashboard.figures import dashboard, unit_board
from webapp.dashboard.focus import focus_for
from webapp.security.permissions import Permission, permission_required
from webapp.spreadsheets.export import send_export

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

# The 驾驶舱 reloads itself this often (a plain meta refresh: no script to run on the wall).
SCREEN_REFRESH_SECONDS = 300


@bp.route("/")
@permission_required(Permission.DASHBOARD_VIEW)
def index():
    """Show the 晴雨表 of the user's scope, or of a unit drilled into."""
    focus = focus_for(current_user, request.args.get("unit", type=int))
    board = dashboard(current_user, focus, org_today())
    return render_template("dashboard/index.html", board=board)


@bp.route("/units.xlsx")
@permission_required(Permission.DASHBOARD_VIEW, Permission.CADRE_EXPORT)
def export():
    """Download the per-unit table of the 晴雨表 as Excel (audited)."""
    focus = focus_for(current_user, request.args.get("unit", type=int))
    board = unit_board(current_user, focus, org_today())
    return send_export(lambda target: export_units(board, target), "晴雨表分单位统计", "barometer")


@bp.route("/screen")
@permission_required(Permission.DASHBOARD_VIEW)
def screen():
    """Show the 驾驶舱: the same figures on one read-only screen that refreshes itself."""
    focus = focus_for(current_user, request.args.get("unit", type=int))
    board = dashboard(current_user, focus, org_today())
    return render_template("dashboard/screen.html", board=board, refresh=SCREEN_REFRESH_SECONDS)
