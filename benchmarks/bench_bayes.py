r"""emcore's BayesianGaussianMixture: VB iteration time against scikit-learn
(CPython) and in Pyodide, and the page's "components die away" data.

One command, from the repository root::

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
        .venv/bin/python benchmarks/bench_bayes.py [--quick] [--page-data]

The workload, ``benchmarks/bayesloop.py``, runs in a CPython worker and a
Pyodide worker under Node, started as ``bench_pyodide.py`` starts its own
(same npm Pyodide, Pyodide's numpy wheel from ``$EMGMM_WHEELS`` or
``~/.cache/emgmm/wheels``, the emcore wheel of this checkout, CPython's BLAS
limited to one thread). It prints

1. CPU ms per VB iteration (steady state, ``fit_steps`` with ``tol = 0``)
   in CPython and in Pyodide and their ratio, N = 500 and 5000 (``--quick``:
   5000), K = 6, four covariance types, Dirichlet-process prior;
2. CPython, same run: emcore against scikit-learn, CPU ms per iteration
   (a fit of 101 iterations less a fit of 1, over 100: no set-up, no
   initialisation), from the same start (scikit-learn is handed emcore's
   starting responsibilities);
3. with ``--page-data``: K = 6 fitted to two simulated clusters (N = 500,
   20 seeds) for several priors and starts: how many components keep a
   weight above 1 %, iterations to convergence, iterations until at most two
   are above 1 % (CPython, a few minutes).

It exits 0 whatever the timings and when Node or the wheel is missing. It
asserts that CPython and Pyodide, and emcore and scikit-learn, reach the same
final lower bound (1e-9 relative). Named ``bench_*.py``, so pytest never
collects it.
"""

from __future__ import annotations

import argparse
import math
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_pyodide  # noqa: E402
from bench_pyodide import DRIVER_JS, SERVER_PY, Worker, build  # noqa: E402

COV_TYPES = ("full", "tied", "diag", "spherical")
PRIOR = "dirichlet_process"
K = 6
N_FIT = 100
RTOL = 1e-9
PAGE_SETTINGS = [
    (overlap, prior, gamma, init)
    for overlap in (0.0, 0.1)
    for prior, gamma in (
        ("dirichlet_process", None),
        ("dirichlet_process", 1e-3),
        ("dirichlet_process", 100.0),
        ("dirichlet_distribution", None),
        ("dirichlet_distribution", 10.0),
    )
    for init in ("random", "kmeans")
]


def start_pair(tmp: Path):
    """A CPython worker and a Pyodide worker running ``bayesloop.py`` (as the
    module ``emloop``, the name the shared driver imports)."""
    workload = tmp / "workload"
    workload.mkdir()
    script = workload / "emloop.py"
    script.write_text((Path(__file__).parent / "bayesloop.py").read_text())
    wheel = bench_pyodide.emcore_wheel(bench_pyodide.ROOT, tmp / "wheel")
    root = str(bench_pyodide.ROOT)
    cpython = Worker("CPython", [sys.executable, "-c", SERVER_PY, root, str(workload)])
    driver = tmp / "driver.mjs"
    driver.write_text(DRIVER_JS)
    pkg = build.npm_package("pyodide", build.PYODIDE_VERSION)
    numpy_wheel = str(bench_pyodide.numpy_wheel())
    pyodide = Worker(
        "Pyodide",
        ["node", "--no-liftoff", str(driver), str(pkg), numpy_wheel, str(wheel)]
        + [str(script)],
    )
    return cpython, pyodide


def same(a, b):
    return math.isclose(a, b, rel_tol=RTOL)


