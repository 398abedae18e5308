"""What warnings show on their own pages and on other areas' pages (sections and labels)."""

from __future__ import annotations

from flask import Flask

from webapp import signals
from webapp.i18n import translate
from webapp.models import Cadre, NegativeInfo, User, Warning, WarningEvent
from webapp.signals import Section, answers
from webapp.warnings import history
from webapp.warnings.documents import documents_of
from webapp.warnings.facts import current_due
from webapp.warnings.owners import ACTION_OWNER, COMMITTEE_OWNER, RECTIFICATION_OWNER
from webapp.warnings.queries import cadre_panel, item_warnings, role_name
from workflows.states import State
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


def page_sections(warning: Warning, user: User) -> list[Section]:
    """Return the panels other areas show on a warning's page (the talks serving it)."""
    return list(answers(signals.warning_sections, warning, user=user))


def event_label(row: WarningEvent) -> str:
    """Return the label of a history row in the UI's language (升级未获批准 included)."""
    return translate(history.event_label(row))


def action_label(code: str) -> str:
    """Return the label of an action kind in the UI's language."""
    return translate(ACTION_LABELS.get(code, code))


def committee_documents(decision) -> list:
    """Return the uploaded documents of a party-committee decision."""
    return documents_of(COMMITTEE_OWNER, decision)


def report_documents(round_) -> list:
    """Return the attachments of a rectification round's report."""
    return documents_of(RECTIFICATION_OWNER, round_)


def action_documents(action) -> list:
    """Return the attachments of a recorded action (the 书面检查 handed in)."""
    return documents_of(ACTION_OWNER, action)


def init_app(app: Flask) -> None:
    """Give templates the warnings' labels and light (their badges render on several pages)."""
    app.jinja_env.globals.update(
        workflow_tier=Tier.parse,
        workflow_state=State,
        current_due=current_due,
        role_display=role_name,
        event_label=event_label,
        action_label=action_label,
        committee_documents=committee_documents,
        report_documents=report_documents,
        action_documents=action_documents,
    )
