"""Which active tier-3 warning silences an obligation's reminders: one rule for every reader.

While a cadre has an active 红色（处置）warning, reminders of lower-tier obligations about that
cadre are suppressed (DESIGN §6). The sweep fires such a stage without a message, the digest
leaves the item out and 我的待办 says why; all three ask this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Warning
from webapp.models.obligations import Obligation
from workflows.states import ACTIVE_STATES
from workflows.tiers import Tier

WARNING_SUBJECT = "warning"


@dataclass(frozen=True)
class RedWarning:
    """The active tier-3 warning that silences a cadre's lower-tier reminders."""

    id: int
    number: str


def silences(red: RedWarning | None, subject_type: str, subject_tier: int | None) -> bool:
    """Tell whether an active tier-3 warning silences an obligation (its own tier-3 ones speak)."""
    if red is None:
        return False
    return not (subject_type == WARNING_SUBJECT and subject_tier == Tier.RED)


class Suppression:
    """Answer which tier-3 warning silences an obligation, caching per cadre and warning."""

    def __init__(self) -> None:
        self._red: dict[int, RedWarning | None] = {}
        self._tiers: dict[int, int | None] = {}

    def prime(self, obligations: Iterable[Obligation]) -> None:
        """Look up at once what a list of obligations needs (two queries, not two per line)."""
        obligations = list(obligations)
        cadres = {o.cadre_id for o in obligations} - self._red.keys()
        warnings = {
            o.subject_id for o in obligations if o.subject_type == WARNING_SUBJECT
        } - self._tiers.keys()
        if cadres:
            self._red.update(dict.fromkeys(cadres))
            rows = db.session.execute(
                _red_warnings().where(Warning.cadre_id.in_(cadres)).order_by(Warning.id.desc())
            )
            # Newest first, so the lowest id is written last: the same warning as one lookup.
            for cadre_id, ident, number in rows:
                self._red[cadre_id] = RedWarning(ident, number)
        if warnings:
            self._tiers.update(dict.fromkeys(warnings))
            rows = db.session.execute(
                select(Warning.id, Warning.tier).where(Warning.id.in_(warnings))
            )
            self._tiers.update({ident: int(tier) for ident, tier in rows})

    def red_warning(self, cadre_id: int) -> RedWarning | None:
        """Return the cadre's active tier-3 warning (the oldest if several), or None."""
        if cadre_id not in self._red:
            row = db.session.execute(
                _red_warnings().where(Warning.cadre_id == cadre_id).order_by(Warning.id).limit(1)
            ).first()
            self._red[cadre_id] = RedWarning(row.id, row.number) if row else None
        return self._red[cadre_id]

    def by(self, obligation: Obligation) -> RedWarning | None:
        """Return the tier-3 warning that silences this obligation's reminders, or None."""
        red = self.red_warning(obligation.cadre_id)
        if red is None:
            return None
        tier = (
            self._tier(obligation.subject_id)
            if obligation.subject_type == WARNING_SUBJECT
            else None
        )
        return red if silences(red, obligation.subject_type, tier) else None

    def _tier(self, warning_id: int) -> int | None:
        if warning_id not in self._tiers:
            tier = db.session.scalar(select(Warning.tier).where(Warning.id == warning_id))
            self._tiers[warning_id] = int(tier) if tier is not None else None
        return self._tiers[warning_id]


def _red_warnings():
    return select(Warning.cadre_id, Warning.id, Warning.number).where(
        Warning.tier == Tier.RED, Warning.state.in_(list(ACTIVE_STATES))
    )
