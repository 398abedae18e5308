"""Files kept in a folder of this machine (or a mount every host shares)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from webapp.storage.store import CHUNK_BYTES


class FolderStore:
    """One area's files in one folder; `fan_out` spreads them over two-character subfolders."""

    def __init__(self, root: Path, fan_out: bool = False) -> None:
        self.root = root
        self.fan_out = fan_out

    def path(self, name: str) -> Path:
        """Return where a file of this name lives."""
        return self.root / name[:2] / name if self.fan_out else self.root / name

    def save(self, name: str, stream: IO[bytes]) -> int:
        """Write the stream to a new file (never over an existing one); return its size."""
        path = self.path(name)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        size = 0
        with path.open("xb") as out:
            while chunk := stream.read(CHUNK_BYTES):
                out.write(chunk)
                size += len(chunk)
        return size

    def open(self, name: str) -> IO[bytes]:
        """Open the file for reading."""
        return self.path(name).open("rb")

    def size(self, name: str) -> int | None:
        """Return the file's size, or None if it is not there."""
        path = self.path(name)
        return path.stat().st_size if path.is_file() else None

    def delete(self, name: str) -> None:
        """Remove the file if it is there."""
        self.path(name).unlink(missing_ok=True)

    @contextmanager
    def local_copy(self, name: str) -> Iterator[Path]:
        """Yield the file's own path."""
        yield self.path(name)

    @contextmanager
    def writing(self, name: str) -> Iterator[Path]:
        """Yield the file's own path to write in place."""
        path = self.path(name)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        yield path
