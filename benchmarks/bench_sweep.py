r"""The page's ``compare=1`` sweep in Pyodide against CPython (issue 16).

One command, from the repository root::

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
        .venv/bin/python benchmarks/bench_sweep.py [--baseline REV] [--repeat R]

``?n=5000&k=3&seed=1&compare=1`` runs ``emcore.experiment.iterate`` with the
page's settings (``emloop.SWEEP_SETTINGS``); after the animated fit come the
32 cells of the AIC/BIC comparison (K = 1..8 x four covariance types, one
k-means++ start each but the watched fit) and the result. ``emloop.sweep_time``
times that part (CPU time of the ``next()`` calls that produce its events) in
Pyodide under Node and in CPython, with the driver of ``bench_pyodide.py``
(same npm Pyodide, numpy wheel, emcore wheel of this checkout, CPython's BLAS
limited to one thread). ``--baseline REV`` adds a pair of workers on emcore as
of git revision ``REV``; all workers take turns, run by run, so before and
after share the machine's load. Every worker runs the sweep once untimed
first (first calls). Then one cProfile of the sweep per worker (the profiler
adds its own cost to every Python call, so read its shares, not its total).

It prints the fastest and median of ``R`` runs (default 5), the Pyodide /
CPython ratios and the profiles, and exits 0 whatever the timings. It asserts
that every runtime and revision computed the same cells (AIC and BIC to 1e-9
relative). Named ``bench_*.py``, so pytest never collects it.
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

RTOL = 1e-9


def same_cells(a, b):
    if len(a) != len(b):
        return False
    for (ka, ca, aic_a, bic_a), (kb, cb, aic_b, bic_b) in zip(a, b, strict=True):
        if (ka, ca) != (kb, cb):
            return False
        if not (
            math.isclose(aic_a, aic_b, rel_tol=RTOL)
            and math.isclose(bic_a, bic_b, rel_tol=RTOL)
        ):
            return False
    return True


def show_profile(name, prof, top):
    total = prof["total"]
    print(f"\n  {name}: cProfile of the sweep, {total:.3f} s with the profiler on")
    for title, key, col in (("own time", "own", 2), ("cumulative", "cumulative", 3)):
        print(f"    by {title}:  ms   share  calls  function")
        for where, calls, own, cum in prof[key][:top]:
            t = (own, cum)[col - 2]
            print(f"    {1e3 * t:9.1f} {100 * t / total:5.1f}% {calls:6d}  {where}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", metavar="REV", help="also time emcore at REV")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (5)")
    parser.add_argument("--top", type=int, default=25, help="profile rows (25)")
    parser.add_argument(
        "--no-profile", action="store_true", help="skip the cProfile runs"
    )
    args = parser.parse_args(argv)
    if shutil.which("node") is None:
        print("bench_sweep: node is not installed; nothing measured")
        return 0
    print(f"load average (1, 5, 15 min): {bench_pyodide.load_average()}")
    pairs = {}
    with tempfile.TemporaryDirectory(prefix="emgmm-sweep-") as tmp:
        try:
            pairs["checkout"] = bench_pyodide.start_pair(Path(tmp), "checkout", None)
            if args.baseline:
                pairs[args.baseline] = bench_pyodide.start_pair(
                    Path(tmp), "baseline", args.baseline
                )
        except bench_pyodide.build.BuildError as exc:
            print(f"bench_sweep: {exc}; nothing measured")
            return 0
        times = {(label, rt): [] for label in pairs for rt in (0, 1)}
        parts = {}
        reference = None
        try:
            for label, pair in pairs.items():  # first calls, untimed
                for worker in pair:
                    first = worker.call("sweep_time()")
                    reference = reference or first
                    assert same_cells(first["cells"], reference["cells"]), label
            counts = reference["counts"]
            print(
                f"events timed per sweep: {counts} (sweep = heartbeats: EM "
                "iterations, initialisation steps and scoring parts)"
            )
            for run in range(args.repeat):
                for label, pair in pairs.items():
                    for rt, worker in enumerate(pair):
                        res = worker.call("sweep_time()")
                        assert same_cells(res["cells"], reference["cells"]), (
                            label,
                            worker.name,
                        )
                        times[label, rt].append(res["cpu"])
                        if res["cpu"] == min(times[label, rt]):
                            parts[label, rt] = res["parts"]
                print(f"  run {run + 1} done, load {bench_pyodide.load_average()}")
            profiles = {}
            if not args.no_profile:
                for label, pair in pairs.items():
                    for rt, worker in enumerate(pair):
                        res = worker.call(f"sweep_time({args.top})")
                        profiles[label, rt] = res["profile"]
        finally:
            for pair in pairs.values():
                for worker in pair:
                    worker.close()
    print(f"\nsweep CPU seconds, fastest / median of {args.repeat}:")
    print(f"  {'emcore':12s} {'CPython':>15s} {'Pyodide':>15s} {'ratio':>6s}")
    best = {}
    for label in pairs:
        a, b = times[label, 0], times[label, 1]
        best[label] = (min(a), min(b))
        print(
            f"  {label[:12]:12s} {min(a):7.3f} / {statistics.median(a):5.3f} "
            f"{min(b):7.3f} / {statistics.median(b):5.3f} {min(b) / min(a):6.2f}"
        )
    print("\nwhere the fastest run spent it, CPU ms (init: k-means++ and first M-step;")
    print("em: the iterations; score: a cell's E-step, terms and health):")
    names = sorted({p for v in parts.values() for p in v})
    print(f"  {'':24s}" + "".join(f"{n:>9s}" for n in names))
    for (label, rt), v in parts.items():
        row = f"  {label[:12]:12s} {('CPython', 'Pyodide')[rt]:11s}"
        print(row + "".join(f"{1e3 * v.get(n, 0.0):9.1f}" for n in names))
    if args.baseline:
        (ca, pa), (cb, pb) = best["checkout"], best[args.baseline]
        print(
            f"  checkout / {args.baseline}: CPython {ca / cb:.2f}, Pyodide "
            f"{pa / pb:.2f} (fastest runs)"
        )
    for (label, rt), prof in profiles.items():
        show_profile(f"{label}, {('CPython', 'Pyodide')[rt]}", prof, args.top)
    print(f"\ncells equal to {RTOL:g} in every runtime and revision")
    print(f"load average at the end: {bench_pyodide.load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
