r"""CPython benchmark: emcore's EM loop against scikit-learn's (issue 7, item 1).

Run from the repository root, with the project's virtual environment::

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
        .venv/bin/python benchmarks/bench_cpython.py [--quick]

``--quick`` runs fewer repeats and N only up to 1e5 (about 15 s instead of
about 30 s on a 2-core machine). The ``env -u ...`` prefix only matters on
machines that pin OpenBLAS to an older kernel through those variables: unset
both together, and only for this command, never in tests or CI. The header
prints which kernel threadpoolctl reports, so a run records what it measured.

What it measures, all in one process on the same data (``emcore.simulate``,
2-D, K = 6, N = 5000) with the same explicit initialisation handed to both
libraries (``weights_init``, ``means_init``, ``precisions_init``) and a fixed
200 iterations (``tol = 0``):

1. for each covariance type, the median time per EM iteration of
   ``emcore.GaussianMixture.fit`` and of ``sklearn.mixture.GaussianMixture.fit``
   (whole fit divided by its 200 iterations, repeats interleaved so both share
   the machine's noise) and their ratio;
2. emcore's steady-state time per iteration (``emcore.em_steps``, setup
   excluded) for N = 1e3 ... 1e6 and for K = 1 ... 16;
3. the page's model-selection sweep in CPython: ``emcore.select_model`` on
   N = 5000, K = 1 ... 8, one covariance type, ``n_init = 3``,
   ``init_params = 'k-means++'`` (scikit-learn's equivalent sweep beside it);
4. the page's density wash in CPython: ``simapp.charts.density``'s grid and
   image for an 800 x 600 chart at 4 px per cell, K = 6 (best of 7; about
   1 ms, well under a frame).

It prints figures and ratios and exits 0 whatever the timings are. The one
thing it asserts is correctness: emcore's and scikit-learn's final
log-likelihoods must agree to 1e-9 relative on the benchmark data, so a
fast-but-wrong kernel cannot produce a good-looking ratio. The file is named
``bench_*.py`` so pytest (which collects ``test_*.py``) never runs it.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "site"))

from simapp.charts.density import density_grid, density_image  # noqa: E402

import emcore  # noqa: E402
from emcore.initialization import initial_responsibilities  # noqa: E402
from emcore.kernels.moments import estimate_gaussian_parameters  # noqa: E402

COV_TYPES = ("full", "tied", "diag", "spherical")
N_SAMPLES, N_COMPONENTS, OVERLAP, SEED = 5000, 6, 0.3, 0
N_ITER = 200
LOGLIK_RTOL = 1e-9


# --- set-up ------------------------------------------------------------------


def machine_description():
    """Lines describing the interpreter, libraries, CPU and BLAS in use."""
    import sklearn
    import threadpoolctl

    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    lines = [
        f"python {platform.python_version()} ({platform.python_implementation()}), "
        f"numpy {np.__version__}, scikit-learn {sklearn.__version__}",
        f"cpu: {cpu}, {os.cpu_count()} logical cores, {platform.machine()}",
    ]
    if hasattr(os, "getloadavg"):
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        lines.append(f"load average (1, 5, 15 min): {load}")
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        lines.append(f"{name}={os.environ.get(name, '(unset)')}")
    for pool in threadpoolctl.threadpool_info():
        lines.append(
            f"blas: {pool.get('internal_api')} {pool.get('version')} "
            f"kernel={pool.get('architecture')} threads={pool.get('num_threads')} "
            f"({Path(pool.get('filepath', '?')).name})"
        )
    return lines


def initialisation(X, n_components, covariance_type, seed):
    """One k-means++ start turned into explicit parameters for both libraries.

    Returns a dict of ``weights_init``, ``means_init`` and ``precisions_init``.
    """
    rng = np.random.default_rng(seed)
    resp = initial_responsibilities(X, n_components, "k-means++", rng)
    nk, means, cov = estimate_gaussian_parameters(X, resp, 1e-6, covariance_type)
    if covariance_type in ("full", "tied"):
        precisions = np.linalg.inv(cov)
        precisions = 0.5 * (precisions + np.swapaxes(precisions, -1, -2))
    else:
        precisions = 1.0 / cov
    return {
        "weights_init": nk / nk.sum(),
        "means_init": means,
        "precisions_init": precisions,
    }


def fit_emcore(X, k, cov, init, n_iter=N_ITER):
    model = emcore.GaussianMixture(
        k, covariance_type=cov, tol=0.0, max_iter=n_iter, **init
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X)
    return model


def fit_sklearn(X, k, cov, init, n_iter=N_ITER):
    from sklearn.mixture import GaussianMixture

    model = GaussianMixture(k, covariance_type=cov, tol=0.0, max_iter=n_iter, **init)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X)
    return model


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def ms(seconds):
    return f"{1e3 * seconds:8.3f}"


# --- 1. emcore against scikit-learn ------------------------------------------


def check_agreement(X, inits):
    """Assert equal final log-likelihoods (the benchmark's correctness guard)."""
    print(f"correctness guard: final log-likelihoods agree to {LOGLIK_RTOL:g}")
    for cov in COV_TYPES:
        ours = fit_emcore(X, N_COMPONENTS, cov, inits[cov])
        theirs = fit_sklearn(X, N_COMPONENTS, cov, inits[cov])
        assert ours.n_iter_ == theirs.n_iter_ == N_ITER, (ours.n_iter_, theirs.n_iter_)
        a, b = ours.lower_bound_, theirs.lower_bound_
        rel = abs(a - b) / abs(b)
        print(f"  {cov:9s} emcore {a:.15f}  sklearn {b:.15f}  rel {rel:.1e}")
        assert rel <= LOGLIK_RTOL, f"{cov}: log-likelihoods differ by {rel:.3g}"


def compare_with_sklearn(X, inits, repeats):
    """Median per-iteration times of both libraries, interleaved repeats."""
    times = {(lib, cov): [] for lib in ("emcore", "sklearn") for cov in COV_TYPES}
    fits = {"emcore": fit_emcore, "sklearn": fit_sklearn}
    for r in range(repeats):
        for cov in COV_TYPES:
            order = ("emcore", "sklearn") if r % 2 == 0 else ("sklearn", "emcore")
            for lib in order:
                dt, _ = timed(fits[lib], X, N_COMPONENTS, cov, inits[cov])
                times[lib, cov].append(dt / N_ITER)
    print(
        f"\n1. per EM iteration, N = {N_SAMPLES}, K = {N_COMPONENTS}, "
        f"{N_ITER} iterations, tol = 0, median of {repeats} interleaved fits"
    )
    print(
        f"  {'covariance':10s} {'emcore ms':>10s} {'sklearn ms':>11s} "
        f"{'ratio':>7s} {'target':>7s}"
    )
    ratios = {}
    for cov in COV_TYPES:
        ours = statistics.median(times["emcore", cov])
        theirs = statistics.median(times["sklearn", cov])
        ratios[cov] = theirs / ours
        target = 5.0 if cov == "full" else 3.0
        mark = "met" if ratios[cov] >= target else "MISSED"
        print(
            f"  {cov:10s} {ms(ours):>10s} {ms(theirs):>11s} "
            f"{ratios[cov]:6.1f}x {target:4.0f}x {mark}"
        )
    return ratios


# --- 2. scaling ---------------------------------------------------------------


def steady_iteration_time(X, k, cov, n_iter, seed=SEED):
    """Seconds per EM iteration of ``emcore.em_steps``, set-up excluded."""
    init = initialisation(X, k, cov, seed)
    from emcore.densities import precision_cholesky_from_precisions

    prec_chol = precision_cholesky_from_precisions(init["precisions_init"], cov)
    steps = emcore.em_steps(
        X,
        init["weights_init"],
        init["means_init"],
        prec_chol,
        cov,
        tol=0.0,
        max_iter=n_iter + 1,
        on_singular="regularize",
    )
    next(steps)  # validation, the moment workspace and the first iteration
    start = time.perf_counter()
    done = sum(1 for _ in steps)
    return (time.perf_counter() - start) / done


def scaling_in_n(sizes, repeats, cov="full"):
    print(f"\n2a. emcore per iteration against N (K = {N_COMPONENTS}, {cov})")
    print(f"  {'N':>9s} {'ms/iter':>9s} {'ns/point':>9s}")
    for n in sizes:
        X, _ = emcore.simulate(n, N_COMPONENTS, OVERLAP, random_state=SEED)
        n_iter = max(5, min(100, int(2e6 // n)))
        best = statistics.median(
            steady_iteration_time(X, N_COMPONENTS, cov, n_iter) for _ in range(repeats)
        )
        print(f"  {n:9.0e} {ms(best):>9s} {1e9 * best / n:9.1f}")


def scaling_in_k(ks, repeats, cov="full"):
    print(f"\n2b. emcore per iteration against K (N = {N_SAMPLES}, {cov})")
    print(f"  {'K':>3s} {'ms/iter':>9s} {'us/component':>13s}")
    for k in ks:
        X, _ = emcore.simulate(N_SAMPLES, k, OVERLAP, random_state=SEED)
        best = statistics.median(
            steady_iteration_time(X, k, cov, 50) for _ in range(repeats)
        )
        print(f"  {k:3d} {ms(best):>9s} {1e6 * best / k:13.1f}")


# --- 3. the model-selection sweep ---------------------------------------------


def sweep_emcore(X, cov):
    return emcore.select_model(
        X, range(1, 9), [cov], n_init=3, init_params="k-means++", random_state=SEED
    )


def sweep_sklearn(X, cov):
    from sklearn.mixture import GaussianMixture

    bics = []
    for k in range(1, 9):
        model = GaussianMixture(
            k,
            covariance_type=cov,
            n_init=3,
            init_params="k-means++",
            random_state=SEED,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(X)
        bics.append(model.bic(X))
    return bics


def model_selection(X, repeats, cov="full"):
    ours, theirs = [], []
    for r in range(repeats):
        pair = [(ours, sweep_emcore), (theirs, sweep_sklearn)]
        for bucket, fn in pair if r % 2 == 0 else pair[::-1]:
            bucket.append(timed(fn, X, cov)[0])
    result = sweep_emcore(X, cov)
    a, b = statistics.median(ours), statistics.median(theirs)
    print(
        f"\n3. model-selection sweep, N = {N_SAMPLES}, K = 1..8, {cov}, n_init = 3, "
        f"k-means++, median of {repeats}"
    )
    print(f"  emcore.select_model {ms(a)} ms   (best BIC K = {result.best_bic[cov]})")
    print(f"  sklearn, same sweep {ms(b)} ms   ratio {b / a:.1f}x")


# --- main ---------------------------------------------------------------------


def density_wash(repeats=7):
    """Best time of the density grid + image of a K = 6 mixture, 800 x 600
    at 4 px per cell, into one reused buffer (as the page redraws it)."""
    rng = np.random.default_rng(0)
    k = 6
    weights = rng.dirichlet(np.ones(k))
    means = rng.normal(scale=3.0, size=(k, 2))
    A = rng.normal(size=(k, 2, 2))
    covs = A @ A.transpose(0, 2, 1) + 0.2 * np.eye(2)
    out = np.empty((600, 800, 4), dtype=np.uint8)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        values = density_grid(weights, means, covs, (-10, 10, -7.5, 7.5), 800, 600, 4)
        density_image(values, 800, 600, (0.3, 0.3, 0.3), out=out)
        times.append(time.perf_counter() - t0)
    print("\nthe page's density wash (grid + image, 800x600 at 4 px, K = 6)")
    print(f"  best of {repeats}: {ms(min(times)).strip()} ms")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="fewer repeats, N up to 1e5"
    )
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 9
    sizes = [1_000, 10_000, 100_000] if args.quick else [1_000, 10_000, 100_000, 10**6]

    import sklearn.mixture  # noqa: F401  (loads scipy's BLAS before the report)

    print("emcore CPython benchmark" + (" (--quick)" if args.quick else ""))
    for line in machine_description():
        print("  " + line)

    X, _ = emcore.simulate(N_SAMPLES, N_COMPONENTS, OVERLAP, random_state=SEED)
    inits = {cov: initialisation(X, N_COMPONENTS, cov, SEED) for cov in COV_TYPES}
    check_agreement(X, inits)
    for cov in COV_TYPES:  # warm both libraries' code paths and caches
        fit_emcore(X, N_COMPONENTS, cov, inits[cov], n_iter=5)
        fit_sklearn(X, N_COMPONENTS, cov, inits[cov], n_iter=5)
    compare_with_sklearn(X, inits, repeats)
    scaling_in_n(sizes, max(1, repeats // 3))
    scaling_in_k(range(1, 17), max(1, repeats // 3))
    model_selection(X, max(1, repeats // 3))
    density_wash()
    if hasattr(os, "getloadavg"):
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"\nload average at the end (1, 5, 15 min): {load}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
