"""Own data of 200,000 rows and the four-type comparison sweep, in Chromium.

Issue 16, items "own data up to 200,000 rows" and "compare=1 under a second".
Builds the vendored site into a temporary folder, serves it on 127.0.0.1 and
drives headless Debian chromium (as the browser tests do). One run measures:

* **200,000-row paste** (the browser tests' table, 4.1 MB, three classes;
  ``k=3, n_init=1, iters=15, tol=1e-2``): a paste event carrying the text is
  dispatched to the text box, as Ctrl+V does. A ``requestAnimationFrame``
  probe records every frame and the status line: reading time (first to
  last "Reading…" message), fit time (to ``done``), and the longest gap
  between two frames while reading and while fitting. The first gap, which
  holds the delivery of the pasted text itself (the browser's clipboard
  event and its conversion to Python), is printed apart, and so is the time
  of the page's paste handler alone (``dispatchEvent`` timed in the page:
  the rest of that gap is the harness sending 5 MB to the page). From the
  page's own clocks (``body[data-*]``): the reading's longest step and the
  frame that shows the table (``app.dataload``), the median frame that drew
  an EM iteration (the runner) and the longest frame of sliced drawing
  (``app.painter``; "n/a" where a scatter is drawn in one go).
* **compare=1 sweep** (N = 5000, K = 3, the page's defaults otherwise:
  ``n_init=4``, ``tol=1e-4``; K = 1..8 for four covariance types): from the
  "EM finished; fitting..." message to ``done``, its longest frame gap and
  the runner's longest slice of Python; then the same sweep's computation
  in CPython (``emcore.experiment.iterate`` from the animated fit's last
  iteration to ``done``, after a warm-up run).

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_big_data.py [--compare-only] [--repeat R]

``--compare-only`` skips the 200,000-row paste (about 30 s instead of 3
minutes); ``--repeat`` measures the sweep R times (default 1).

Prints the figures with PASS/MISS against the targets (longest block under
200 ms, sweep under 1 s) and exits 0 whatever they are.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# this checkout's emcore first (a copy of another commit measures that commit)
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser"), str(ROOT / "site")]

from _site import served_site  # noqa: E402
from browser_support import CHROMIUM, CHROMIUM_ARGS, build, numpy_wheel_search  # noqa: E402
from test_big_data import FIT, QUERY, big_text  # noqa: E402

#: every frame: [time, gap since the previous frame, status line, chart caption]
PROBE = """() => {
  window.__frames = [];
  const message = document.getElementById('message');
  const caption = document.getElementById('frame-label');
  let last = null;
  const tick = (t) => {
    window.__frames.push(
      [t, last === null ? 0 : t - last, message.innerText, caption.innerText]);
    last = t;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""
#: the browser tests' paste (``test_big_data.PASTE``), timing the event's
#: dispatch: the page's paste handler runs inside it
PASTE_TIMED = """([text]) => {
  const dt = new DataTransfer();
  dt.setData('text/plain', text);
  const box = document.getElementById('data-text');
  box.focus();
  const t0 = performance.now();
  box.dispatchEvent(new ClipboardEvent('paste',
    {clipboardData: dt, bubbles: true, cancelable: true}));
  return performance.now() - t0;
}"""
TARGET_BLOCK_MS = 200.0
TARGET_SWEEP_S = 1.0


def wait(page, statuses, timeout_s=600.0) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = page.evaluate("document.body.dataset.status")
        if status in statuses:
            return status
        page.wait_for_timeout(100)
    raise RuntimeError(f"status stayed {status!r}")


def open_ready(browser, url: str):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, service_workers="block"
    )
    page = context.new_page()
    page.goto(url)
    wait(page, ("ready", "done"))
    return context, page


def big_paste(browser, url: str, text: str) -> dict:
    context, page = open_ready(browser, f"{url}?{QUERY}")
    page.locator("#data-source").select_option("paste")
    page.evaluate(PROBE)
    page.wait_for_timeout(200)
    handler_ms = page.evaluate(PASTE_TIMED, [text])
    wait(page, ("done",))
    page.wait_for_timeout(200)
    frames = page.evaluate("window.__frames")
    # the runner's own longest slice of Python work and what it computed
    body = page.evaluate(
        "[document.body.dataset.longestSliceMs, document.body.dataset.longestSlice]"
    )
    # drawing: the median frame that drew an EM iteration (the runner's clock)
    # and the longest frame of stamping points in slices (app.painter; absent
    # where scatters are drawn in one go)
    drawing = page.evaluate(
        "[document.body.dataset.drawMsMedian, document.body.dataset.longestDrawMs]"
    )
    # reading: its longest step, and the frame showing the table (app.dataload)
    reading_ms = page.evaluate(
        "[document.body.dataset.longestReadStepMs, document.body.dataset.tableShownMs]"
    )
    results = {
        n: page.locator(f"#result-{n}").get_attribute("data-value")
        for n in ("params", "loglik", "aic", "bic")
    }
    context.close()
    reading = [i for i, f in enumerate(frames) if f[2].startswith("Reading ")]
    first, last = reading[0], reading[-1]
    done = next(i for i, f in enumerate(frames) if i > last and f[2].startswith("Done"))
    # the first "Reading" frame's gap holds the paste event itself
    return {
        "delivery_ms": frames[first][1],
        "handler_ms": handler_ms,
        "drawing": drawing,
        "reading_ms": reading_ms,
        "read_s": (frames[last + 1][0] - frames[first][0]) / 1000,
        "read_block_ms": max(f[1] for f in frames[first + 1 : last + 2]),
        "fit_s": (frames[done][0] - frames[last + 1][0]) / 1000,
        "fit_block_ms": max(f[1] for f in frames[last + 2 : done + 1]),
        "frames": done - first,
        "results": results,
        "slice": body,
        # the five longest fit frames, with the chart caption they ended on
        # (the status line when the caption is empty)
        "worst": sorted(
            ((round(f[1]), (f[3] or f[2])[:90]) for f in frames[last + 2 : done + 1]),
            reverse=True,
        )[:5],
    }


def compare_sweep(browser, url: str, skip: bool = False) -> dict:
    """The compare=1 run: from Simulate (ticking Compare) to "Done", and
    from "EM finished" to "Done" (what is left of the sweep after the
    animated fit; None when the animation is skipped)."""
    context, page = open_ready(browser, f"{url}?n=5000&k=3&seed=1")
    if skip:
        page.locator("#skip-animation").check()
        page.wait_for_timeout(200)
    page.evaluate(PROBE)
    t_click = page.evaluate("performance.now()")
    page.locator("#compare").check()  # starts the run with compare=1
    wait(page, ("done",))
    page.wait_for_timeout(200)
    frames = page.evaluate("window.__frames")
    body = page.evaluate(
        "[document.body.dataset.longestSliceMs, document.body.dataset.longestSlice]"
    )
    context.close()
    done = next(i for i, f in enumerate(frames) if f[2].startswith("Done"))
    started = [i for i, f in enumerate(frames) if f[2].startswith("EM finished")]
    start = started[0] if started else 0
    gaps = sorted(f[1] for f in frames[start + 1 : done + 1])
    return {
        "run_s": (frames[done][0] - t_click) / 1000,
        "sweep_s": (frames[done][0] - frames[start][0]) / 1000 if started else None,
        "block_ms": gaps[-1],
        "median_ms": gaps[len(gaps) // 2],
        "frames": len(gaps),
        "slice": body,
    }


def cpython_sweep() -> float:
    """Seconds CPython computes the page's compare sweep (the animated
    fit's last iteration to ``done``), after a warm-up run."""
    from emcore.experiment import iterate

    best = math.inf
    for _ in range(2):  # the first run pays one-off imports (scikit-learn's
        # warning classes on the first fit that hits the cap)
        t_em = None
        for event in iterate(n=5000, k=3, seed=1, compare=True):
            if event.kind == "em":
                t_em = time.perf_counter()
            elif event.kind == "done":
                best = time.perf_counter() - t_em
    return best


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--compare-only", action="store_true", help="only the compare=1 sweep"
    )
    parser.add_argument("--repeat", type=int, default=1, help="sweeps to measure")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"bench_big_data: {CHROMIUM} not found; nothing measured")
        return 0
    folder, _ = numpy_wheel_search()
    if folder is None:
        print("bench_big_data: Pyodide's numpy wheel not found; nothing measured")
        return 0
    import numpy as np  # noqa: F401  (CPython reference below)
    from playwright.sync_api import sync_playwright
    from simapp.data import tables as dataio

    from emcore.experiment import run_data

    with served_site(build, folder, "emgmm-big-") as (url, _root):
        text = big_text()
        print(f"load average {os.getloadavg()[0]:.2f}; chromium {CHROMIUM}")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            paste = None if args.compare_only else big_paste(browser, url, text)
            sweeps = [compare_sweep(browser, url) for _ in range(args.repeat)]
            skipped = [compare_sweep(browser, url, True) for _ in range(args.repeat)]
            browser.close()

    sweep_cpython = cpython_sweep()
    print("\n== compare=1 sweep, N = 5000, K = 1..8 x 4 covariance types")
    for sweep in sweeps:
        print(
            f"   after the animated fit: sweep {sweep['sweep_s']:.2f} s  "
            f"{verdict(sweep['sweep_s'] < TARGET_SWEEP_S)} (< 1 s); "
            f"{sweep['frames']} frames, longest block {sweep['block_ms']:.0f} ms, "
            f"median {sweep['median_ms']:.0f} ms; runner's longest Python slice "
            f"{sweep['slice'][0]} ms {sweep['slice'][1]!r}; "
            f"whole run from Simulate {sweep['run_s']:.2f} s"
        )
    for sweep in skipped:
        print(
            f"   animation skipped: whole run from Simulate {sweep['run_s']:.2f} s; "
            f"{sweep['frames']} frames, longest block {sweep['block_ms']:.0f} ms, "
            f"median {sweep['median_ms']:.0f} ms"
        )
    print(f"   CPython computes the same sweep in {sweep_cpython:.2f} s")
    print(f"   load average after: {os.getloadavg()[0]:.2f}")
    if paste is None:
        return 0

    t0 = time.perf_counter()
    sel = dataio.parse_table(text).select("x", "y", "species")
    parse_cpython = time.perf_counter() - t0
    t0 = time.perf_counter()
    expected = run_data(sel.X, sel.labels, **FIT)
    fit_cpython = time.perf_counter() - t0
    same = all(
        math.isclose(float(paste["results"][n]), getattr(expected, n), rel_tol=1e-9)
        for n in ("loglik", "aic", "bic")
    )
    print(f"\n== 200,000-row paste ({len(text) / 1e6:.1f} MB), {FIT}")
    print(
        f"   paste event delivered (clipboard text to Python): "
        f"{paste['delivery_ms']:.0f} ms"
    )
    print(
        f"   of which the page's paste handler (inside dispatchEvent): "
        f"{paste['handler_ms']:.0f} ms"
    )
    print(
        f"   reading: {paste['read_s']:.2f} s (CPython parse + select "
        f"{parse_cpython:.2f} s); longest block {paste['read_block_ms']:.0f} ms"
        f"  {verdict(paste['read_block_ms'] < TARGET_BLOCK_MS)} (< 200 ms)"
    )
    print(
        f"     longest step of reading {paste['reading_ms'][0] or 'n/a'} ms; "
        f"the frame showing the table {paste['reading_ms'][1] or 'n/a'} ms"
    )
    print(
        f"   fitting to done: {paste['fit_s']:.2f} s (CPython run_data "
        f"{fit_cpython:.2f} s); longest block {paste['fit_block_ms']:.0f} ms"
        f"  {verdict(paste['fit_block_ms'] < TARGET_BLOCK_MS)} (< 200 ms)"
    )
    for gap, what in paste["worst"]:
        print(f"     {gap} ms ending on: {what!r}")
    print(
        f"   longest Python slice of the run (the runner's own clock): "
        f"{paste['slice'][0]} ms, {paste['slice'][1]!r}"
    )
    print(
        f"   drawing: median frame drawing an EM iteration "
        f"{paste['drawing'][0]} ms; longest frame of sliced drawing "
        f"{paste['drawing'][1] or 'n/a (drawn in one go)'} ms"
    )
    print(
        f"   frames painted: {paste['frames']}; results equal CPython's (1e-9): {same}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
