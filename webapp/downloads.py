"""Name a file sent as a download so that every client shows a readable name."""

from __future__ import annotations

import re
from urllib.parse import quote

# What may stand in a plain `filename=` as it is: no quotes, backslashes or separators.
_PLAIN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._()-]*$")


def content_disposition(name: str, fallback: str) -> str:
    """Return an attachment Content-Disposition with the UTF-8 name and an ASCII fallback.

    Clients that read only ``filename=`` get ``fallback`` (or the name itself when it is plain
    ASCII); left to werkzeug, a Chinese name would lose every character but its extension.
    """
    plain = name if _PLAIN_NAME.match(name) else fallback
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"
