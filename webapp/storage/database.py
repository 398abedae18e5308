"""Files kept in the database in 1 MiB chunks, inside the caller's transaction."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models.storage import StoredChunk
from webapp.storage.store import CHUNK_BYTES

# Read back into memory up to this size, past it into a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024


class DatabaseStore:
    """One area's files as rows of `stored_chunk`; a rolled-back request leaves no file."""

    def __init__(self, area: str) -> None:
        self.area = area

    def _where(self, name: str) -> tuple[sa.ColumnElement[bool], ...]:
        return StoredChunk.area == self.area, StoredChunk.name == name

    def save(self, name: str, stream: IO[bytes]) -> int:
        """Insert the stream chunk by chunk; return its size."""
        size = seq = 0
        while chunk := stream.read(CHUNK_BYTES):
            db.session.execute(
                sa.insert(StoredChunk).values(area=self.area, name=name, seq=seq, data=chunk)
            )
            size += len(chunk)
            seq += 1
        if seq == 0:  # an empty file still exists
            db.session.execute(
                sa.insert(StoredChunk).values(area=self.area, name=name, seq=0, data=b"")
            )
        return size

    def _chunks(self, name: str) -> Iterator[bytes]:
        seqs = db.session.scalars(
            sa.select(StoredChunk.seq).where(*self._where(name)).order_by(StoredChunk.seq)
        ).all()
        if not seqs:
            raise FileNotFoundError(f"{self.area}/{name}")
        for seq in seqs:  # one chunk in memory at a time
            yield db.session.scalar(
                sa.select(StoredChunk.data).where(*self._where(name), StoredChunk.seq == seq)
            )

    def open(self, name: str) -> IO[bytes]:
        """Return the file's bytes as a readable temporary file."""
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (returned)
        try:
            for chunk in self._chunks(name):
                spool.write(chunk)
        except BaseException:
            spool.close()
            raise
        spool.seek(0)
        return spool

    def size(self, name: str) -> int | None:
        """Return the file's size, or None if it is not stored."""
        count, total = db.session.execute(
            sa.select(sa.func.count(), sa.func.sum(sa.func.length(StoredChunk.data))).where(
                *self._where(name)
            )
        ).one()
        return int(total or 0) if count else None

    def delete(self, name: str) -> None:
        """Delete the file's chunks."""
        db.session.execute(sa.delete(StoredChunk).where(*self._where(name)))

    @contextmanager
    def local_copy(self, name: str) -> Iterator[Path]:
        """Yield a private temporary copy of the file, removed afterwards."""
        fd, temp = tempfile.mkstemp(prefix=f"{self.area}-", suffix=Path(name).suffix)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in self._chunks(name):
                    out.write(chunk)
            yield Path(temp)
        finally:
            Path(temp).unlink(missing_ok=True)

    @contextmanager
    def writing(self, name: str) -> Iterator[Path]:
        """Yield a private temporary path; its content replaces the stored file afterwards."""
        fd, temp = tempfile.mkstemp(prefix=f"{self.area}-", suffix=Path(name).suffix)
        os.close(fd)
        try:
            yield Path(temp)
            self.delete(name)
            with open(temp, "rb") as written:
                self.save(name, written)
        finally:
            Path(temp).unlink(missing_ok=True)
