"""Opening a warning (拟预警), and 保存并送审 in the same transaction."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp import clock
from webapp.extensions import db
from webapp.models import Cadre, NegativeInfo, User, Warning
from webapp.negative_info.numbering import next_number
from webapp.security.permissions import Permission
from webapp.security.scope import get_in_scope_or_404, scoped
from webapp.warnings.errors import WarningForbidden, WorkflowError
from webapp.warnings.facts import select_items, suggestion_for
from webapp.warnings.writer import apply_command, open_draft, write_history
from workflows.commands import Submit
from workflows.text import to_data
from workflows.tiers import Tier
from workflows.verification import Status

NUMBER_PREFIX = "YJ"


def _basis(actor: User, cadre: Cadre, wanted: set[int]) -> list[NegativeInfo]:
    """Load the chosen basis items, refusing any of another cadre or outside the actor's scope."""
    if not wanted:
        return []
    stmt = scoped(select_items().where(NegativeInfo.id.in_(wanted)), NegativeInfo, actor)
    items = list(db.session.scalars(stmt))
    if len(items) != len(wanted) or any(item.cadre_id != cadre.id for item in items):
        raise WorkflowError(
            _l("所选依据中有不属于该干部或超出您数据权限的负面信息"), code="basis", field="items"
        )
    if any(item.status == Status.UNTRUE for item in items):
        raise WorkflowError(
            _l("已核实为失实的负面信息不能作为预警依据"), code="basis_untrue", field="items"
        )
    return items


def create_warning(
    actor: User,
    cadre_id: int,
    tier: Tier | int | str,
    item_ids: list[int] | set[int] | tuple[int, ...] = (),
    reason: str = "",
    *,
    submit: bool = False,
) -> Warning:
    """Open a draft warning for a cadre in scope; with `submit`, send it for approval too.

    One transaction: a refused submission writes nothing (no draft, no number used).
    """
    if not actor.can(Permission.WARNING_PROPOSE):
        raise WarningForbidden(_l("当前角色无权发起预警"))
    cadre = get_in_scope_or_404(Cadre, cadre_id, actor)
    wanted = {int(i) for i in item_ids}
    items = _basis(actor, cadre, wanted)
    try:
        tier = Tier.parse(tier)
    except ValueError:
        raise WorkflowError(_l("请选择预警等级"), code="tier", field="tier") from None
    reason = (reason or "").strip()
    today, now = clock.org_today(), clock.utc_now()
    suggestion = suggestion_for(cadre.id, wanted, today)
    if tier != suggestion.tier and not reason:
        raise WorkflowError(
            _l("所选等级与系统建议不一致（或系统无建议），请写明理由"),
            code="reason",
            field="reason",
        )
    try:
        warning = Warning(
            number=next_number(NUMBER_PREFIX, today.year),
            cadre_id=cadre.id,
            proposer_id=actor.id,
            handler_id=actor.id,
            reason=reason,
            suggested_tier=int(suggestion.tier) if suggestion.tier else None,
            suggestion_data=[to_data(r) for r in suggestion.reasons],
        )
        warning.basis = items
        open_draft(warning, tier)
        db.session.add(warning)
        write_history(
            warning,
            "create",
            actor,
            from_state="",
            from_tier=None,
            reason=reason,
            details={
                "basis": [item.number for item in items],
                "suggested_tier": warning.suggested_tier,
            },
            now=now,
        )
        db.session.flush()
        if submit:
            apply_command(warning, Submit(), actor)
        db.session.commit()
    except WorkflowError:
        db.session.rollback()
        raise
    return warning
