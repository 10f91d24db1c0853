"""The structure rules of site/, checked on the source (no browser).

* only ``site/app/`` imports ``js``, ``pyodide``, ``pyodide_js`` or ``pyscript``;
* no mixins: no class with more than one base;
* no class over about 300 lines of code;
* no ``getattr(self, name, default)`` / ``hasattr(self, name)`` guards;
* the address bar is written in one place, from the page state alone;
* handlers (``app/bindings.py``) never draw; views never dispatch actions;
* every ``simapp`` module's docstring examples run;
* each ``simapp`` folder imports only the folders its docstring allows, and so
  does each subfolder of ``app`` (but ``views``, the page's regions).
"""

from __future__ import annotations

import ast
import doctest
import importlib
import io
import tokenize
from pathlib import Path

import pytest

SITE = Path(__file__).resolve().parents[2] / "site"
BROWSER_MODULES = {"js", "pyodide", "pyodide_js", "pyscript"}
MAX_CLASS_LINES = 300


def site_modules() -> list[Path]:
    return sorted(p for p in SITE.rglob("*.py") if "__pycache__" not in p.parts)


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported_roots(tree: ast.Module) -> set[str]:
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_rules_see_every_part_of_the_site():
    rel = {p.relative_to(SITE).as_posix() for p in site_modules()}
    assert {"main.py", "app/dom.py", "simapp/state/reducer.py"} <= rel


@pytest.mark.parametrize(
    "path", site_modules(), ids=lambda p: p.relative_to(SITE).as_posix()
)
def test_only_the_app_package_touches_the_browser(path):
    in_app = path.relative_to(SITE).parts[0] == "app"
    used = imported_roots(parse(path)) & BROWSER_MODULES
    if not in_app:
        assert not used, f"{path} imports {sorted(used)}; only site/app/ may"


def test_the_rule_catches_a_browser_import():
    tree = ast.parse("import js\nfrom pyscript.web import page\n")
    assert imported_roots(tree) & BROWSER_MODULES == {"js", "pyscript"}


def code_lines(source: str, first: int, last: int, docstrings: set[int]) -> int:
    """Lines ``first..last`` holding code (no blank, comment or docstring line)."""
    lines = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in (
            tokenize.COMMENT,
            tokenize.NL,
            tokenize.NEWLINE,
            tokenize.INDENT,
            tokenize.DEDENT,
            tokenize.ENDMARKER,
        ):
            continue
        for line in range(tok.start[0], tok.end[0] + 1):
            if first <= line <= last and line not in docstrings:
                lines.add(line)
    return len(lines)


def docstring_lines(tree: ast.Module) -> set[int]:
    lines = set()
    for node in ast.walk(tree):
        if isinstance(
            node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
        ):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                lines.update(range(body[0].lineno, body[0].end_lineno + 1))
    return lines


