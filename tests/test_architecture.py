"""The layering rules of docs/architecture.md, checked on every run.

import-linter reads the contracts in pyproject.toml (layers CLI -> crawler -> indexer -> vnlang,
and the pure modules' forbidden imports); the AST check below adds that no module imports a
private (underscore) name from another package.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("vnlang", "indexer", "crawler", "search_cli")


def test_import_contracts_hold() -> None:
    # In a process of its own: grimp trips over modules the other tests already imported.
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(no_cache=True, no_logo=True))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def _package_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:-1]) if len(parts) > 1 else parts[0]


def _private_imports() -> list[str]:
    found = []
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            module = ".".join(rel.parts)
            here = module if path.name == "__init__.py" else _package_of(module)
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.ImportFrom) or node.module is None:
                    continue
                if node.level:  # relative: resolve against this module's package
                    base = here.split(".")[: len(here.split(".")) - node.level + 1]
                    target = ".".join([*base, node.module])
                else:
                    target = node.module
                if target.split(".")[0] not in PACKAGES:
                    continue
                target_pkg = (
                    target if (ROOT / Path(*target.split("."))).is_dir() else _package_of(target)
                )
                if target_pkg == here:
                    continue
                for alias in node.names:
                    if alias.name.startswith("_"):
                        found.append(f"{module}: from {target} import {alias.name}")
    return found


def test_no_module_imports_a_private_name_from_another_package() -> None:
    assert _private_imports() == []
