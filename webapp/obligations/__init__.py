"""Obligations (待办/时限): the one source of what is due, kept in step by the areas' services."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Connect nothing yet: the areas call the services directly, the lead wires the sweep."""
