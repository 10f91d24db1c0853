r"""The model choice of the page's AIC/BIC sweep, against scikit-learn and R's mclust.

One command, from the repository root::

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
        .venv/bin/python benchmarks/bench_choice.py [--baseline REV] \
        [--repeat R] [--refs FILE] [--no-timing]

It prints four figures for this checkout, and with ``--baseline REV`` for
emcore as of git revision ``REV`` beside them (same references, same
settings):

1. **Cells near scikit-learn's best of 10.** On well-separated data
   (overlap 5 %, ``cov="full"``, K_true = 2, 3, 4, six seeds each, N = 500,
   the page's other defaults), every cell of the sweep with K ≤ K_true + 2
   (90 cells) is compared with scikit-learn's ``GaussianMixture(K,
   n_init=10)`` on the same points, its default k-means initialisation,
   with the page's ``tol=1e-4``, ``reg_covar=1e-6`` and ``max_iter=100``:
   the cell counts when its BIC is at most one unit above. Also printed:
   against the better of that and 10 k-means++ starts (20 starts).
2. **The pick against scikit-learn's best of 10.** 48 random settings, 12 of
   each covariance type (K_true 2-6, N 100-5000 log-uniform, overlap
   0-100 %, random seed; a fixed list): the K with the lowest BIC over the
   sweep's healthy cells (no component near-singular, collapsed or on
   duplicated points; :mod:`emcore.diagnostics`) against the same over
   scikit-learn's best-of-10 cells, judged by the same rule. Also printed:
   the pick of the best optimum known at every K (the lowest healthy BIC
   of the page, the best of 10 and the k-means++ best of 10), which a
   better sweep can only approach, and the page's raw pick (all cells).
3. **The pick against R's mclust.** ``mclustBIC(X, G = 1:8, modelNames =
   c("VVV", "EEE", "VVI", "VII"))`` (full, tied, diag, spherical) on R's
   ``faithful``, ``iris[, 1:4]`` and ``iris[, 3:4]`` (petals), against the
   page's best healthy (type, K) with ``k=3, cov="full", compare=True``
   and seeds 1-5 (data and picks come from ``Rscript``; without it this
   part is skipped, saying so).
4. **The ``compare=1`` sweep's CPU time**, as ``bench_sweep.py`` measures
   it (``emloop.sweep_time``: ``?n=5000&k=3&seed=1&compare=1``, the part
   after the animated fit), in CPython and in Pyodide under Node, fastest
   and median of ``R`` runs (default 5), the workers taking turns; cells
   are checked equal between CPython and Pyodide within each revision (the
   revisions differ by design).

The references take most of the time: about 5 minutes on 2 quiet cores
(``--refs FILE`` keeps them in a JSON file and reuses it), the page's runs
about 1 minute per revision, the timing about 2 minutes. It exits 0
whatever the figures. Named ``bench_*.py``, so pytest never collects it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

# one thread for every library: scikit-learn's k-means starts, run on 2
# shared cores, were 9x slower in CPU time with OpenMP's default threads
# (threadpoolctl's limits set later did not remove it)
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

TYPES = ("full", "tied", "diag", "spherical")
MCLUST_MODELS = {"VVV": "full", "EEE": "tied", "VVI": "diag", "VII": "spherical"}
MCLUST_SEEDS = tuple(range(1, 6))
# the R side: each dataset written for the page, then mclust's best model
R_SCRIPT = r"""
suppressMessages(library(mclust))
args <- commandArgs(trailingOnly = TRUE)
sets <- list(faithful = faithful, iris = iris[, 1:4], petals = iris[, 3:4])
for (name in names(sets)) {
  X <- sets[[name]]
  write.csv(X, file.path(args[1], paste0(name, ".csv")), row.names = FALSE)
  b <- mclustBIC(X, G = 1:8, modelNames = c("VVV", "EEE", "VVI", "VII"))
  top <- pickBIC(b, k = 1)
  cat(name, names(top), unname(top), "\n")
}
"""


def separated_settings():
    """Section 1: K_true = 2, 3, 4 x seeds 1-6, N = 500, overlap 5 %."""
    return [
        {"k": kt, "n": 500, "overlap": 5.0, "cov": "full", "seed": seed}
        for kt in (2, 3, 4)
        for seed in range(1, 7)
    ]


def random_settings(count=48, root=2024):
    """Section 2: a fixed list of random page settings, types in turn."""
    rng = np.random.default_rng(root)
    out = []
    for i in range(count):
        cov = TYPES[i % 4]
        k_true = int(rng.integers(2, 7))
        n = int(np.exp(rng.uniform(np.log(100), np.log(5000))))
        overlap = float(rng.integers(0, 101))
        seed = int(rng.integers(0, 10000))
        out.append({"k": k_true, "n": n, "overlap": overlap, "cov": cov, "seed": seed})
    return out


def _key(setting):
    return json.dumps(setting, sort_keys=True)


# --- references: scikit-learn ------------------------------------------------


def _sklearn_cell(X, n_components, cov, seed, init):
    from sklearn.mixture import GaussianMixture

    from emcore.diagnostics import component_health

    gm = GaussianMixture(
        n_components,
        covariance_type=cov,
        n_init=10,
        init_params=init,
        tol=1e-4,
        reg_covar=1e-6,
        max_iter=100,
        random_state=seed,
    ).fit(X)
    healthy = not any(h.degenerate for h in component_health(gm, X))
    return [float(gm.bic(X)), healthy]


def references(path):
    """``{setting: {init: {K: [bic, healthy]}}}`` for both sections,
    read from ``path`` when it has them, else computed (and saved there)."""
    from emcore import simulate

    refs = json.loads(Path(path).read_text()) if Path(path).exists() else {}
    jobs = [(s, range(1, s["k"] + 3)) for s in separated_settings()]
    jobs += [(s, range(1, 9)) for s in random_settings()]
    began = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for setting, ks in jobs:
            entry = refs.setdefault(_key(setting), {})
            X = None
            for init in ("kmeans", "k-means++"):
                cells = entry.setdefault(init, {})
                for K in ks:
                    if str(K) in cells:
                        continue
                    if X is None:
                        X = simulate(
                            setting["n"],
                            setting["k"],
                            setting["overlap"] / 100,
                            setting["seed"],
                        )[0]
                    cells[str(K)] = _sklearn_cell(
                        X, K, setting["cov"], setting["seed"], init
                    )
            Path(path).write_text(json.dumps(refs))
    print(f"scikit-learn references ready ({time.perf_counter() - began:.0f} s)")
    return refs


# --- references: mclust -------------------------------------------------------


def mclust(folder):
    """``{name: (model, K)}`` from R, the data written into ``folder``; None
    without Rscript or mclust."""
    if shutil.which("Rscript") is None:
        return None
    script = Path(folder) / "mclust.R"
    script.write_text(R_SCRIPT)
    done = subprocess.run(
        ["Rscript", str(script), str(folder)], capture_output=True, text=True
    )
    if done.returncode != 0:
        print(f"Rscript failed: {done.stderr.strip()[-300:]}")
        return None
    picks = {}
    for line in done.stdout.splitlines():
        name, model, bic = line.split()
        kind, k = model.split(",")
        picks[name] = (MCLUST_MODELS[kind], int(k), float(bic))
    return picks


# --- the page's sweep (run in a child process per emcore version) -----------


def _healthy_pick(cells):
    """The (key, K) with the lowest BIC over healthy cells, None if none."""
    ok = [
        (bic, params, key) for key, (bic, healthy, params) in cells.items() if healthy
    ]
    return min(ok)[2] if ok else None


def page_results(data_folder):
    """Everything the page computes for the four sections' settings (JSON)."""
    from emcore.experiment import run, run_data

    out = {"settings": {}, "data": {}}
    for setting in separated_settings() + random_settings():
        r = run(**setting)
        col = r.comparison[setting["cov"]]
        out["settings"][_key(setting)] = {
            str(K): [bic, not note]
            for K, bic, note in zip(col.ks, col.bic, col.notes, strict=True)
        }
    if data_folder:
        for name in ("faithful", "iris", "petals"):
            X = np.loadtxt(Path(data_folder) / f"{name}.csv", delimiter=",", skiprows=1)
            picks = []
            for seed in MCLUST_SEEDS:
                r = run_data(X, k=3, cov="full", seed=seed, compare=True)
                cells = {
                    (cov, K): (bic, not note, p)
                    for cov, col in r.comparison.items()
                    for K, bic, note, p in zip(
                        col.ks, col.bic, col.notes, col.params, strict=True
                    )
                }
                healthy = _healthy_pick(cells)
                # the lowest BIC over every cell (the page's best_model leaves
                # out suspect cells since the pick does)
                raw = min((bic, p, key) for key, (bic, _, p) in cells.items())[2]
                picks.append({"healthy": healthy, "raw": list(raw), "bic": cells})
            out["data"][name] = [
                {
                    "healthy": p["healthy"],
                    "raw": p["raw"],
                    "bic": p["bic"][p["healthy"]][0] if p["healthy"] else None,
                }
                for p in picks
            ]
    return out


