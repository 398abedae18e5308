"""The unit picker's JSON: the top of the user's tree, a unit's children, a search by name."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user, login_required

from webapp.converters import out_of_range
from webapp.units.picker import PICK_LIMIT, child_units, describe, search_units, top_units

bp = Blueprint("units", __name__, url_prefix="/units")


@bp.route("/picker")
@login_required
def picker():
    """List units in the user's scope: `q` searches, `parent` opens a unit, neither the top."""
    q = request.args.get("q", "")
    parent = (request.args.get("parent") or "").strip()
    if parent and (not parent.isdigit() or out_of_range(parent)):
        abort(400)
    if q.strip():
        units, with_path = search_units(current_user, q), True
    elif parent:
        units, with_path = child_units(current_user, int(parent)), False
    else:
        units, with_path = top_units(current_user), False
    more = len(units) > PICK_LIMIT
    shown = describe(current_user, units[:PICK_LIMIT], with_path)
    return jsonify(units=[u.as_json() for u in shown], more=more)
