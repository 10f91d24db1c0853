"""sitebuild.wheel: the browser's copy of a wheel, and docstring stripping."""

from __future__ import annotations

import base64
import hashlib
import zipfile

from sitebuild.assemble import site_python_files
from sitebuild.common import SITE_SRC
from sitebuild.wheel import browser_wheel, strip_docstrings


def test_browser_wheel_drops_docstrings_and_rewrites_record(
    tmp_path, fake_emcore_wheel
):
    out = browser_wheel(fake_emcore_wheel, tmp_path / "out")
    assert out.name == fake_emcore_wheel.name
    with zipfile.ZipFile(out) as whl:
        code = whl.read("emcore/__init__.py").decode()
        record = whl.read("emcore-0.0.0.dist-info/RECORD").decode().splitlines()
        names = set(whl.namelist())
    assert "docstring" not in code and "comment" not in code
    namespace: dict = {}
    exec(compile(code, "emcore/__init__.py", "exec"), namespace)
    assert namespace["f"](1) == 2 and isinstance(namespace["C"], type)
    rows = {row.split(",")[0]: row.split(",")[1:] for row in record}
    assert set(rows) == names
    for name, (digest, size) in rows.items():
        if name.endswith("RECORD"):
            assert digest == size == ""
            continue
        with zipfile.ZipFile(out) as whl:
            data = whl.read(name)
        expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest())
        assert digest == "sha256=" + expected.decode().rstrip("=")
        assert int(size) == len(data)


def test_shipped_site_python_keeps_its_behaviour_without_docstrings():
    # every site module still compiles, and shrinks, once stripped
    for rel in site_python_files():
        source = (SITE_SRC / rel).read_text("utf-8")
        stripped = strip_docstrings(source, rel)
        assert len(stripped) < len(source), rel
    assert strip_docstrings('"""only"""\n') == "pass\n"