def classes():
    for path in site_modules():
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        docs = docstring_lines(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                size = code_lines(source, node.lineno, node.end_lineno, docs)
                yield path.relative_to(SITE).as_posix(), node, size


def test_no_mixins_and_no_large_classes():
    found = list(classes())
    assert len(found) > 20  # the walk sees the classes
    for where, node, size in found:
        assert len(node.bases) <= 1, f"{where}: {node.name} has several bases"
        assert not node.name.endswith("Mixin"), f"{where}: {node.name}"
        assert size <= MAX_CLASS_LINES, f"{where}: {node.name} has {size} lines"


def test_class_size_counts_code_only():
    source = 'class C:\n    """Doc\n\n    more."""\n\n    # note\n    x = 1\n'
    tree = ast.parse(source)
    assert code_lines(source, 1, 7, docstring_lines(tree)) == 2


def self_guards(tree: ast.Module) -> list[int]:
    """Lines of ``getattr(self, name, default)`` and ``hasattr(self, name)``."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        args = node.args
        on_self = bool(args) and isinstance(args[0], ast.Name) and args[0].id == "self"
        guard = node.func.id == "hasattr" or (
            node.func.id == "getattr" and len(args) == 3
        )
        if on_self and guard:
            found.append(node.lineno)
    return found


def test_no_getattr_guards_on_self():
    for path in site_modules():
        assert self_guards(parse(path)) == [], path
    assert self_guards(ast.parse("getattr(self, 'x', None)\nhasattr(self, 'y')")) == [
        1,
        2,
    ]


def calls_named(tree: ast.Module, name: str) -> int:
    count = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else None
            if isinstance(func, ast.Name):
                called = func.id
            count += called == name
    return count


def test_the_url_is_written_once_from_the_page_state():
    writers = {}
    for path in site_modules():
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(SITE).as_posix()
        if "replaceState" in text or "pushState" in text:
            writers.setdefault("history", []).append(rel)
        if calls_named(parse(path), "replace_url"):
            writers.setdefault("replace_url", []).append(rel)
    assert writers == {"history": ["app/dom.py"], "replace_url": ["app/page.py"]}
    page = (SITE / "app" / "page.py").read_text(encoding="utf-8")
    assert "dom.replace_url(url.state_to_query(self.store.state))" in page


def test_handlers_never_draw_and_views_never_dispatch():
    bindings = parse(SITE / "app" / "bindings.py")
    drawing = ("draw", "draw_all", "draw_model", "fill", "render", "caption")
    for name in drawing:
        assert calls_named(bindings, name) == 0, name
    for path in sorted((SITE / "app" / "views").glob("*.py")):
        assert calls_named(parse(path), "dispatch") == 0, path


SIMAPP_MODULES = sorted(
    ".".join(p.relative_to(SITE / "simapp").with_suffix("").parts)
    for p in (SITE / "simapp").rglob("*.py")
    if p.stem != "__init__"
)


@pytest.mark.parametrize("name", SIMAPP_MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(f"simapp.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


#: What each folder of ``simapp`` may import of the others (its docstring says
#: the same): a folder lower in the list never reaches up to a higher one.
ALLOWED_IMPORTS = {
    "text": set(),
    "charts": {"text", "run.budget"},
    "data": {"text", "run.budget"},
    "segmentation": {"text"},
    "lessons": {"text", "data", "state.settings"},
    "run": {"text", "data"},
    "state": {"text", "data", "lessons", "run", "segmentation"},
    "exports": {"text", "charts", "data", "lessons", "run", "state", "segmentation"},
}
SIMAPP_FILES = sorted((SITE / "simapp").glob("*/*.py"))


def simapp_imports(tree: ast.Module) -> set[str]:
    """``folder`` or ``folder.module`` of every absolute ``simapp`` import."""
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "simapp":
                names = [f"simapp.{alias.name}" for alias in node.names]
        found.update(
            ".".join(n.split(".")[1:3]) for n in names if n.startswith("simapp.")
        )
    return found


def test_every_simapp_folder_has_an_import_rule():
    folders = {p.parent.name for p in SIMAPP_FILES}
    assert folders == set(ALLOWED_IMPORTS)


@pytest.mark.parametrize(
    "path", SIMAPP_FILES, ids=lambda p: p.relative_to(SITE).as_posix()
)
def test_simapp_folders_import_only_what_their_rule_allows(path):
    folder = path.relative_to(SITE / "simapp").parts[0]
    allowed = ALLOWED_IMPORTS[folder]
    for name in simapp_imports(parse(path)):
        other = name.split(".")[0]
        if other == folder:
            continue
        assert other in allowed or name in allowed, (
            f"{path.relative_to(SITE)} imports simapp.{name}; "
            f"{folder}/ may import {sorted(allowed) or 'nothing of simapp'}"
        )


#: What each subfolder of ``app`` may import of ``app`` and of ``simapp`` (its
#: docstring says the same); ``views``, the page's regions, is not ruled here.
APP_ALLOWED_IMPORTS = {
    "segmentation": {
        "app": {"dom", "frames"},
        "simapp": {"segmentation", "text"},
    },
}
APP_FOLDER_FILES = sorted(
    p
    for p in (SITE / "app").glob("*/*.py")
    if p.parent.name != "views" and "__pycache__" not in p.parts
)


def app_imports(tree: ast.Module) -> dict[str, set[str]]:
    """The ``app`` modules (relative imports from a subfolder, ``from ..``)
    and ``simapp`` folders a module of an ``app`` subfolder imports."""
    found = {"app": set(), "simapp": set()}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 2:
            if node.module:
                found["app"].add(node.module.split(".")[0])
            else:
                found["app"].update(alias.name for alias in node.names)
    found["simapp"] = {name.split(".")[0] for name in simapp_imports(tree)}
    return found


def test_every_app_subfolder_has_an_import_rule():
    folders = {p.parent.name for p in APP_FOLDER_FILES}
    assert folders == set(APP_ALLOWED_IMPORTS)


def test_the_app_rule_sees_imports_from_the_parent_package():
    tree = ast.parse("from .. import dom, store\nfrom ..runner import R\n")
    assert app_imports(tree)["app"] == {"dom", "store", "runner"}


@pytest.mark.parametrize(
    "path", APP_FOLDER_FILES, ids=lambda p: p.relative_to(SITE).as_posix()
)
def test_app_subfolders_import_only_what_their_rule_allows(path):
    folder = path.relative_to(SITE / "app").parts[0]
    rule = APP_ALLOWED_IMPORTS[folder]
    for package, names in app_imports(parse(path)).items():
        extra = names - rule[package]
        assert not extra, (
            f"{path.relative_to(SITE)} imports {package}.{sorted(extra)}; "
            f"app/{folder}/ may import {package}.{sorted(rule[package])}"
        )
