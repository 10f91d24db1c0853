r"""How often deterministic annealing reaches the best optimum, against plain EM.

One command, from the repository root::

    .venv/bin/python benchmarks/bench_annealing.py [--seeds 30]

Data: ``emcore.simulate(600, k, overlap, random_state=d)`` for k = 3..6
clusters, overlap 0.05, 0.15 and 0.3, and data seeds d = 0, 1, 2, fitted
with K = k, full covariances. For every data set and each start method
(``random_from_data``, ``k-means++``: one-hot starts, the kind that fall
into local optima) and each start seed, three fits from the same start:
plain EM, annealing from T0 = 1.5 by a factor 0.9 (``annealing=(1.5, 0.9)``)
and a hot schedule, ``(4.0, 0.8)``. The best optimum of a data set is the
highest final log-likelihood any of its fits reached; a fit reaches it when
its per-sample log-likelihood is within 1e-3 of it.

It prints, for each overlap and start method, the share of fits that reach
the best optimum (averaged over the 12 data sets) and the median
iterations, then the per-data-set shares. No timing; it exits 0. Named
``bench_*.py``, so pytest never collects it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import emcore  # noqa: E402

KS = (3, 4, 5, 6)
OVERLAPS = (0.05, 0.15, 0.3)
DATA_SEEDS = (0, 1, 2)
INITS = ("random_from_data", "k-means++")
METHODS = {
    "plain EM": None,
    "anneal (1.5, 0.9)": (1.5, 0.9),
    "hot (4, 0.8)": (4.0, 0.8),
}
#: Per-sample log-likelihood within this of the best counts as the best.
ATOL = 1e-3


def fit(X, k, init, annealing, seed):
    gm = emcore.GaussianMixture(
        k, init_params=init, random_state=seed, annealing=annealing, max_iter=500
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", emcore.ConvergenceWarning)
        gm.fit(X)
    return gm.lower_bound_, gm.n_iter_


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=30, help="starts per cell (30)")
    args = parser.parse_args(argv)
    seeds = range(args.seeds)
    # results[overlap, init, method] = list of (hit share, median iterations)
    results = {}
    rows = []
    for overlap in OVERLAPS:
        for k in KS:
            for data_seed in DATA_SEEDS:
                X, _ = emcore.simulate(600, k, overlap, random_state=data_seed)
                runs = {
                    (init, name): [fit(X, k, init, schedule, s) for s in seeds]
                    for init in INITS
                    for name, schedule in METHODS.items()
                }
                best = max(ll for fits in runs.values() for ll, _ in fits)
                for (init, name), fits in runs.items():
                    hits = np.mean([ll > best - ATOL for ll, _ in fits])
                    iters = statistics.median(it for _, it in fits)
                    results.setdefault((overlap, init, name), []).append((hits, iters))
                    rows.append((overlap, k, data_seed, init, name, hits))
                print(f"  done: overlap {overlap}, k {k}, data seed {data_seed}")
    print(
        f"\nShare of fits reaching the best optimum (mean over {len(KS)} x "
        f"{len(DATA_SEEDS)} data sets, {args.seeds} starts each) / median iterations"
    )
    print(f"  {'overlap':>7s} {'start':17s}" + "".join(f"{m:>22s}" for m in METHODS))
    for overlap in OVERLAPS:
        for init in INITS:
            line = f"  {overlap:7.2f} {init:17s}"
            for name in METHODS:
                cells = results[overlap, init, name]
                share = np.mean([h for h, _ in cells])
                iters = statistics.median(i for _, i in cells)
                line += f"{100 * share:15.0f} % /{iters:4.0f}"
            print(line)
    print("\nPer data set (share reaching the best optimum):")
    print(f"  {'overlap':>7s} {'k':>2s} {'data':>4s} {'start':17s}", end="")
    print("".join(f"{m:>19s}" for m in METHODS))
    for overlap, k, data_seed, init, name, hits in rows:
        if name == next(iter(METHODS)):
            print(f"\n  {overlap:7.2f} {k:2d} {data_seed:4d} {init:17s}", end="")
        print(f"{100 * hits:18.0f}%", end="")
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
