"""Each test keeps its chain heads in a file of its own, never in the instance folder."""

import pytest


@pytest.fixture(autouse=True)
def head_file(app, tmp_path, monkeypatch):
    """Point AUDIT_HEAD_FILE at a fresh file for the test; return its path."""
    path = tmp_path / "audit-heads.jsonl"
    monkeypatch.setitem(app.config, "AUDIT_HEAD_FILE", str(path))
    return path