def run_page(tree, data_folder):
    """:func:`page_results` with emcore from ``tree`` (a child process)."""
    env = {**os.environ, "PYTHONPATH": str(tree), "OMP_NUM_THREADS": "1"}
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--page", str(data_folder or "")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=tempfile.gettempdir(),  # so that emcore comes from ``tree``
    )
    print(f"  page runs with emcore of {tree}: {time.perf_counter() - began:.0f} s")
    return json.loads(done.stdout.splitlines()[-1])


# --- the figures ----------------------------------------------------------------


def _pick(cells):
    """The K with the lowest BIC over healthy cells ({K: [bic, healthy]})."""
    ok = [(bic, int(K)) for K, (bic, healthy) in cells.items() if healthy]
    return min(ok)[1] if ok else None


def cells_figure(page, refs):
    near = near20 = total = 0
    misses = []
    for setting in separated_settings():
        mine = page["settings"][_key(setting)]
        ref = refs[_key(setting)]
        for K in range(1, setting["k"] + 3):
            bic = mine[str(K)][0]
            sk = ref["kmeans"][str(K)][0]
            both = min(sk, ref["k-means++"][str(K)][0])
            total += 1
            near += bic <= sk + 1.0
            near20 += bic <= both + 1.0
            if bic > sk + 1.0:
                misses.append(f"K_true={setting['k']} seed={setting['seed']} K={K}")
    return near, near20, total, misses


