"""The holiday calendar parses dates without the Excel import area."""

from __future__ import annotations

import subprocess
import sys


def test_holiday_services_do_not_load_the_import_area():
    code = (
        "import sys, webapp.holidays.services\n"
        "loaded = [m for m in sys.modules if m == 'webapp.imports' or m.startswith('webapp.imports.')]\n"
        "print(loaded)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
