"""sitebuild.bytecode: the wheels' modules compiled by Pyodide under Node.

The bytecode is for Pyodide's Python (3.13), which this CPython may not be:
here the files are checked for what they are (sourceless ``.pyc`` with a
magic number, in place of each ``.py``, RECORD right, data untouched, the
same bytes for the same sources); the browser tests import them.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import zipfile

import pytest

from sitebuild import bytecode
from sitebuild.common import PYODIDE_VERSION
from sitebuild.wheel import page_wheel

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node")

MODULES = {
    "pkg/__init__.py": b"",
    "pkg/mod.py": b"import math\n\n\ndef f(x):\n    return x in {'a', 'b', 'c'}\n",
    "pkg/data/table.csv": b"x,y\n1,2\n",
}


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setattr(bytecode, "BYTECODE_CACHE", folder)
    return folder


def _members(wheel) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as whl:
        return {name: whl.read(name) for name in whl.namelist()}


def test_modules_become_sourceless_pyc_and_data_stays(tmp_path, cache):
    wheel = page_wheel(MODULES, tmp_path / "a", "1.0")
    assert bytecode.compile_wheels([wheel], PYODIDE_VERSION) is True
    members = _members(wheel)
    assert "pkg/mod.py" not in members and "pkg/__init__.py" not in members
    pyc = members["pkg/mod.pyc"]
    # a magic number (2 bytes, then \r\n), flags 0, 8 unused bytes, the code
    assert pyc[2:4] == b"\r\n" and pyc[4:16] == bytes(12) and len(pyc) > 100
    assert members["pkg/__init__.pyc"][:4] == pyc[:4]
    assert members["pkg/data/table.csv"] == MODULES["pkg/data/table.csv"]
    record = next(v for k, v in members.items() if k.endswith("RECORD"))
    for line in record.decode().split():
        name, digest, size = line.split(",")
        if digest:
            expected = base64.urlsafe_b64encode(
                hashlib.sha256(members[name]).digest()
            ).decode()
            assert digest == "sha256=" + expected.rstrip("=")
            assert int(size) == len(members[name])
    assert set(members) == {line.split(",")[0] for line in record.decode().split()}


def test_same_sources_give_the_same_bytes_and_come_from_the_cache(
    tmp_path, cache, monkeypatch
):
    first = page_wheel(MODULES, tmp_path / "a", "1.0")
    bytecode.compile_wheels([first], PYODIDE_VERSION)
    shutil.rmtree(cache)  # compiled again, in a fresh interpreter
    second = page_wheel(MODULES, tmp_path / "b", "1.0")
    bytecode.compile_wheels([second], PYODIDE_VERSION)
    assert first.read_bytes() == second.read_bytes()

    def no_node(*args, **kwargs):
        raise AssertionError("compiled again instead of reusing the cache")

    monkeypatch.setattr(bytecode, "_compile", no_node)
    third = page_wheel(MODULES, tmp_path / "c", "1.0")
    assert bytecode.compile_wheels([third], PYODIDE_VERSION) is True
    assert third.read_bytes() == first.read_bytes()


def test_without_node_the_wheel_keeps_its_sources(tmp_path, cache, monkeypatch):
    wheel = page_wheel(MODULES, tmp_path / "a", "1.0")
    before = wheel.read_bytes()
    monkeypatch.setattr(bytecode.shutil, "which", lambda name: None)
    assert bytecode.compile_wheels([wheel], PYODIDE_VERSION) is False
    assert wheel.read_bytes() == before


def test_a_syntax_error_is_a_build_error(tmp_path, cache):
    wheel = page_wheel({"pkg/bad.py": b"def (:\n"}, tmp_path / "a", "1.0")
    with pytest.raises(bytecode.BuildError, match="SyntaxError"):
        bytecode.compile_wheels([wheel], PYODIDE_VERSION)