def picks_figure(page, refs):
    """Pick agreement over the random settings: ``agree`` (with the best of
    10), ``known`` (with the best known optimum's pick), ``raw`` (the pick
    over all cells, against the best of 10), ``ref_known`` (the best of
    10's own pick is the best known one), ``page_missed`` (disagreements
    where it is: the page missed that optimum)."""
    out = dict.fromkeys(("agree", "known", "raw", "ref_known", "page_missed"), 0)
    settings = random_settings()
    for setting in settings:
        mine = page["settings"][_key(setting)]
        ref = refs[_key(setting)]
        ref_pick = _pick(ref["kmeans"])
        best = {}
        for K, (bic, healthy) in mine.items():
            options = [(bic, healthy)]
            options += [tuple(ref[init][K]) for init in ("kmeans", "k-means++")]
            fine = [b for b, h in options if h]
            best[K] = [min(fine) if fine else math.inf, bool(fine)]
        known_pick = _pick(best)
        out["agree"] += _pick(mine) == ref_pick
        out["known"] += _pick(mine) == known_pick
        out["raw"] += min((b, int(K)) for K, (b, _) in mine.items())[1] == ref_pick
        out["ref_known"] += ref_pick == known_pick
        out["page_missed"] += _pick(mine) != ref_pick == known_pick
    out["total"] = len(settings)
    return out


def mclust_figure(page, picks):
    rows = {}
    for name, (cov, k, _) in picks.items():
        runs = page["data"][name]
        rows[name] = (
            sum(tuple(r["healthy"] or ()) == (cov, k) for r in runs),
            sum(tuple(r["raw"]) == (cov, k) for r in runs),
            [tuple(r["healthy"] or ()) for r in runs],
        )
    return rows


def report(label, page, refs, picks):
    near, near20, total, misses = cells_figure(page, refs)
    fig = picks_figure(page, refs)
    agree, known, n_settings = fig["agree"], fig["known"], fig["total"]
    print(f"\n{label}")
    print(
        f"  1. cells within 1 BIC unit of scikit-learn's best of 10: {near}/{total} "
        f"({100 * near / total:.0f} %; target >= 95 %) "
        f"{'PASS' if near >= 0.95 * total else 'MISS'}"
    )
    print(
        f"     within 1 unit of the best of 10 k-means and 10 k-means++ starts: "
        f"{near20}/{total} ({100 * near20 / total:.0f} %)"
    )
    if misses:
        print(f"     further than 1 unit: {', '.join(misses)}")
    print(
        f"  2. pick = best of 10's pick: {agree}/{n_settings} "
        f"({100 * agree / n_settings:.0f} %; target >= 90 %) "
        f"{'PASS' if agree >= 0.9 * n_settings else 'MISS'}"
    )
    print(
        f"     of the {n_settings - agree} disagreements, the page missed the "
        f"best of 10's optimum in {fig['page_missed']}; in the others the best "
        f"of 10 missed a lower healthy BIC (found by the page or by 10 "
        f"k-means++ starts) that changes its pick. The best of 10's own pick "
        f"is the best known one in {fig['ref_known']}/{n_settings}."
    )
    print(
        f"     pick = the best known optimum's pick (lowest healthy BIC of the "
        f"page, 10 k-means and 10 k-means++ starts at each K): {known}/"
        f"{n_settings} ({100 * known / n_settings:.0f} %); the raw pick (all "
        f"cells) = best of 10's: {fig['raw']}/{n_settings}"
    )
    if picks is None:
        print("  3. mclust: skipped (no Rscript with mclust)")
        return
    for name, (hits, raw_hits, got) in mclust_figure(page, picks).items():
        cov, k, bic = picks[name]
        shown = ", ".join(
            f"{c}/{k_}" if c else "none" for c, k_ in (g or ("", 0) for g in got)
        )
        print(
            f"  3. {name}: mclust {cov}/K={k} (BIC {bic:.1f}); page (healthy) "
            f"agrees for {hits} of {len(MCLUST_SEEDS)} seeds "
            f"({'PASS' if hits >= 4 else 'MISS'}; raw pick {raw_hits}): {shown}"
        )


