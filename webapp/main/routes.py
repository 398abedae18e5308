"""Home page, health check and language switch."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import text

from webapp.auth.routes import safe_next
from webapp.clock import org_today, utc_now
from webapp.dashboard.barometer import barometer
from webapp.extensions import db
from webapp.main.desk import desk_for
from webapp.main.forms import AcknowledgeForm
from webapp.main.todo import Todos, acknowledge_todo, find_todo, lines_of
from webapp.main.todo import todos as todo_list
from webapp.models.obligations import Obligation

bp = Blueprint("main", __name__)
# 我的待办 shows the most urgent lines; the rest are one click away (a province's supervisor
# may answer for thousands, which no one reads on a first screen).
TODO_SHOWN = 20
# 显示全部 pages through them all, this many lines a page: a page a user reads down in one go,
# never the thousands at once (each line carries its own form).
TODO_PAGE_SIZE = 100


@bp.route("/")
@login_required
def index():
    """Show the user's first screen: what waits for them, then their role's overview."""
    return workbench()


def ack_form(obligation: Obligation) -> AcknowledgeForm:
    """Return a to-do line's form (its own prefix, so ids stay unique), showing the plan."""
    return AcknowledgeForm(prefix=f"ack{obligation.id}", planned_on=obligation.acknowledged_plan_on)


def todo_page() -> int | None:
    """Return the page of 显示全部 asked for (None on the first screen)."""
    if request.args.get("todo") != "all":
        return None
    raw = request.args.get("page", "")
    return int(raw) if raw.isdigit() and len(raw) < 7 else 1


def workbench(failed: AcknowledgeForm | None = None, failed_on: Obligation | None = None):
    """Render the user's first screen; a refused acknowledgement keeps its typed date and error."""
    today = org_today()
    desk = desk_for(current_user, today, utc_now())
    todos = Todos()
    if desk.todos:
        todos = todo_list(current_user, today, TODO_SHOWN, TODO_PAGE_SIZE, todo_page())
    lines = todos.lines
    failed_id = failed_on.id if failed_on is not None else None
    if failed_on is not None and failed_id not in {line.obligation.id for line in lines}:
        lines = [*lines_of([failed_on], today), *lines]  # a refused plan keeps its line and error
    forms = {
        line.obligation.id: failed if line.obligation.id == failed_id else ack_form(line.obligation)
        for line in lines
    }
    return render_template(
        "main/index.html",
        desk=desk,
        barometer=barometer(current_user, today) if desk.barometer else None,
        todos=lines,
        todo_total=todos.total,
        todo_pager=todos.pager,
        lights=todos.counts,
        ack_forms=forms,
    )


@bp.route("/todo/<int:obligation_id>/acknowledge", methods=["POST"])
@login_required
def acknowledge(obligation_id: int):
    """Record 已知悉，计划于…完成 on one of the user's to-do items."""
    obligation = find_todo(current_user, obligation_id)
    if obligation is None:
        abort(404)
    form = ack_form(obligation)
    if not form.validate_on_submit():
        return workbench(form, obligation)
    acknowledge_todo(obligation, form.planned_on.data, org_today())
    flash(_("已知悉，计划于 %(d)s 完成。", d=form.planned_on.data.isoformat()), "success")
    return redirect(url_for("main.index", _anchor="todo"))


@bp.route("/healthz")
def healthz():
    """Answer whether the app and its database are up (no login, nothing sensitive)."""
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # any database failure means "down" here
        db.session.rollback()
        database = "error"
    status = 200 if database == "ok" else 503
    return jsonify(status="ok" if status == 200 else "degraded", database=database), status


@bp.route("/locale/<code>", methods=["POST"])
def set_locale(code: str):
    """Switch the interface language for this session."""
    if code in current_app.config["LANGUAGES"]:
        session["locale"] = code
    return redirect(safe_next(request.form.get("next")))
