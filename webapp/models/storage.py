"""Files kept in the database (STORAGE_BACKEND=database), in chunks so none is read whole."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.base import Base


class StoredChunk(Base):
    """One piece of a stored file: (area, name) is the file, `seq` orders its pieces."""

    __tablename__ = "stored_chunk"

    area: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
