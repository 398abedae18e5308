"""Only webapp/warnings/writer.py assigns a warning's state or tier.

A module is checked when it imports the Warning model or names a warning in the assignment
(`warning.state = …`, `self.warning.tier = …`); other models have a `state` of their own
(an import job's, say), which is no concern here.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
WRITER = Path("webapp/warnings/writer.py")
WATCHED = ("state", "tier")
# Modules that assign an attribute of the same name on something that is not a warning;
# add one only after checking, with the reason.
NOT_A_WARNING: dict[Path, str] = {}


def assignments(tree: ast.AST) -> list[tuple[int, str]]:
    """Return (line, attribute) for every `x.state = …`, `x.tier += …` or setattr(x, "tier", …)."""
    found = []
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = [t for target in node.targets for t in ast.walk(target)]
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if (
                isinstance(target, ast.Attribute)
                and target.attr in WATCHED
                and isinstance(target.ctx, ast.Store)
            ):
                found.append((node.lineno, target.attr))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "setattr"
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in WATCHED
        ):
            found.append((node.lineno, node.args[1].value))
    return found


def imports_warning(tree: ast.AST) -> bool:
    """Tell whether a module imports the Warning model."""
    return any(
        isinstance(node, ast.ImportFrom)
        and (node.module or "").startswith("webapp.models")
        and any(alias.name == "Warning" for alias in node.names)
        for node in ast.walk(tree)
    )


def offenders() -> list[str]:
    result = []
    for package in ("webapp", "alerts"):
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if relative == WRITER or relative in NOT_A_WARNING:
                continue
            source = path.read_text(encoding="utf-8")
            tree = ast.parse(source, str(relative))
            lines = source.splitlines()
            result += [
                f"{relative}:{line} assigns .{attr}"
                for line, attr in assignments(tree)
                if imports_warning(tree) or "warning" in lines[line - 1].lower()
            ]
    return result


def test_no_other_module_assigns_state_or_tier():
    assert offenders() == []


def test_the_writer_is_found_and_the_check_bites():
    writer = ast.parse((ROOT / WRITER).read_text(encoding="utf-8"))
    assert {attr for _, attr in assignments(writer)} == {"state", "tier"}
    sneaky = ast.parse("w.state = 'lifted'\nw.tier += 1\nsetattr(w, 'tier', 3)\na, w.state = 1, 2")
    assert len(assignments(sneaky)) == 4
    assert imports_warning(ast.parse("from webapp.models import Cadre, Warning"))
    assert not imports_warning(ast.parse("from webapp.models import ImportJob"))
