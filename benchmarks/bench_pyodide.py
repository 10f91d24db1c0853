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
N_FIT = 100  # iterations of the whole-fit comparison with scikit-learn

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
py.registerJsModule("bench_clock", {
  cpu_seconds: () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1e6;
  },
});
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


# CPython side: the same protocol in a child process, so that a baseline
# revision's emcore can be timed beside the checkout's.
SERVER_PY = r"""
import json, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
try:
    import sklearn.mixture  # its BLAS too must be loaded before the limit
except ImportError:
    pass
try:
    from threadpoolctl import threadpool_limits
    threadpool_limits(1)  # wasm has one thread
except ImportError:
    pass
import emloop
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    try:
        print(eval(json.loads(line)["code"]), flush=True)
    except Exception as exc:
        print(json.dumps({"error": repr(exc)}), flush=True)
"""


class Worker:
    """A child process (Node + Pyodide, or CPython) evaluating ``emloop`` calls."""

    def __init__(self, name: str, cmd: list[str]):
        self.name = name
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        first = json.loads(self.proc.stdout.readline() or "{}")
        if not first.get("ready"):
            raise build.BuildError(f"{name} did not start (see above)")

    def call(self, expr: str):
        """Evaluate ``emloop.<expr>`` and return its (JSON) value."""
        code = f"json.dumps(emloop.{expr})"
        self.proc.stdin.write(json.dumps({"code": code}) + "\n")
        self.proc.stdin.flush()
        value = json.loads(self.proc.stdout.readline())
        if isinstance(value, dict) and "error" in value:
            raise RuntimeError(f"{self.name} failed on {expr}: {value['error']}")
        return value

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def numpy_wheel() -> Path:
    lock_dir = build.npm_package("pyodide", build.PYODIDE_VERSION)
    lock = json.loads((lock_dir / "pyodide-lock.json").read_text())
    entry = lock["packages"]["numpy"]
    found = build._find_numpy_wheel(entry, build.default_wheels_dir())
    if found is None:
        raise build.BuildError(
            f"Pyodide's numpy wheel {entry['file_name']} is not in "
            f"{build.default_wheels_dir()} (set EMGMM_WHEELS)"
        )
    return found


def source_tree(tmp: Path, revision: str | None) -> Path:
    """The checkout itself, or ``revision`` exported with ``git archive``."""
    if revision is None:
        return ROOT
    tree = tmp / f"tree-{revision.replace('/', '_')}"
    tree.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def emcore_wheel(tree: Path, out: Path) -> Path:
    """``pip wheel <tree> --no-deps`` into ``out``."""
    if tree == ROOT:
        return build.build_wheel(out)
    out.mkdir(parents=True)
    cmd = [sys.executable, "-m", "pip", "wheel", str(tree), "--no-deps", "-w"]
    subprocess.run([*cmd, str(out), "--quiet"], check=True)
    return next(out.glob("emcore-*.whl"))


def start_pair(tmp: Path, label: str, revision: str | None):
    """A CPython worker and a Pyodide worker for one version of emcore."""
    tree = source_tree(tmp, revision)
    wheel = emcore_wheel(tree, tmp / f"wheel-{label}")
    workload = str(ROOT / "benchmarks")
    cpython = Worker(
        f"CPython ({label})", [sys.executable, "-c", SERVER_PY, str(tree), workload]
    )
    driver = tmp / "driver.mjs"
    driver.write_text(DRIVER_JS)
    pkg = build.npm_package("pyodide", build.PYODIDE_VERSION)
    pyodide = Worker(
        f"Pyodide ({label})",
        [
            "node",
            "--no-liftoff",
            str(driver),
            str(pkg),
            str(numpy_wheel()),
            str(wheel),
            str(ROOT / "benchmarks" / "emloop.py"),
        ],
    )
    return cpython, pyodide


def both(pair, expr):
    """The same ``emloop`` call in CPython, then in Pyodide."""
    return pair[0].call(expr), pair[1].call(expr)


