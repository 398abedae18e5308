"""Warning pages: register, create, detail with its actions, 待审批, as-of views, help."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import CombinedMultiDict

from webapp.audit.services import record_access
from webapp.i18n import translate
from webapp.lookups import all_params
from webapp.models import Cadre, Warning
from webapp.security.permissions import Permission, permission_required
from webapp.security.scope import get_in_scope_or_404
from webapp.spreadsheets.export import send_export
from webapp.warnings import diagram
from webapp.warnings.cli import warnings_cli
from webapp.warnings.event_forms import (
    EVENT_FORMS,
    ClarifyForm,
    CommitteeApproveForm,
    CompleteClarificationForm,
    EventForm,
    RecordActionForm,
    TolerateForm,
)
from webapp.warnings.export import export_register
from webapp.warnings.forms import AsOfForm, CreateWarningForm, RegisterFilterForm
from webapp.warnings.queries import (
    action_records,
    cadre_as_of,
    deadlines,
    open_proposals,
    pending_for,
    role_name,
    running_lights,
    user_events,
    warning_as_of,
)
from webapp.warnings.register import WarningFilters, search_warnings
from webapp.warnings.services import (
    CONFLICT_MESSAGE,
    WarningConflict,
    WarningForbidden,
    WorkflowError,
    apply_event,
    cadre_items,
    complete_clarification,
    create_warning,
    may_perform,
    suggestion_for,
)
from webapp.warnings.templating import page_sections
from workflows.states import Event, State
from workflows.tiers import COMMITTEE_ROLE, Tier, tier_policy
from workflows.verification import Status

bp = Blueprint("warnings", __name__, url_prefix="/warnings", cli_group=None)
bp.cli.add_command(warnings_cli)


def _filters(form: RegisterFilterForm) -> WarningFilters:
    # A unit outside the user's scope is not offered, yet filtering by it must find nothing
    # rather than drop the filter: only other errors fall back to the unfiltered register.
    if not form.validate() and set(form.errors) - {"unit_id"}:
        return WarningFilters()
    return WarningFilters(
        q=form.q.data or "",
        tier=int(form.tier.data or 0),
        state=form.state.data or "",
        unit_id=form.unit_id.data or 0,
        overdue=bool(form.overdue.data),
        created_from=form.created_from.data,
        created_to=form.created_to.data,
        issued_from=form.issued_from.data,
        issued_to=form.issued_to.data,
        active=bool(form.active.data),
        closed_from=form.closed_from.data,
        closed_to=form.closed_to.data,
        clarified_from=form.clarified_from.data,
        clarified_to=form.clarified_to.data,
    )


@bp.route("/")
@permission_required(Permission.CADRE_VIEW)
def index():
    """List the warnings in the user's scope (预警台账), filtered and paginated."""
    form = RegisterFilterForm(request.args).fill_choices(current_user)
    filters = _filters(form)
    page = search_warnings(current_user, filters, request.args)
    proposals = open_proposals(current_user) if current_user.can(Permission.WARNING_PROPOSE) else []
    lights = running_lights([w.id for w in page.items])
    return render_template(
        "warnings/index.html", form=form, page=page, proposals=proposals, lights=lights
    )


@bp.route("/export.xlsx")
@permission_required(Permission.CADRE_VIEW, Permission.CADRE_EXPORT)
def export():
    """Download the filtered register as Excel (audited)."""
    form = RegisterFilterForm(request.args).fill_choices(current_user)
    filters = _filters(form)
    return send_export(
        lambda target: export_register(current_user, filters, target), "预警台账", "warnings"
    )


@bp.route("/pending")
@permission_required(Permission.CADRE_VIEW)
def pending():
    """List the warnings waiting for this user's approval step (待审批)."""
    return render_template("warnings/pending.html", warnings=pending_for(current_user))