# --- the sweep's time -------------------------------------------------------------


def timing(baseline, repeat):
    import bench_pyodide
    from bench_sweep import same_cells

    if shutil.which("node") is None:
        print("\n4. sweep time: node is not installed; not measured")
        return
    pairs = {}
    with tempfile.TemporaryDirectory(prefix="emgmm-choice-") as tmp:
        try:
            pairs["checkout"] = bench_pyodide.start_pair(Path(tmp), "checkout", None)
            if baseline:
                pairs[baseline] = bench_pyodide.start_pair(
                    Path(tmp), "baseline", baseline
                )
        except bench_pyodide.build.BuildError as exc:
            print(f"\n4. sweep time: {exc}; not measured")
            return
        times = {(label, rt): [] for label in pairs for rt in (0, 1)}
        counts = {}
        try:
            for label, pair in pairs.items():  # first calls, untimed
                first = [worker.call("sweep_time()") for worker in pair]
                assert same_cells(first[0]["cells"], first[1]["cells"]), label
                counts[label] = first[0]["counts"]
            for _ in range(repeat):
                for label, pair in pairs.items():
                    for rt, worker in enumerate(pair):
                        times[label, rt].append(worker.call("sweep_time()")["cpu"])
        finally:
            for pair in pairs.values():
                for worker in pair:
                    worker.close()
    print(
        f"\n4. compare=1 sweep (n=5000, k=3, seed=1), CPU s, fastest / median "
        f"of {repeat}:"
    )
    for label in pairs:
        a, b = times[label, 0], times[label, 1]
        print(
            f"  {label[:12]:12s} CPython {min(a):.3f} / {statistics.median(a):.3f}"
            f"   Pyodide {min(b):.3f} / {statistics.median(b):.3f}   events "
            f"{counts[label]}"
        )
    if baseline:
        for rt, name in enumerate(("CPython", "Pyodide")):
            ratio = min(times["checkout", rt]) / min(times[baseline, rt])
            print(f"  after / before, {name}: {ratio:.2f} (fastest runs)")


def quality(args):
    """Sections 1-3 for the checkout (and ``args.baseline``)."""
    import bench_pyodide

    with tempfile.TemporaryDirectory(prefix="emgmm-choice-") as tmp:
        refs = references(args.refs or Path(tmp) / "refs.json")
        picks = mclust(tmp)
        folder = tmp if picks else None
        trees = {"checkout": ROOT}
        if args.baseline:
            trees[args.baseline] = bench_pyodide.source_tree(Path(tmp), args.baseline)
        pages = {label: run_page(tree, folder) for label, tree in trees.items()}
        for label, page in pages.items():
            report(label, page, refs, picks)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", metavar="REV", help="also measure emcore at REV")
    parser.add_argument("--repeat", type=int, default=5, help="timed sweeps (5)")
    parser.add_argument("--refs", help="JSON file keeping scikit-learn's cells")
    parser.add_argument("--no-timing", action="store_true", help="skip section 4")
    parser.add_argument(
        "--no-quality", action="store_true", help="section 4 only (no references)"
    )
    parser.add_argument("--page", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.page is not None:  # the child process of run_page
        print(json.dumps(page_results(args.page or None)))
        return 0
    import bench_pyodide

    print(f"load average (1, 5, 15 min): {bench_pyodide.load_average()}")
    if not args.no_quality:
        quality(args)
    if not args.no_timing:
        timing(args.baseline, args.repeat)
    print(f"\nload average at the end: {bench_pyodide.load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
