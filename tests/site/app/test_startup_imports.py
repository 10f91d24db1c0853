"""What the page imports before its first frame, in CPython.

Every module the page imports on its way to ready costs the visitor time
(Pyodide compiles the standard library's sources as it imports them); the
exports, the segmenter, ``urllib`` and ``csv`` wait until they are first
needed.
A fresh interpreter imports what the page's start imports
(``main.py``'s :mod:`app.loader`, then :mod:`app.page`) with the browser's
modules stubbed, and says which modules it then holds.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SITE = ROOT / "site"

STARTUP = """
import json, sys
from unittest.mock import MagicMock

for name in ("js", "pyodide", "pyodide.ffi", "pyodide_js", "pyscript",
             "pyscript.ffi", "pyscript.web"):
    sys.modules[name] = MagicMock(name=name)
import app.loader  # main.py's one import
import app.page  # what boot() imports once numpy and emcore are in

print(json.dumps(sorted(sys.modules)))
"""

#: Imported at their first use, never on the way to the first frame.
DEFERRED = (
    "app.exports",
    "app.recorder",
    "app.segmentation.segmenter",
    "simapp.exports.export",
    "simapp.exports.figure",
    "simapp.exports.handout",
    "simapp.exports.reproduce",
    "simapp.exports.video",
    "simapp.exports.webm",
    "simapp.exports.worksheet",
)
#: Standard-library modules none of the start's modules imports at the top
#: (CPython's own start may import them: checked in the sources, not in
#: ``sys.modules``).
DEFERRED_STDLIB = ("csv", "hashlib", "urllib")


@pytest.fixture(scope="module")
def startup_modules() -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", STARTUP],
        capture_output=True,
        text=True,
        check=True,
        cwd=SITE,
        env={"PYTHONPATH": f"{SITE}:{ROOT}", "PATH": ""},
    ).stdout
    return json.loads(out.splitlines()[-1])


def _ours(modules: list[str]) -> list[str]:
    return [m for m in modules if m.split(".")[0] in ("app", "simapp")]


def test_the_start_imports_the_page_and_its_views(startup_modules):
    # the check below is only worth something if the start was imported
    assert {"app.page", "app.views", "simapp.state.reducer"} <= set(startup_modules)


@pytest.mark.parametrize("module", DEFERRED)
def test_what_the_first_frame_does_not_need_waits(startup_modules, module):
    assert module not in startup_modules


def _top_level_imports(path: Path) -> set[str]:
    """Root names of the imports a module runs when it is imported (not
    those inside its functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_start_imports_no_deferred_standard_module(startup_modules):
    found = {}
    for module in _ours(startup_modules):
        path = SITE.joinpath(*module.split("."))
        path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        roots = _top_level_imports(path) & set(DEFERRED_STDLIB)
        if roots:
            found[module] = sorted(roots)
    assert found == {}