def n_iterations(n):
    # about 0.1 s of CPython per repeat; wasm is some times slower
    return max(5, min(100, 250_000 // n))


def per_iteration_table(pairs, sizes, ks, types):
    """Section 1; ``pairs`` maps a label to its (CPython, Pyodide) workers."""
    print("\n1. per EM iteration (steady state, tol = 0), CPU ms, fastest of 5")
    head = f"  {'N':>6s} {'K':>2s} {'cov':9s}"
    for label in pairs:
        head += f" | {label[:10]:>10s} {'CPython':>8s} {'Pyodide':>8s} {'ratio':>6s}"
    print(head)
    ratios = {label: {} for label in pairs}
    for n in sizes:
        for k in ks:
            for cov in types:
                expr = f"iteration_time({n}, {k}, {cov!r}, {n_iterations(n)})"
                row = f"  {n:6d} {k:2d} {cov:9s}"
                for label, pair in pairs.items():
                    ours, wasm = both(pair, expr)
                    a, b = ours["loglik"], wasm["loglik"]
                    rel = abs(a - b) / abs(a)
                    assert rel <= LOGLIK_RTOL, (label, n, k, cov, a, b)
                    ratio = wasm["cpu"] / ours["cpu"]
                    ratios[label][n, k, cov] = ratio
                    row += (
                        f" | {'':10s} {1e3 * ours['cpu']:8.3f} "
                        f"{1e3 * wasm['cpu']:8.3f} {ratio:6.2f}"
                    )
                print(row)
    print(f"  CPython and Pyodide final log-likelihoods agree to {LOGLIK_RTOL:g}")
    return ratios


def profile_table(pair, cov, n=5000, k=6):
    ours, wasm = both(pair, f"profile({n}, {k}, {cov!r})")
    print(f"\n2. profile, N = {n}, K = {k}, {cov}: CPU us per call")
    head = f"  {'piece':20s} {'CPython':>8s} {'Pyodide':>8s}"
    print(head + f" {'ratio':>6s} {'share':>6s}")
    for name in ours:
        a, b = 1e6 * ours[name], 1e6 * wasm[name]
        share = b / (1e6 * wasm["iteration"])
        ratio = b / max(a, 1e-3)
        print(f"  {name:20s} {a:8.1f} {b:8.1f} {ratio:6.1f} {100 * share:5.0f}%")


def kernel_table(pair):
    ours, wasm = both(pair, "building_blocks()")
    print("\n3. building blocks (N = 5000, K = 6): CPU us per call")
    print(f"  {'operation':26s} {'CPython':>8s} {'Pyodide':>8s} {'ratio':>6s}")
    for name in ours:
        a, b = 1e6 * ours[name], 1e6 * wasm[name]
        print(f"  {name:26s} {a:8.1f} {b:8.1f} {b / a:6.1f}")


def sklearn_table(pairs, types, n=5000, k=6):
    print(
        f"\n4. CPython: emcore against scikit-learn, whole fit / {N_FIT} iterations,"
        f" N = {n}, K = {k}, CPU ms, fastest of 5"
    )
    head = f"  {'cov':9s}"
    for label in pairs:
        head += f" | {label[:10]:>10s} {'emcore':>8s} {'sklearn':>8s} {'speed-up':>8s}"
    print(head)
    for cov in types:
        row = f"  {cov:9s}"
        for pair in pairs.values():
            ours = pair[0].call(f"fit_time({n}, {k}, {cov!r}, {N_FIT}, 'emcore')")
            theirs = pair[0].call(f"fit_time({n}, {k}, {cov!r}, {N_FIT}, 'sklearn')")
            row += (
                f" | {'':10s} {1e3 * ours:8.3f} {1e3 * theirs:8.3f} "
                f"{theirs / ours:7.1f}x"
            )
        print(row)


def event_table(pairs, n=5000, k=6):
    print(
        f"\n5. simulator.iterate, CPU ms per 'em' event, N = {n}, K = {k}: a frame"
        " the page skips (timeline only) and one it draws (+ ellipses, mapping)"
    )
    head = f"  {'':9s}"
    for label in pairs:
        head += f" | {label[:10]:>10s} {'skipped':>8s} {'drawn':>8s}"
    print(head)
    for runtime in (0, 1):
        row = f"  {('CPython', 'Pyodide')[runtime]:9s}"
        for pair in pairs.values():
            cost = pair[runtime].call(f"event_costs({n}, {k})")
            row += (
                f" | {'':10s} {1e3 * cost['skipped']:8.3f} {1e3 * cost['drawn']:8.3f}"
            )
        print(row)


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N = 5000 only")
    parser.add_argument(
        "--baseline",
        metavar="REV",
        help="also time emcore as of git revision REV (e.g. main), interleaved",
    )
    parser.add_argument(
        "--sections",
        default="12345",
        help="which numbered sections to run (default 12345)",
    )
    parser.add_argument(
        "--types",
        default=",".join(COV_TYPES),
        help="covariance types of sections 1 and 2 (comma-separated)",
    )
    args = parser.parse_args(argv)
    types = tuple(args.types.split(","))
    if shutil.which("node") is None:
        print("bench_pyodide: node is not installed; nothing measured")
        return 0
    print(f"emcore in Pyodide {build.PYODIDE_VERSION} (Node) against CPython")
    print(f"  CPython {sys.version.split()[0]}, BLAS limited to 1 thread")
    if hasattr(os, "getloadavg"):
        print("  load average (1, 5, 15 min): " + load_average())
    with tempfile.TemporaryDirectory(prefix="emgmm-bench-") as tmp:
        pairs = {}
        try:
            pairs["checkout"] = start_pair(Path(tmp), "checkout", None)
            if args.baseline:
                pairs[args.baseline] = start_pair(Path(tmp), "baseline", args.baseline)
        except build.BuildError as exc:
            print(f"bench_pyodide: {exc}; nothing measured")
            return 0
        try:
            current = pairs["checkout"]
            info = both(current, "platform_info()")
            for worker, about in zip(current, info, strict=True):
                print(
                    f"  {worker.name}: Python {about['python']}, "
                    f"numpy {about['numpy']}, {about['platform']}"
                )
            sizes = (5000,) if args.quick else (500, 5000, 50_000)
            ratios = {}
            if "1" in args.sections:
                ratios = per_iteration_table(pairs, sizes, (3, 6), types)
            if "2" in args.sections:
                for cov in types:
                    profile_table(current, cov)
            if "3" in args.sections:
                kernel_table(current)
            if "4" in args.sections:
                sklearn_table(pairs, types)
            if "5" in args.sections:
                event_table(pairs)
        finally:
            for pair in pairs.values():
                for worker in pair:
                    worker.close()
    if ratios:
        print("\nheadline (target <= 2.5): Pyodide / CPython at N = 5000, K = 6")
        for label, table in ratios.items():
            cells = ", ".join(f"{c} {table[5000, 6, c]:.2f}" for c in types)
            print(f"  {label}: {cells}")
    if hasattr(os, "getloadavg"):
        print("load average at the end: " + load_average())
    return 0


if __name__ == "__main__":
    sys.exit(main())
