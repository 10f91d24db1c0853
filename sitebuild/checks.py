"""``build.py test``: set up the tools, then ruff, pytest and a second BLAS pass.

Creates ``.venv`` if missing and installs ``.[test]`` into it, installs Debian
chromium, firefox-esr, webkit2gtk-driver and xvfb when running as root without
them and npm puppeteer-core into ``.cache/node``, then runs ruff and pytest;
with no pytest arguments, emcore's numeric tests run again under a second
OpenBLAS kernel.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import venv

from .common import (
    CHROMIUM,
    FIREFOX,
    MINIBROWSER,
    NODE_DIR,
    PUPPETEER_CORE_VERSION,
    ROOT,
    WEBKIT_DRIVER,
    XVFB,
    log,
    run,
)

# Debian package that provides each browser file the tests need
BROWSER_PACKAGES = {
    CHROMIUM: "chromium",
    FIREFOX: "firefox-esr",
    WEBKIT_DRIVER: "webkit2gtk-driver",
    MINIBROWSER: "webkit2gtk-driver",  # via its dependency libwebkit2gtk-4.1-0
    XVFB: "xvfb",
}
#: emcore's numeric tests, run again under a second BLAS kernel (the slow
#: search over random starts is left out: it adds minutes and no new products).
NUMERIC_TESTS = [
    "tests/emcore/kernels/test_blas_kernels.py",
    "tests/emcore/test_robustness.py",
    "tests/emcore/test_mixture.py",
    "-k",
    "not reaches_sklearns_best_optimum",
]


def install_browsers() -> None:
    """Install the three browser engines the tests drive, when missing.

    As root: Debian's chromium, firefox-esr, webkit2gtk-driver (WebKitWebDriver
    and MiniBrowser) and xvfb (``apt-get update`` once, then one ``apt-get
    install -y``). Then npm ``puppeteer-core`` into ``.cache/node`` with
    ``PUPPETEER_SKIP_DOWNLOAD=1``. A failure is logged, not raised: the browser
    tests then fail (or skip, printing why) on their own.
    """
    missing = sorted({pkg for p, pkg in BROWSER_PACKAGES.items() if not p.exists()})
    if missing and hasattr(os, "geteuid") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        lock = ["-o", "DPkg::Lock::Timeout=600"]  # other apt runs may hold the lock
        for cmd in (
            ["apt-get", *lock, "update"],
            ["apt-get", *lock, "install", "-y", *missing],
        ):
            if run(cmd, env=env).returncode != 0:
                log(f"installing {', '.join(missing)} failed; browser tests will fail")
                break
    elif missing:
        log(f"not root: cannot install {', '.join(missing)}")
    package = NODE_DIR / "node_modules" / "puppeteer-core" / "package.json"
    installed = package.exists() and (
        json.loads(package.read_text()).get("version") == PUPPETEER_CORE_VERSION
    )
    if installed:
        return
    if shutil.which("npm") is None:
        log("npm not found: the Firefox tests need npm puppeteer-core")
        return
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    cmd = ["npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix"]
    spec = f"puppeteer-core@{PUPPETEER_CORE_VERSION}"
    if run([*cmd, str(NODE_DIR), spec], env=env).returncode != 0:
        log(f"npm install {spec} failed; the Firefox tests will fail")


def run_tests(pytest_args: list[str]) -> int:
    """Set up .venv, the browsers, then ruff + pytest; return the exit code."""
    venv_dir = ROOT / ".venv"
    py = venv_dir / "bin" / "python"
    if not py.exists():
        log(f"creating {venv_dir}")
        venv.EnvBuilder(with_pip=True).create(venv_dir)
    proc = run([str(py), "-m", "pip", "install", "--quiet", "-e", ".[test]"], cwd=ROOT)
    if proc.returncode != 0:
        log("installing .[test] failed")
        return proc.returncode
    install_browsers()
    ruff = str(venv_dir / "bin" / "ruff")
    steps = {
        "ruff check": [ruff, "check", "."],
        "ruff format --check": [ruff, "format", "--check", "."],
        # the slowest tests in every run's output: CI has a 30-minute budget
        "pytest": [str(py), "-m", "pytest", *(pytest_args or ["--durations=25"])],
    }
    failed = [name for name, cmd in steps.items() if run(cmd, cwd=ROOT).returncode]
    if not pytest_args and other_kernel_pass(str(py)):
        failed.append("pytest under a second OpenBLAS kernel")
    if failed:
        log("FAILED: " + ", ".join(failed))
        return 1
    log("all checks passed")
    return 0


def other_kernel_pass(py: str) -> int:
    """Run the numeric tests under an OpenBLAS kernel other than this CPU's.

    Matrix products give NaN from ``inf * 0`` on some kernels only, so results
    must not depend on the kernel; ``OPENBLAS_CORETYPE`` picks another one for
    this pytest process alone. Haswell and Sandybridge run on every x86-64 CPU
    of the last decade. Returns pytest's exit code.
    """
    probe = (
        "import numpy, threadpoolctl; print(next(i['architecture'] for i in "
        "threadpoolctl.threadpool_info() if i['internal_api'] == 'openblas'))"
    )
    found = subprocess.run([py, "-c", probe], capture_output=True, text=True)
    default = found.stdout.strip() or "unknown"
    other = "Sandybridge" if default.lower() in ("haswell", "zen") else "Haswell"
    log(f"numeric tests again under OpenBLAS {other} (this CPU's kernel: {default})")
    env = {**os.environ, "OPENBLAS_CORETYPE": other}
    cmd = [py, "-m", "pytest", "-W", "error::RuntimeWarning", *NUMERIC_TESTS]
    start = time.monotonic()
    code = run(cmd, cwd=ROOT, env=env).returncode
    log(f"second-kernel pass took {time.monotonic() - start:.0f} s")
    return code
