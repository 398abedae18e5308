"""What the production servers do once the app is built, before the first request."""

from __future__ import annotations

import gc


def freeze_startup_objects() -> None:
    """Keep the objects made at start-up out of every later garbage collection (gc.freeze).

    The app, its modules and caches are a few hundred thousand long-lived objects; a full
    collection walked them all (60–70 ms) in the middle of a request. Frozen, they are never
    scanned again, and a forked worker's copy of them stays shared with its parent.
    """
    gc.collect()
    gc.freeze()
