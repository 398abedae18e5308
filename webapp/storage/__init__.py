"""Where uploaded and generated files live: a folder per area, or the shared database.

`files(area)` answers with the store the STORAGE_BACKEND setting names. `folder` keeps each
area in its own directory (one machine, or a shared mount); `database` keeps files in the
database, so every web worker and host sees the same files with nothing else shared.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from webapp.storage.database import DatabaseStore
from webapp.storage.folder import FolderStore
from webapp.storage.store import FileStore


def area_folder(area: str) -> Path:
    """Return the folder an area keeps its files in under the folder backend."""
    config = current_app.config
    if area == "attachments":
        return Path(config["UPLOAD_DIR"])
    if area == "imports":
        return Path(config.get("IMPORT_DIR") or Path(current_app.instance_path) / "imports")
    raise KeyError(area)


def files(area: str) -> FileStore:
    """Return the store of one area (attachments, imports) under the configured backend."""
    if current_app.config.get("STORAGE_BACKEND", "folder") == "database":
        return DatabaseStore(area)
    return FolderStore(area_folder(area), fan_out=area == "attachments")
