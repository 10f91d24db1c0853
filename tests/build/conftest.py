"""Fixtures of the build tests (no browser): a tiny stand-in emcore wheel.

``sitebuild`` (beside ``build.py``) and ``build_support`` are made importable
here, whatever the install of emcore and pytest's ``--import-mode``.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
if str(HERE.parents[1]) not in sys.path:
    sys.path.append(str(HERE.parents[1]))

FAKE_MODULE = '''"""A module docstring."""


def f(x):
    """A function docstring."""
    return x + 1  # a comment


class C:
    """Only a docstring."""
'''


@pytest.fixture
def fake_emcore_wheel(tmp_path) -> Path:
    """A tiny stand-in wheel: one documented module, a stale RECORD."""
    path = tmp_path / "emcore-0.0.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as whl:
        whl.writestr("emcore/__init__.py", FAKE_MODULE)
        whl.writestr("emcore-0.0.0.dist-info/METADATA", "Name: emcore\n")
        whl.writestr("emcore-0.0.0.dist-info/RECORD", "stale,,\n")
    return path
