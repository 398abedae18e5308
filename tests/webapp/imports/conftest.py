"""Keep the uploads of import tests out of the project's instance folder."""

import pytest


@pytest.fixture(autouse=True)
def import_dir(request, tmp_path, monkeypatch):
    """Point the shared app's import folder at a temporary one (for tests that use it)."""
    folder = tmp_path / "imports"
    if "app" in request.fixturenames:
        monkeypatch.setitem(request.getfixturevalue("app").config, "IMPORT_DIR", str(folder))
    return folder
