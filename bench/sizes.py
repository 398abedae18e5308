"""How much `flask bench seed` makes: a province at its defaults."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    """How much to make."""

    units: int = 1_994
    cadres: int = 100_000
    infos: int = 300_000
    warnings: int = 60_000
    talks: int = 200_000

    def total_rows(self) -> int:
        """Return about how many rows the bulk steps insert (for the progress bar)."""
        return self.cadres + 2 * self.infos + 7 * self.warnings + self.talks
