"""What warnings show on their own pages and on other areas' pages (sections and labels)."""

from __future__ import annotations

from flask import Flask
from flask_babel import gettext as _

from webapp import clock
from webapp.attachments.services import attachments_of
from webapp.holidays.services import work_calendar
from webapp.i18n import translate
from webapp.models import Cadre, NegativeInfo, User, Warning
from webapp.signals import Section
from webapp.warnings.queries import cadre_panel, item_warnings, role_name, running_light
from webapp.warnings.services import COMMITTEE_OWNER, current_due
from workflows.states import Event, State
from workflows.tiers import ACTION_LABELS, Tier


def cadre_section(cadre: Cadre, *, user: User | None = None, **_kw: object) -> Section | None:
    """Show the cadre's warnings and influence periods on the profile (a signal answer)."""
    if user is None:
        return None
    return Section("warnings/_cadre_panel.html", {"panel": cadre_panel(cadre, user)})


def negative_info_section(
    info: NegativeInfo, *, user: User | None = None, **_kw: object
) -> Section | None:
    """List the warnings resting on an item on its page (a signal answer)."""
    warnings = item_warnings(info.id, user) if user is not None else []
    return Section("warnings/_item_warnings.html", {"warnings": warnings}) if warnings else None


def event_label(code: str) -> str:
    """Return the label of a history row's event in the UI's language."""
    return _("发起") if code == "create" else translate(Event(code).label)


def action_label(code: str) -> str:
    """Return the label of an action kind in the UI's language."""
    return translate(ACTION_LABELS.get(code, code))


def warning_light(warning: Warning):
    """Return the 黄灯/红灯 of the warning's running deadline, if any."""
    return running_light(warning, clock.org_today(), work_calendar())


def committee_documents(decision) -> list:
    """Return the uploaded documents of a party-committee decision."""
    return attachments_of(COMMITTEE_OWNER, decision.id)


def init_app(app: Flask) -> None:
    """Give templates the warnings' labels and light (their badges render on several pages)."""
    app.jinja_env.globals.update(
        workflow_tier=Tier.parse,
        workflow_state=State,
        current_due=current_due,
        warning_light=warning_light,
        role_display=role_name,
        event_label=event_label,
        action_label=action_label,
        committee_documents=committee_documents,
    )
