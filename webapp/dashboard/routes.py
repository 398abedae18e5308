"""The 晴雨表 page and the 驾驶舱 large screen."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from webapp.clock import org_today
from webapp.dashboard.figures import dashboard
from webapp.dashboard.focus import focus_for
from webapp.security.permissions import Permission, permission_required

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


@bp.route("/screen")
@permission_required(Permission.DASHBOARD_VIEW)
def screen():
    """Show the 驾驶舱: the same figures on one read-only screen that refreshes itself."""
    focus = focus_for(current_user, request.args.get("unit", type=int))
    board = dashboard(current_user, focus, org_today())
    return render_template("dashboard/screen.html", board=board, refresh=SCREEN_REFRESH_SECONDS)
