"""The size limits of the code, checked on the source of emcore, site and
sitebuild (and build.py): no folder over 16 modules (``.py`` files,
``__init__.py`` included), no module over 600 lines, no class over 300 lines
and no function over 100 lines (a class or function counts every line it
spans, docstring and comments included)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ("emcore", "site", "sitebuild", "build.py")
MAX_FOLDER_MODULES = 16
MAX_MODULE_LINES = 600
MAX_CLASS_LINES = 300
MAX_FUNCTION_LINES = 100


def modules(root: Path, checked=CHECKED) -> list[Path]:
    found = []
    for name in checked:
        path = root / name
        if path.is_file():
            found.append(path)
        else:
            found.extend(p for p in path.rglob("*.py") if "__pycache__" not in p.parts)
    return sorted(found)


def violations(root: Path, checked=CHECKED) -> list[str]:
    """Every breach of the limits under ``root``, each naming its offender."""
    found = []
    folders: dict[Path, int] = {}
    for path in modules(root, checked):
        rel = path.relative_to(root).as_posix()
        folders[path.parent] = folders.get(path.parent, 0) + 1
        source = path.read_text(encoding="utf-8")
        n_lines = len(source.splitlines())
        if n_lines > MAX_MODULE_LINES:
            found.append(f"module {rel} has {n_lines} lines (max {MAX_MODULE_LINES})")
        for node in ast.walk(ast.parse(source, filename=rel)):
            if isinstance(node, ast.ClassDef):
                kind, limit = "class", MAX_CLASS_LINES
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                kind, limit = "function", MAX_FUNCTION_LINES
            else:
                continue
            span = node.end_lineno - node.lineno + 1
            if span > limit:
                found.append(
                    f"{kind} {node.name} in {rel}:{node.lineno} has {span} lines "
                    f"(max {limit})"
                )
    for folder, count in sorted(folders.items()):
        if count > MAX_FOLDER_MODULES and folder != root:
            rel = folder.relative_to(root).as_posix()
            found.append(
                f"folder {rel}/ has {count} modules (max {MAX_FOLDER_MODULES})"
            )
    return found


def test_the_checks_see_every_part():
    rel = {p.relative_to(ROOT).as_posix() for p in modules(ROOT)}
    assert {
        "build.py",
        "emcore/__init__.py",
        "emcore/kernels/moments.py",
        "site/app/bindings.py",
        "site/simapp/state/reducer.py",
        "sitebuild/assemble.py",
    } <= rel


def test_emcore_site_and_sitebuild_keep_within_the_limits():
    found = violations(ROOT)
    assert not found, "over the size limits:\n" + "\n".join(found)


def long_body(n: int) -> str:
    return "".join(f"    x{i} = {i}\n" for i in range(n))


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"pkg/m.py": "x = 1\n" * 601}, "module pkg/m.py has 601 lines"),
        (
            {"pkg/m.py": "class Big:\n" + long_body(300)},
            "class Big in pkg/m.py:1 has 301 lines",
        ),
        (
            {"pkg/m.py": "async def big():\n" + long_body(100)},
            "function big in pkg/m.py:1 has 101 lines",
        ),
        (
            {f"pkg/m{i}.py": "" for i in range(17)},
            "folder pkg/ has 17 modules",
        ),
    ],
    ids=["module", "class", "function", "folder"],
)
def test_each_limit_names_its_offender(tmp_path, files, expected):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    found = violations(tmp_path, ("pkg",))
    assert len(found) == 1 and found[0].startswith(expected), found


def test_at_the_limits_nothing_is_reported(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    for i in range(15):
        (pkg / f"m{i}.py").write_text("", encoding="utf-8")
    (pkg / "big.py").write_text(
        "def f():\n" + long_body(99) + "class C:\n" + long_body(299), encoding="utf-8"
    )
    assert violations(tmp_path, ("pkg",)) == []
