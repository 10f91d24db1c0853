r"""EM per iteration in Pyodide against CPython, and where Pyodide spends it
(issue 16).

One command, from the repository root::

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
        .venv/bin/python benchmarks/bench_pyodide.py [--quick]

It runs the page's runtime without a browser: npm ``pyodide`` at
``build.PYODIDE_VERSION`` (fetched and cached by ``build.npm_package``, the
same copy the vendored site uses) in Node, with Pyodide's numpy wheel from
``$EMGMM_WHEELS`` or ``~/.cache/emgmm/wheels`` (``build.py`` finds it the
same way) and the emcore wheel ``pip wheel . --no-deps`` builds from this
checkout. Node compiles all of Pyodide with its optimising compiler up front
(``--no-liftoff``), so no figure depends on when V8 tiers up a function.

The same workload, ``benchmarks/emloop.py``, runs in this CPython process and
in Pyodide, alternating configuration by configuration so both share the
machine's load; CPython's BLAS is limited to one thread (wasm has one). It
prints, each as Pyodide / CPython ratios of CPU time:

1. steady-state time per EM iteration (``emcore.em_steps``, ``tol = 0``,
   k-means++ start) for N = 500, 5000, 50000, K = 3 and 6 and all four
   covariance types (``--quick``: N = 5000 only);
2. a profile at N = 5000, K = 6: each piece of an iteration timed on its own
   (see ``emloop.profile``) in both interpreters;
3. the small products and element-wise operations EM is made of, as ``@``,
   ``einsum`` and broadcast forms.

It exits 0 whatever the timings (and with a message when Node, npm or the
numpy wheel is missing). It asserts one thing: both interpreters reach the
same final log-likelihood (1e-9 relative), so a fast but wrong Pyodide path
cannot pass unnoticed. Named ``bench_*.py``, so pytest never collects it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import build  # noqa: E402

COV_TYPES = ("full", "tied", "diag", "spherical")
LOGLIK_RTOL = 1e-9

# Node side: load Pyodide, numpy and emcore, then run one Python expression
# per input line and print its (JSON string) value on one line.
DRIVER_JS = r"""
import { createInterface } from "node:readline";
import { readFileSync } from "node:fs";
const [pkgDir, numpyWheel, emcoreWheel, workload] = process.argv.slice(2);
const { loadPyodide } = await import(pkgDir + "/pyodide.mjs");
const quiet = { messageCallback: () => {}, errorCallback: (m) => console.error(m) };
const py = await loadPyodide({
  indexURL: pkgDir + "/", stdout: (s) => console.error(s),
});
await py.loadPackage(numpyWheel, quiet);
await py.loadPackage(emcoreWheel, quiet);
py.FS.writeFile("/home/pyodide/emloop.py", readFileSync(workload));
py.runPython("import sys; sys.path.insert(0, '/home/pyodide'); import emloop, json");
console.log(JSON.stringify({ ready: true }));
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  try {
    console.log(py.runPython(JSON.parse(line).code));
  } catch (err) {
    console.log(JSON.stringify({ error: String(err) }));
  }
}
"""


class Pyodide:
    """A Node process running Pyodide that evaluates ``emloop`` calls."""

    def __init__(self, tmp: Path):
        lock_dir = build.npm_package("pyodide", build.PYODIDE_VERSION)
        lock = json.loads((lock_dir / "pyodide-lock.json").read_text())
        numpy_wheel = build._find_numpy_wheel(
            lock["packages"]["numpy"], build.default_wheels_dir()
        )
        if numpy_wheel is None:
            raise build.BuildError(
                f"Pyodide's numpy wheel {lock['packages']['numpy']['file_name']} is "
                f"not in {build.default_wheels_dir()} (set EMGMM_WHEELS)"
            )
        wheel = build.build_wheel(tmp)
        driver = tmp / "driver.mjs"
        driver.write_text(DRIVER_JS)
        self.proc = subprocess.Popen(
            [
                "node",
                "--no-liftoff",
                str(driver),
                str(lock_dir),
                str(numpy_wheel),
                str(wheel),
                str(ROOT / "benchmarks" / "emloop.py"),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        first = json.loads(self.proc.stdout.readline() or "{}")
        if not first.get("ready"):
            raise build.BuildError("Pyodide did not start in Node (see above)")

    def call(self, expr: str):
        """Evaluate ``emloop.<expr>`` in Pyodide and return its value."""
        code = f"json.dumps(emloop.{expr})"
        self.proc.stdin.write(json.dumps({"code": code}) + "\n")
        self.proc.stdin.flush()
        value = json.loads(self.proc.stdout.readline())
        if isinstance(value, dict) and "error" in value:
            raise RuntimeError(f"Pyodide failed on {expr}: {value['error']}")
        return value

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def both(pyodide, expr):
    """The same ``emloop`` call in CPython, then in Pyodide."""
    import emloop

    return eval(f"emloop.{expr}", {"emloop": emloop}), pyodide.call(expr)


def n_iterations(n):
    # about 0.1 s of CPython per repeat; wasm is some times slower
    return max(5, min(100, 250_000 // n))


def per_iteration_table(pyodide, sizes, ks):
    print("\n1. per EM iteration (steady state, tol = 0), CPU time, median of 3")
    head = f"  {'N':>6s} {'K':>2s} {'cov':9s} {'CPython ms':>10s} {'Pyodide ms':>10s}"
    print(head + f" {'ratio':>6s} {'wall ratio':>10s}")
    ratios = {}
    for n in sizes:
        for k in ks:
            for cov in COV_TYPES:
                expr = f"iteration_time({n}, {k}, {cov!r}, {n_iterations(n)})"
                ours, wasm = both(pyodide, expr)
                rel = abs(ours["loglik"] - wasm["loglik"]) / abs(ours["loglik"])
                assert rel <= LOGLIK_RTOL, (n, k, cov, ours["loglik"], wasm["loglik"])
                ratio = wasm["cpu"] / ours["cpu"]
                ratios[n, k, cov] = ratio
                print(
                    f"  {n:6d} {k:2d} {cov:9s} {1e3 * ours['cpu']:10.3f} "
                    f"{1e3 * wasm['cpu']:10.3f} {ratio:6.2f} "
                    f"{wasm['wall'] / ours['wall']:10.2f}"
                )
    print(f"  final log-likelihoods agree to {LOGLIK_RTOL:g} in every row")
    return ratios


def profile_table(pyodide, cov, n=5000, k=6):
    ours, wasm = both(pyodide, f"profile({n}, {k}, {cov!r})")
    print(f"\n2. profile, N = {n}, K = {k}, {cov}: CPU us per call")
    head = f"  {'piece':20s} {'CPython':>8s} {'Pyodide':>8s}"
    print(head + f" {'ratio':>6s} {'share':>6s}")
    for name in ours:
        a, b = 1e6 * ours[name], 1e6 * wasm[name]
        share = b / (1e6 * wasm["iteration"])
        ratio = b / max(a, 1e-3)
        print(f"  {name:20s} {a:8.1f} {b:8.1f} {ratio:6.1f} {100 * share:5.0f}%")


def kernel_table(pyodide):
    ours, wasm = both(pyodide, "matmul_shapes()")
    print("\n3. building blocks (N = 5000, K = 6): CPU us per call")
    print(f"  {'operation':26s} {'CPython':>8s} {'Pyodide':>8s} {'ratio':>6s}")
    for name in ours:
        a, b = 1e6 * ours[name], 1e6 * wasm[name]
        print(f"  {name:26s} {a:8.1f} {b:8.1f} {b / a:6.1f}")


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N = 5000 only")
    args = parser.parse_args(argv)
    if shutil.which("node") is None:
        print("bench_pyodide: node is not installed; nothing measured")
        return 0
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:
        print("(threadpoolctl missing: CPython's BLAS keeps its own thread count)")
    import numpy as np

    print(f"emcore in Pyodide {build.PYODIDE_VERSION} (Node) against CPython")
    print(f"  CPython {sys.version.split()[0]}, numpy {np.__version__}, BLAS 1 thread")
    if hasattr(os, "getloadavg"):
        print("  load average (1, 5, 15 min): " + load_average())
    with tempfile.TemporaryDirectory(prefix="emgmm-bench-") as tmp:
        try:
            pyodide = Pyodide(Path(tmp))
        except build.BuildError as exc:
            print(f"bench_pyodide: {exc}; nothing measured")
            return 0
        try:
            info = pyodide.call("platform_info()")
            print(f"  Pyodide: Python {info['python']}, numpy {info['numpy']}")
            sizes = (5000,) if args.quick else (500, 5000, 50_000)
            ratios = per_iteration_table(pyodide, sizes, (3, 6))
            for cov in COV_TYPES:
                profile_table(pyodide, cov)
            kernel_table(pyodide)
        finally:
            pyodide.close()
    print("\nheadline (target <= 2.5): Pyodide / CPython at N = 5000, K = 6:")
    print("  " + ", ".join(f"{c} {ratios[5000, 6, c]:.2f}" for c in COV_TYPES))
    if hasattr(os, "getloadavg"):
        print("load average at the end: " + load_average())
    return 0


if __name__ == "__main__":
    sys.exit(main())
