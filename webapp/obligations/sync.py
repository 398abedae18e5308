"""Declare what every record owes (待办时限), area by area: after an upgrade, or a demo seed."""

from __future__ import annotations


def sync_all_due() -> int:
    """Bring every area's obligations in step with its records (no commit); return how many."""
    from webapp.cadres import due as cadre_due
    from webapp.inquiries import due as inquiry_due
    from webapp.negative_info import due as negative_info_due
    from webapp.talks import due as talk_due
    from webapp.warnings import due as warning_due

    # Career events before talks: a talk closes the 必谈 its cadre's event opened.
    return sum(
        [
            negative_info_due.sync_all(),
            inquiry_due.sync_all(),
            cadre_due.sync_all(),
            talk_due.sync_all(),
            warning_due.sync_all(),
        ]
    )
