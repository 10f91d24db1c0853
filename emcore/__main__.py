"""``python -m emcore``: fit simulated data and print the simulator's results."""

from __future__ import annotations

import argparse
import sys

from .experiment import DEFAULTS, run


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m emcore",
        description="Simulate 2-D cluster data, fit a Gaussian mixture by EM and "
        "print the results the simulator page shows.",
    )
    parser.add_argument("--k", type=int, default=DEFAULTS["k"], help="components")
    parser.add_argument("--n", type=int, default=DEFAULTS["n"], help="sample size")
    parser.add_argument(
        "--overlap", type=float, default=DEFAULTS["overlap"], help="percent, 0-100"
    )
    parser.add_argument(
        "--cov", default=DEFAULTS["cov"], help="full, tied, diag or spherical"
    )
    parser.add_argument("--iters", type=int, default=DEFAULTS["iters"])
    parser.add_argument("--tol", type=float, default=DEFAULTS["tol"])
    parser.add_argument("--seed", type=int, default=DEFAULTS["seed"])
    parser.add_argument("--n-init", type=int, default=DEFAULTS["n_init"])
    args = parser.parse_args(argv)
    settings = {name: getattr(args, name) for name in DEFAULTS}
    try:
        r = run(**settings)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    state = "converged" if r.converged else "capped"
    rows = [
        ("estimated parameters", r.params),
        ("iterations", f"{r.iterations} ({state})"),
        ("final log-likelihood", f"{r.loglik:.3f}"),
        ("AIC", f"{r.aic:.3f}"),
        ("BIC", f"{r.bic:.3f}"),
        ("ARI", f"{r.ari:.4f}"),
        ("local optima", f"{r.verdict}: {r.verdict_reason}"),
        ("best K (AIC / BIC)", f"{r.picks.aic.k} / {r.picks.bic.k}"),
    ]
    print(" ".join(f"{k}={v}" for k, v in settings.items()))
    for label, value in rows:
        print(f"  {label:<22} {value}")
    print("  K      AIC          BIC")
    sweep = r.sweep
    for k, aic, bic in zip(sweep.ks, sweep.aic, sweep.bic, strict=True):
        print(f"  {k:<3} {aic:12.2f} {bic:12.2f}")
    for note in r.notes:
        print(f"  note: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
