"""API tokens: made at random, shown once, stored only as a keyed hash."""

from __future__ import annotations

import secrets

from webapp.security.crypto import keyed_hash

PREFIX = "gbk_"
HINT_CHARS = 8  # the start of a token, shown on the list so an operator can tell two apart


def new_token() -> str:
    """Return a fresh random token."""
    return PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Return the keyed hash a token is stored and looked up by."""
    return keyed_hash(token, "api_token")


def hint(token: str) -> str:
    """Return the part of a token the pages may show."""
    return token[: len(PREFIX) + HINT_CHARS]
