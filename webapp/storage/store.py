"""What every file store offers: save, open, size, delete, and a local path when one is needed."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import IO, Protocol

CHUNK_BYTES = 1024 * 1024


class FileStore(Protocol):
    """A named-file store of one area; names are random tokens chosen by the caller."""

    def save(self, name: str, stream: IO[bytes]) -> int:
        """Store the stream's bytes from its current position under a new name; return the size."""

    def open(self, name: str) -> IO[bytes]:
        """Open a stored file for reading (the caller closes it); FileNotFoundError if missing."""

    def size(self, name: str) -> int | None:
        """Return a stored file's size, or None if there is no such file."""

    def delete(self, name: str) -> None:
        """Remove a stored file; a missing one is fine."""

    def local_copy(self, name: str) -> AbstractContextManager[Path]:
        """Yield a path on this machine holding the file, for readers that need a path."""

    def writing(self, name: str) -> AbstractContextManager[Path]:
        """Yield a local path to write; what is there when the block ends is stored."""
