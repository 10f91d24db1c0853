r"""The gallery of hard data with the page's fit: ARIs by start, seed by seed.

One command, from the repository root::

    .venv/bin/python benchmarks/bench_gallery.py [--seeds 20] [--n 500]

For every data set of :mod:`emcore.synthetic.gallery` and data seeds 1 to
``--seeds``, the page's fit at its defaults (``emcore.experiment.DEFAULTS``:
full covariances, ``n_init`` starts, ``tol``, ``iters``, the fit's stream
``[seed, K, 0]``, K the data set's ``n_components``) from each start
(``init_params``), and k-means on its own stream (the page's side-by-side
k-means). It prints the ARI against the true labels (min / mean / max over
the seeds) for each start, the cigars' ARIs seed by seed for k-means++ (the
page's default) and whitened, the share of single whitened starts that find
the cigars, and, on ``outliers``, the precision and recall of the 5 % of
lowest density against the planted outliers. No timing; it exits 0. Named
``bench_*.py``, so pytest never collects it.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from emcore import (  # noqa: E402
    GaussianMixture,
    adjusted_rand_score,
    initial_responsibilities,
    kmeans,
)
from emcore.anomaly import anomaly_scores, flag_anomalies  # noqa: E402
from emcore.experiment import DEFAULTS, REG_COVAR  # noqa: E402
from emcore.synthetic import GALLERY, make_gallery  # noqa: E402

INITS = ("k-means++", "whitened", "kmeans")
# the page's k-means runs on the stream after the four covariance types
KMEANS_STREAM = 4


def page_fit(X, k, seed, init):
    gm = GaussianMixture(
        k,
        covariance_type="full",
        tol=DEFAULTS["tol"],
        reg_covar=REG_COVAR,
        max_iter=DEFAULTS["iters"],
        n_init=DEFAULTS["n_init"],
        init_params=init,
        random_state=np.random.default_rng([seed, k, 0]),
        on_singular="regularize",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return gm.fit(X)


def summary(values):
    v = np.asarray(values)
    return f"{v.min():6.3f} {v.mean():6.3f} {v.max():6.3f}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--n", type=int, default=DEFAULTS["n"])
    args = parser.parse_args(argv)
    seeds = range(1, args.seeds + 1)
    print(
        f"n = {args.n}, seeds 1-{args.seeds}, full, n_init = {DEFAULTS['n_init']}, "
        f"tol = {DEFAULTS['tol']:g}, iters = {DEFAULTS['iters']}"
    )
    print(
        f"{'data':9s} {'K':>2s}  " + "  ".join(f"{i:>20s}" for i in (*INITS, "k-means"))
    )
    cigars = {}
    anomalies = []
    for name in GALLERY:
        aris = {init: [] for init in (*INITS, "k-means")}
        for seed in seeds:
            data = make_gallery(name, args.n, seed)
            k = data.n_components
            for init in INITS:
                gm = page_fit(data.X, k, seed, init)
                aris[init].append(adjusted_rand_score(data.labels, gm.predict(data.X)))
                if name == "outliers" and init == "k-means++":
                    found = flag_anomalies(gm.score_samples(data.X), 5)
                    anomalies.append(anomaly_scores(found.flags, data.outliers))
            rng = np.random.default_rng([seed, k, KMEANS_STREAM])
            _, labels = kmeans(data.X, k, random_state=rng)
            aris["k-means"].append(adjusted_rand_score(data.labels, labels))
        if name == "cigars":
            cigars = aris
        print(
            f"{name:9s} {k:2d}  "
            + "  ".join(f"{summary(aris[i]):>20s}" for i in (*INITS, "k-means"))
        )

    print("\ncigars, ARI seed by seed (k-means++ default | whitened):")
    for seed, a, b in zip(seeds, cigars["k-means++"], cigars["whitened"], strict=True):
        print(f"  seed {seed:2d}: {a:7.3f} | {b:6.3f}")
    found = []
    for seed in seeds:
        data = make_gallery("cigars", args.n, seed)
        for start in range(5):
            rng = np.random.default_rng([seed, 2, start])
            resp = initial_responsibilities(data.X, 2, "whitened", random_state=rng)
            found.append(adjusted_rand_score(data.labels, resp.argmax(axis=1)) > 0.9)
    print(f"single whitened starts that find the cigars: {np.mean(found):.2f}")

    print("\noutliers, anomaly=5 (k-means++ fit): precision / recall per seed")
    print("  " + ", ".join(f"{s.precision:.2f}/{s.recall:.2f}" for s in anomalies))
    recall = [s.recall for s in anomalies]
    print(f"  recall min {min(recall):.2f}, mean {np.mean(recall):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