def iteration_table(pair, sizes):
    print(f"\n1. CPU ms per VB iteration, K = {K}, {PRIOR}, fastest of 5")
    print(f"  {'N':>6s} {'cov':9s} {'CPython':>9s} {'Pyodide':>9s} {'ratio':>6s}")
    for n in sizes:
        n_iter = max(5, min(60, 150_000 // n))
        for cov in COV_TYPES:
            expr = f"iteration_time({n}, {K}, {cov!r}, {PRIOR!r}, {n_iter})"
            cp, py = (worker.call(expr) for worker in pair)
            assert same(cp["bound"], py["bound"]), (n, cov, cp, py)
            print(
                f"  {n:6d} {cov:9s} {1e3 * cp['cpu']:9.3f} {1e3 * py['cpu']:9.3f} "
                f"{py['cpu'] / cp['cpu']:6.2f}"
            )


def sklearn_table(cpython, n=5000):
    print(
        f"\n2. CPython: CPU ms per iteration ((fit of {N_FIT + 1} - fit of 1) / "
        f"{N_FIT}), N = {n}, K = {K}, {PRIOR}, fastest of 5"
    )
    print(f"  {'cov':9s} {'emcore':>8s} {'sklearn':>8s} {'speed-up':>8s}")
    for cov in COV_TYPES:
        ours, theirs = (
            cpython.call(
                f"sklearn_fit_time({n}, {K}, {cov!r}, {PRIOR!r}, {N_FIT}, {lib!r})"
            )
            for lib in ("emcore", "sklearn")
        )
        assert same(ours["bound"], theirs["bound"]), (cov, ours, theirs)
        print(
            f"  {cov:9s} {1e3 * ours['cpu']:8.3f} {1e3 * theirs['cpu']:8.3f} "
            f"{theirs['cpu'] / ours['cpu']:7.1f}x"
        )


def page_table(cpython):
    print(
        f"\n3. K = {K} on two simulated clusters (N = 500, 20 seeds): components"
        " above 1 % at the end (how many seeds end with 2 / 3 / 4+), iterations"
        " to convergence and until at most 2 are above 1 % (median / max)"
    )
    rows = cpython.call(f"page_data({PAGE_SETTINGS!r}, list(range(20)))")
    print(
        f"  {'overlap':>7s} {'prior':22s} {'gamma':>6s} {'init':7s} "
        f"{'2/3/4+':>9s} {'iters':>9s} {'to <= 2':>10s}"
    )
    for row in rows:
        overlap, prior, gamma, init = row["settings"]
        alive = row["alive"]
        counts = "/".join(
            str(c) for c in (alive.count(2), alive.count(3), sum(a >= 4 for a in alive))
        )
        iters = row["iters"]
        reached = [f for f in row["first_two"] if f is not None]
        to_two = (
            f"{statistics.median(reached):.0f} / {max(reached)}" if reached else "never"
        )
        if len(reached) < len(alive):
            to_two += f" ({len(alive) - len(reached)} never)"
        print(
            f"  {overlap:7.1f} {prior:22s} {gamma if gamma else '1/K':>6} {init:7s} "
            f"{counts:>9s} {statistics.median(iters):4.0f} / {max(iters):<4d} "
            f"{to_two}"
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N = 5000 only")
    parser.add_argument(
        "--page-data", action="store_true", help="also the page's data (slow)"
    )
    args = parser.parse_args(argv)
    if shutil.which("node") is None:
        print("bench_bayes: node is not installed; nothing measured")
        return 0
    print(f"emcore BayesianGaussianMixture: Pyodide {build.PYODIDE_VERSION} (Node)")
    print(f"  CPython {sys.version.split()[0]}, BLAS limited to 1 thread")
    print(f"  load average (1, 5, 15 min): {bench_pyodide.load_average()}")
    with tempfile.TemporaryDirectory(prefix="emgmm-bayes-") as tmp:
        try:
            pair = start_pair(Path(tmp))
        except build.BuildError as exc:
            print(f"bench_bayes: {exc}; nothing measured")
            return 0
        try:
            for worker in pair:
                about = worker.call("platform_info()")
                print(f"  {worker.name}: numpy {about['numpy']}, {about['platform']}")
            iteration_table(pair, (5000,) if args.quick else (500, 5000))
            sklearn_table(pair[0])
            if args.page_data:
                page_table(pair[0])
        finally:
            for worker in pair:
                worker.close()
    print(f"\nfinal lower bounds equal to {RTOL:g}: CPython/Pyodide, emcore/sklearn")
    print(f"load average at the end: {bench_pyodide.load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