@bp.route("/new", methods=["GET", "POST"])
@permission_required(Permission.WARNING_PROPOSE)
def create():
    """Open a warning for a cadre, showing the suggested tier and why."""
    cadre = get_in_scope_or_404(
        Cadre, request.args.get("cadre_id", type=int) or abort(404), current_user
    )
    items = [i for i in cadre_items(cadre.id, current_user) if i.status != Status.UNTRUE]
    form = CreateWarningForm().fill_choices(items)
    if request.method == "GET":
        item_id = request.args.get("item_id", type=int)
        form.items.data = [item_id] if item_id in {i.id for i in items} else []
    selected = set(form.items.data or []) & {i.id for i in items}
    suggestion = suggestion_for(cadre.id, selected)
    if request.method == "GET" or form.recalc.data:
        form.tier.data = str(suggestion.tier.value) if suggestion.tier else ""
    elif form.validate_on_submit():
        try:
            warning = create_warning(
                current_user,
                cadre.id,
                form.tier.data,
                sorted(selected),
                form.reason.data or "",
                submit=bool(form.save_submit.data),
            )
        except WarningForbidden:
            abort(403)
        except WorkflowError as exc:
            # Nothing was saved: show the refusal beside its field, with everything typed kept.
            target = getattr(form, exc.field or "", None)
            if target is not None:
                target.errors = [*target.errors, exc.message]
            flash(exc.message, "danger")
        else:
            flash(_("已发起预警 %(number)s。", number=warning.number), "success")
            return redirect(url_for("warnings.detail", warning_id=warning.id))
    return render_template(
        "warnings/new.html", cadre=cadre, form=form, suggestion=suggestion, items=items
    )


def _event_form(event: Event, warning: Warning, formdata=None) -> EventForm:
    """Build the form asking exactly what `event` needs at the warning's tier and step."""
    params = all_params()
    cls = EVENT_FORMS[event]
    if event is Event.APPROVE:
        role = tier_policy(warning.tier, params).step_role(warning.approval_step)
        cls = CommitteeApproveForm if role == COMMITTEE_ROLE else cls
    form = cls(formdata=formdata, prefix=event.value)
    if isinstance(form, RecordActionForm):
        talks, inquiries = action_records(warning, current_user)
        form.fill_choices(warning.tier, talks, inquiries, params)
    elif isinstance(form, ClarifyForm):
        form.fill_choices()
    elif isinstance(form, TolerateForm):
        form.fill_choices(warning.tier)
    if formdata is None:
        form.version.data = str(warning.version)
    return form


def _render_detail(warning: Warning, forms: dict[Event, EventForm] | None = None, status=200):
    events = user_events(warning, current_user)
    forms = forms or {}
    for event in events:
        forms.setdefault(event, _event_form(event, warning))
    clarification_form = None
    pending_clarification = any(not c.method for c in warning.clarifications)
    if pending_clarification and current_user.can(Permission.WARNING_REVIEW):
        clarification_form = CompleteClarificationForm().fill_choices()
    return render_template(
        "warnings/detail.html",
        warning=warning,
        events=events,
        forms=forms,
        deadlines=deadlines(warning),
        awaiting=role_name(warning.awaiting_role),
        as_of_form=AsOfForm(formdata=None),
        clarification_form=clarification_form,
        sections=page_sections(warning, current_user),
        State=State,
        Tier=Tier,
    ), status


@bp.route("/<int:warning_id>")
@permission_required(Permission.CADRE_VIEW)
def detail(warning_id: int):
    """Show a warning: tier, state, basis, deadlines, the user's actions and the history."""
    warning = get_in_scope_or_404(Warning, warning_id, current_user)
    page = _render_detail(warning)
    # Logged once the page is built: the log's commit expires what the session loaded, and
    # the page would read the warning, its cadre, its proposer and the user again.
    record_access("Warning", warning.id)
    return page


