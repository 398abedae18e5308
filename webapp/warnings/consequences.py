"""Consequences of other records for warnings: an item found 失实, a clearing completed."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from webapp import clock
from webapp.extensions import db
from webapp.models import NegativeInfo, User, Warning, warning_basis
from webapp.warnings.errors import WorkflowError
from webapp.warnings.writer import apply_command, write_history
from workflows.commands import Clarify
from workflows.states import OPEN_STATES
from workflows.text import N_, Text
from workflows.verification import Status


def on_item_found_untrue(info: NegativeInfo, actor: User | None = None) -> list[Warning]:
    """Revoke every open warning resting only on untrue items, with a clarification record.

    Runs in the caller's transaction (the verification that found the item 失实) and does
    not commit. Returns the warnings revoked.
    """
    if info.status != Status.UNTRUE:
        return []
    stmt = (
        sa.select(Warning)
        .join(warning_basis, warning_basis.c.warning_id == Warning.id)
        .where(warning_basis.c.negative_info_id == info.id, Warning.state.in_(OPEN_STATES))
        .order_by(Warning.id)
    )
    revoked = []
    for warning in db.session.scalars(stmt).unique():
        if not all(item.status == Status.UNTRUE for item in warning.basis):
            continue
        summary = Text(
            N_("预警依据的负面信息 %(number)s 经核实失实，预警事项自动撤销，应予澄清正名"),
            number=info.number,
        )
        command = Clarify(reason=str(summary), automatic=True, negative_info_id=info.id)
        # The 失实 finding is the judgement the reviewer would otherwise write.
        apply_command(warning, command, actor, roles=frozenset({"reviewer"}))
        revoked.append(warning)
    return revoked


def on_verification_concluded(
    info: NegativeInfo, *, previous: str, actor: User | None, **_kw: object
) -> None:
    """Revoke the warnings an item rested on once its verification concludes 失实."""
    if info.status == Status.UNTRUE and previous != Status.UNTRUE:
        on_item_found_untrue(info, actor)


def complete_clarification(
    warning: Warning,
    actor: User,
    *,
    method: str,
    clarified_on,
    scope: str = "",
    document_number: str = "",
) -> None:
    """Record how an automatic clearing was carried out, in the record and the history."""
    record = next((c for c in reversed(warning.clarifications) if not c.method), None)
    if record is None:
        raise WorkflowError(_l("没有待补充的澄清正名记录"), code="no_clarification")
    if not method:
        raise WorkflowError(_l("请选择澄清方式"), code="method", field="method")
    if clarified_on is not None and clarified_on > clock.org_today():
        raise WorkflowError(_l("日期不能晚于今天"), code="date_in_future", field="clarified_on")
    record.method = method
    record.clarified_on = clarified_on
    record.scope = scope.strip()
    record.document_number = document_number.strip()
    record.recorded_by_id = actor.id
    state, tier = str(warning.state), int(warning.tier)
    write_history(
        warning,
        "clarification_completed",
        actor,
        from_state=state,
        from_tier=tier,
        reason=" ".join(filter(None, [record.scope, record.document_number])),
        details={
            "method": method,
            "clarified_on": clarified_on.isoformat() if clarified_on else None,
        },
        now=clock.utc_now(),
    )
    db.session.commit()
