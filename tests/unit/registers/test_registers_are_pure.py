"""The register readers are plain parsing: no web framework, no database."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import audit_app.registers

ALLOWED = set(sys.stdlib_module_names) | {"scoring"}


def imported_packages(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_register_modules_import_only_the_standard_library_and_scoring():
    package = Path(audit_app.registers.__file__).parent
    modules = sorted(package.glob("*.py"))
    assert {m.name for m in modules} >= {"gias.py", "agencies.py"}
    for module in modules:
        assert imported_packages(module) <= ALLOWED, module.name