@bp.route("/<int:warning_id>/events/<event_code>", methods=["POST"])
@permission_required(Permission.CADRE_VIEW)
def act(warning_id: int, event_code: str):
    """Apply one workflow event posted from the detail page."""
    warning = get_in_scope_or_404(Warning, warning_id, current_user)
    try:
        event = Event(event_code)
    except ValueError:
        abort(404)
    # A page rendered before someone else acted gets the conflict message, whatever the
    # role: the step it was meant for may have moved on (two approvers at once).
    posted = request.form.get(f"{event.value}-version", type=int)
    if posted is not None and posted != warning.version:
        flash(str(CONFLICT_MESSAGE), "warning")
        return redirect(url_for("warnings.detail", warning_id=warning_id))
    # The role is checked before the form, so a hand-made post without it learns nothing.
    if not may_perform(warning, event, current_user):
        abort(403)
    formdata = CombinedMultiDict([request.files, request.form]) if request.files else request.form
    form = _event_form(event, warning, formdata=formdata)
    if not form.validate_on_submit():
        flash(_("请检查「%(event)s」表单中标出的内容。", event=translate(event.label)), "danger")
        return _render_detail(warning, {event: form}, 400)
    try:
        apply_event(warning.id, form.command(), current_user, form.expected_version())
    except WarningForbidden:
        abort(403)
    except WarningConflict as exc:
        flash(exc.message, "warning")
    except WorkflowError as exc:
        # Nothing was saved: the form comes back with the refusal beside its field.
        target = getattr(form, exc.field or "", None)
        if target is not None:
            target.errors = [*target.errors, exc.message]
        flash(exc.message, "danger")
        warning = get_in_scope_or_404(Warning, warning_id, current_user)
        return _render_detail(warning, {event: form}, 400)
    else:
        flash(_("已执行「%(event)s」。", event=translate(event.label)), "success")
    return redirect(url_for("warnings.detail", warning_id=warning_id))


@bp.route("/<int:warning_id>/clarification", methods=["POST"])
@permission_required(Permission.WARNING_REVIEW)
def complete_clarification_view(warning_id: int):
    """Record how an automatic clearing (澄清正名) was carried out."""
    warning = get_in_scope_or_404(Warning, warning_id, current_user)
    form = CompleteClarificationForm().fill_choices()
    if form.validate_on_submit():
        try:
            complete_clarification(
                warning,
                current_user,
                method=form.method.data or "",
                clarified_on=form.clarified_on.data,
                scope=form.scope.data or "",
                document_number=form.document_number.data or "",
            )
        except WorkflowError as exc:
            flash(exc.message, "danger")
        else:
            flash(_("已保存澄清正名记录。"), "success")
    else:
        flash(_("请选择澄清方式并填写澄清日期。"), "danger")
    return redirect(url_for("warnings.detail", warning_id=warning_id) + "#clarifications")


@bp.route("/<int:warning_id>/as-of")
@permission_required(Permission.CADRE_VIEW)
def as_of(warning_id: int):
    """Show the warning's state and tier on a past date, rebuilt from its history."""
    warning = get_in_scope_or_404(Warning, warning_id, current_user)
    record_access("Warning", warning.id)
    form = AsOfForm(request.args)
    result = warning_as_of(warning, form.on.data) if form.validate() else None
    return render_template("warnings/as_of.html", warning=warning, form=form, result=result)


@bp.route("/cadre/<int:cadre_id>/as-of")
@permission_required(Permission.CADRE_VIEW)
def cadre_as_of_view(cadre_id: int):
    """Show a cadre's status colour and warnings on a past date."""
    cadre = get_in_scope_or_404(Cadre, cadre_id, current_user)
    record_access("Cadre", cadre.id)
    form = AsOfForm(request.args)
    colour, rows = (None, [])
    if form.validate():
        colour, rows = cadre_as_of(cadre, form.on.data, current_user)
    return render_template(
        "warnings/cadre_as_of.html", cadre=cadre, form=form, colour=colour, rows=rows
    )


@bp.route("/help")
@permission_required(Permission.CADRE_VIEW)
def help_page():
    """Explain the workflow with the state diagram drawn from the transition table."""
    return render_template(
        "warnings/help.html",
        svg=diagram.svg(),
        mermaid=diagram.mermaid(),
        rows=diagram.table(),
        policies=[tier_policy(t, all_params()) for t in Tier],
    )
