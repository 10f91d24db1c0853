"""Browser benchmark of the colour segmentation (issue 15).

One command, from the repository root::

    .venv/bin/python benchmarks/bench_segment.py [--repeat 3]

It builds the vendored site as ``bench_browser.py`` does, opens it in headless
Debian chromium and presses Segment on the bundled scene: 100,000 pixels,
K = 6, full covariances, one EM iteration per animation frame. Per run it
reads what the page records on ``#segment-result`` (``data-em-ips``: EM
iterations per second, each painted; ``data-first-ms``: the k-means++ start,
in a frame of its own; ``data-longest-frame-ms``) and measures, from outside,
whether the page stays responsive while it works: the worst gap between
``requestAnimationFrame`` callbacks and the round trip of a script evaluated
in the page every 50 ms (it waits for Python's frame to end, as a click
would). The target: at least 10 EM iterations per second. A correctness
guard compares the final labels with the same estimator in this CPython
process. It prints figures and exits 0 whatever the timings.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "site"))

from _site import served_site  # noqa: E402
from bench_browser import _load_build, _machine, _numpy_wheels  # noqa: E402

TARGET_IPS = 10.0

RAF_JS = """(() => {
  const B = (window.__seg = {frames: []});
  const tick = (t) => { B.frames.push(t); requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
})();"""


def cpython_reference():
    """The page's fit in this process: labels digest and EM iterations per second."""
    from simapp.segmentation.fit import SegmentFit, fit_settings
    from simapp.segmentation.pixels import features, sample_scene
    from simapp.segmentation.state import SCENE_SHAPE

    import emcore

    image = sample_scene(*SCENE_SHAPE)
    fit = SegmentFit(image, 6)
    fit.step()  # the start
    t0 = time.perf_counter()
    n = 0
    while fit.step():
        fit.painted()
        n += 1
    seconds = time.perf_counter() - t0
    X = features(image)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        labels = emcore.GaussianMixture(**fit_settings(6)).fit(X).predict(X)
    digest = hashlib.sha256(labels.astype("<i8").tobytes()).hexdigest()
    return digest, n / seconds


def one_run(browser, url: str) -> dict:
    context = browser.new_context(service_workers="block")
    context.add_init_script(RAF_JS)
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("document.body.dataset.status === 'ready'", timeout=300_000)
    page.locator("#segment-panel").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    start = page.evaluate("performance.now()")
    page.locator("#segment-run").click()
    trips = []
    while True:
        t0 = time.perf_counter()
        status = page.evaluate(
            "document.getElementById('segment-panel').dataset.status"
        )
        trips.append(time.perf_counter() - t0)
        if status in ("done", "error"):
            break
        time.sleep(0.05)
    end = page.evaluate("performance.now()")
    frames = page.evaluate("window.__seg.frames")
    frames = [f for f in frames if start <= f <= end]
    gaps = [b - a for a, b in zip(frames, frames[1:], strict=False)]
    result = page.locator("#segment-result")
    out = {
        "status": status,
        "ips": float(result.get_attribute("data-em-ips") or "nan"),
        "first_ms": float(result.get_attribute("data-first-ms") or "nan"),
        "longest_ms": float(result.get_attribute("data-longest-frame-ms") or "nan"),
        "iterations": int(result.get_attribute("data-iterations") or 0),
        "digest": result.get_attribute("data-labels-sha256"),
        "worst_gap_ms": max(gaps) if gaps else float("nan"),
        "median_gap_ms": statistics.median(gaps) if gaps else float("nan"),
        "trip_max_ms": 1000 * max(trips),
        "trip_median_ms": 1000 * statistics.median(trips),
        "seconds": (end - start) / 1000,
    }
    context.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs (3)")
    args = parser.parse_args(argv)

    build = _load_build()
    wheels = _numpy_wheels(build)
    if wheels is None:
        return 0
    if not build.CHROMIUM.exists():
        print(f"{build.CHROMIUM} not found (apt-get install chromium); no figures.")
        return 0
    from playwright.sync_api import sync_playwright

    print(f"machine: {_machine()}")
    runs = []
    with (
        served_site(build, wheels, "emgmm-bench-seg-") as (url, _root),
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(
            executable_path=str(build.CHROMIUM), args=build.CHROMIUM_ARGS, headless=True
        )
        print(f"browser: headless Chromium {browser.version}; site {url}")
        for _ in range(args.repeat):
            runs.append(one_run(browser, url))
        browser.close()
    digest, cpython_ips = cpython_reference()

    print("\n== colour segmentation: 100,000 pixels, K = 6, full, bundled scene")
    for i, r in enumerate(runs, 1):
        print(
            f"   run {i}: {r['status']}, {r['iterations']} iterations in "
            f"{r['seconds']:.2f} s; {r['ips']:.1f} EM iterations/s (each painted); "
            f"start {r['first_ms']:.0f} ms; longest EM frame {r['longest_ms']:.0f} ms; "
            f"rAF gap median {r['median_gap_ms']:.0f} ms, worst "
            f"{r['worst_gap_ms']:.0f} ms; script round trip median "
            f"{r['trip_median_ms']:.0f} ms, worst {r['trip_max_ms']:.0f} ms"
        )
    ips = statistics.median(r["ips"] for r in runs)
    same = all(r["digest"] == digest for r in runs)
    print(f"   CPython, same fit and painting: {cpython_ips:.1f} EM iterations/s")
    print(f"   final labels equal CPython's: {'yes' if same else 'NO'}")
    verdict = "PASS" if ips >= TARGET_IPS else "MISS"
    print(f"   median {ips:.1f} EM iterations/s (target >= {TARGET_IPS:g}): {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
