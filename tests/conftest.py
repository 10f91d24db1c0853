"""Shared pytest set-up for the emcore and site tests."""

import os

import pytest
from hypothesis import settings

# Hypothesis's default 200 ms deadline turns a busy machine into a failure
# (seen: a 0.4 ms tick-placement example took 372 ms once while other
# processes held both cores); speed is measured in benchmarks/, not here.
#
# "emgmm", the default, is derandomized: every run draws the same examples
# (seeded from each test), and no example database carries a past failure
# into later runs, so a test run cannot fail by chance. "explore" draws fresh
# examples on every run and keeps the database in .hypothesis/, to look for
# new failures: select it with EMGMM_HYPOTHESIS_PROFILE=explore or pytest's
# --hypothesis-profile=explore, and turn what it finds into an @example.
settings.register_profile("emgmm", deadline=None, derandomize=True, database=None)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("EMGMM_HYPOTHESIS_PROFILE", "emgmm"))


def _openblas_kernels():
    """``{library prefix: kernel}`` of the OpenBLAS builds loaded in this process."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:  # threadpoolctl comes with the test extras
        return {}
    import numpy  # noqa: F401  (loads numpy's OpenBLAS before asking)

    return {
        os.path.basename(info["filepath"]): info.get("architecture") or "unknown"
        for info in threadpool_info()
        if info.get("internal_api") == "openblas"
    }


def pytest_report_header(config):
    kernels = ", ".join(f"{k} ({lib})" for lib, k in _openblas_kernels().items())
    wanted = os.environ.get("OPENBLAS_CORETYPE", "not set")
    return f"OpenBLAS kernels: {kernels or 'none found'}; OPENBLAS_CORETYPE={wanted}"


@pytest.fixture
def openblas_kernels():
    """``{library file: kernel}`` of the OpenBLAS builds loaded in this process."""
    return _openblas_kernels()


@pytest.fixture
def run_without_emcore(tmp_path):
    """Run an exported script or notebook where ``import emcore`` fails.

    The returned ``run(source, result=None, timeout=300)`` takes a script's text
    or a notebook dict (its code cells in order), runs it in a fresh interpreter
    in ``tmp_path`` with matplotlib's Agg backend, and fails the test with the
    script's stderr if it exits non-zero. With ``result``, a Python expression
    evaluated after the last line, it returns that value through JSON; without,
    the script's stdout.
    """
    import json
    import subprocess
    import sys

    def run(source, result: str | None = None, timeout: float = 300.0):
        if isinstance(source, dict):
            cells = [c for c in source["cells"] if c["cell_type"] == "code"]
            source = "\n\n".join("".join(c["source"]) for c in cells)
        tail = ""
        if result:
            tail = f"\nimport json\nprint('RESULT', json.dumps({result}))\n"
        path = tmp_path / "exported.py"
        path.write_text("import sys\nsys.modules['emcore'] = None\n" + source + tail)
        out = subprocess.run(
            [sys.executable, str(path)],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={"MPLBACKEND": "Agg", "PATH": ""},
            timeout=timeout,
        )
        assert out.returncode == 0, out.stderr
        if not result:
            return out.stdout
        line = [ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")][-1]
        return json.loads(line[len("RESULT ") :])

    return run
