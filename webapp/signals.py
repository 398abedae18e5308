"""Every signal one area sends and another answers, declared here and connected in `init_app`.

An area never imports another area to tell it something happened, and never fills a list
that other modules append to at import time: it sends one of these signals, and the
receiving area connects its receiver in its own `init_app(app)` (called by `create_app` in
one visible list, so the web process and a scheduler process are wired alike).

Two kinds of signal:
- *events* (`verification_concluded`, `escalation_proposed`, `holidays_changed`): sent after a
  change, inside the sender's transaction; receivers write in the same transaction and never
  commit;
- *collections* (`cadre_timeline`, `*_sections`, `attachment_owners`, `import_kinds`): the
  sender asks, each receiver returns its part, the sender puts the parts together.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from blinker import Namespace, Signal

_signals = Namespace()


@dataclass(frozen=True)
class Section:
    """A panel one area renders on another area's page: a template and its context."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


cadre_timeline = _signals.signal(
    "cadre-timeline",
    doc="""Collect the dated records about a cadre for the profile's timeline.

    Sender: the `Cadre`; keyword `user` (the viewer, or None). Each receiver returns a list of `webapp.cadres.services.TimelineEntry`.
    """,
)

cadre_profile_sections = _signals.signal(
    "cadre-profile-sections",
    doc="""Collect the panels another area shows on a cadre's profile.

    Sender: the `Cadre`; keyword `user`. Each receiver returns a `Section` (a template and its
    context) or None when the user may not see it.
    """,
)

negative_info_sections = _signals.signal(
    "negative-info-sections",
    doc="""Collect the panels another area shows on a negative-information item's page.

    Sender: the `NegativeInfo`; keyword `user`. Each receiver returns a `Section` or None.
    """,
)

talk_sections = _signals.signal(
    "talk-sections",
    doc="""Collect the panels another area shows on a talk record's page (the meeting behind it).

    Sender: the `Talk`; keyword `user`. Each receiver returns a `Section` or None.
    """,
)

warning_sections = _signals.signal(
    "warning-sections",
    doc="""Collect the panels another area shows on a warning's page (the talks serving it).

    Sender: the `Warning`; keyword `user`. Each receiver returns a `Section` or None.
    """,
)

verification_concluded = _signals.signal(
    "verification-concluded",
    doc="""A negative-information item's verification was concluded (or its finding changed).

    Sender: the `NegativeInfo` (status already set); keywords `previous` (the status before)
    and `actor` (the `User`, or None for the system). Sent inside the verification's
    transaction: receivers write in it and do not commit (the warnings area revokes the
    warnings that rested only on an item found 失实).
    """,
)

inquiry_concluded = _signals.signal(
    "inquiry-concluded",
    doc="""An inquiry (函询) was concluded.

    Sender: the `Inquiry` (conclusion already set); keyword `actor` (the `User`). Sent inside
    the conclusion's transaction: receivers write in it and do not commit (a 转初步核实
    conclusion puts the linked negative information into 核实中, or opens an item for it).
    Each receiver returns the `NegativeInfo` it put into verification, or None.
    """,
)

escalation_proposed = _signals.signal(
    "escalation-proposed",
    doc="""The overdue sweep filed an escalation proposal (a person still confirms it).

    Sender: the new `WarningProposal`. Sent inside the sweep's transaction.
    """,
)

holidays_changed = _signals.signal(
    "holidays-changed",
    doc="""The holiday schedule changed: recompute deadlines counted as provisional.

    Sender: the fresh `WorkCalendar`. Each receiver recomputes its area's provisional
    deadlines inside the caller's transaction and returns how many moved.
    """,
)

attachment_owners = _signals.signal(
    "attachment-owners",
    doc="""Collect the record types that own attachments.

    Sender: the app. Each receiver returns a dict {owner type: `attachments.services.Owner`}.
    """,
)

import_kinds = _signals.signal(
    "import-kinds",
    doc="""Collect the records that can be imported from Excel.

    Sender: the app. Each receiver returns a list of `imports.spec.ImportSpec`.
    """,
)


def answers(signal: Signal, sender: Any, **kwargs: Any) -> Iterator[Any]:
    """Send a collection signal and yield each receiver's answer that is not None."""
    for _receiver, result in signal.send(sender, **kwargs):
        if result is not None:
            yield result
