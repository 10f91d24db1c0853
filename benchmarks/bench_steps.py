r"""The longest computation step of a 200,000-row own-data fit, in Pyodide.

Issue 16, "no main-thread block over 200 ms": the page paints only between
two steps of ``emcore.experiment.iterate_data``, so the longest step bounds the
longest pause that computing can cause (drawing aside). One command, from the
repository root::

    .venv/bin/python benchmarks/bench_steps.py [--baseline REV]

It runs ``emloop.data_steps`` (the browser tests' table and fit) in Pyodide
under Node, as ``bench_pyodide.py`` does (same driver, CPU clock, numpy wheel
and emcore wheel of this checkout), and, with ``--baseline``, emcore as of
git revision ``REV`` beside it; then the same in CPython. It prints step
counts, the five longest steps, counts over 50 and 30 ms and the longest
step per event kind, and exits 0 whatever they are. It asserts that the
checkout and the baseline reach the same log-likelihood (1e-9 relative).
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_pyodide  # noqa: E402


def show(name: str, res: dict) -> None:
    print(
        f"  {name}: {res['steps']} steps, {res['total_s']:.2f} s CPU; median "
        f"{res['median_ms']} ms; over 50 ms: {res['over_50']}, over 30 ms: "
        f"{res['over_30']}"
    )
    for ms, label, before in res["longest"]:
        print(f"      {ms:6.1f} ms  {label} (after {before})")
    print(f"      longest per kind (ms): {res['by_kind']}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", metavar="REV", help="also time emcore at REV")
    args = parser.parse_args(argv)
    if shutil.which("node") is None:
        print("bench_steps: node is not installed; nothing measured")
        return 0
    print(f"load average {bench_pyodide.load_average()}")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        labels = [("checkout", None)]
        if args.baseline:
            labels.append((args.baseline, args.baseline))
        for label, rev in labels:
            try:
                cpython, pyodide = bench_pyodide.start_pair(Path(tmp), label, rev)
            except bench_pyodide.build.BuildError as exc:
                print(f"bench_steps: {exc}; nothing measured")
                return 0
            try:
                results[label] = {
                    "Pyodide": pyodide.call("data_steps()"),
                    "CPython": cpython.call("data_steps()"),
                }
            finally:
                cpython.close()
                pyodide.close()
    for label, res in results.items():
        print(f"\n== emcore {label}")
        for runtime in ("Pyodide", "CPython"):
            show(runtime, res[runtime])
    first = results["checkout"]["Pyodide"]["loglik"]
    for res in results.values():
        for runtime in res.values():
            assert math.isclose(runtime["loglik"], first, rel_tol=1e-9), res
    print(
        f"\nlog-likelihoods agree to 1e-9; load average {bench_pyodide.load_average()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
