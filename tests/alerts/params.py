"""Set a parameter inside a test's transaction."""

from __future__ import annotations

from sqlalchemy import select

from webapp.lookups import forget_cached
from webapp.models import Parameter


def set_param(db, key: str, value: str) -> None:
    """Give a parameter a value (updating the seeded row if there is one) and drop the cache."""
    row = db.session.scalars(select(Parameter).where(Parameter.key == key)).one_or_none()
    if row is None:
        db.session.add(Parameter(key=key, value=value, value_type="str", group="", description=""))
    else:
        row.value = value
    db.session.flush()
    forget_cached()
