"""Shared pytest set-up for the emcore and site tests."""

import os

import pytest
from hypothesis import settings

# Hypothesis's default 200 ms deadline turns a busy machine into a failure
# (seen: a 0.4 ms tick-placement example took 372 ms once while other
# processes held both cores); speed is measured in benchmarks/, not here.
settings.register_profile("emgmm", deadline=None)
settings.load_profile("emgmm")


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
