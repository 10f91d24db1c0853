"""``build.py`` loaded as a module (named ``emgmm_build``, so it never shadows
the PyPI ``build`` package), for the tests of the command line."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_build_script():
    """A fresh module object of ``build.py``."""
    spec = importlib.util.spec_from_file_location("emgmm_build", ROOT / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
