"""200,000 rows of own data in a real browser (issues 12 and 16).

A 200,000-row paste and a 200,000-row upload are read a slice per frame,
fitted to the end, and give CPython's numbers (``emcore.experiment.run_data``
on ``simapp.data.tables.parse_table`` of the same text). A probe injected into the
page records every ``requestAnimationFrame`` callback: the longest gap
between two consecutive frames during reading and fitting is the longest
time the page could not respond (printed; the target is 200 ms, see
BENCHMARKS.md section 4). An 11 MB paste is refused before it is parsed.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from emcore.experiment import run_data

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "site"))

from simapp.data import tables as dataio  # noqa: E402

pytestmark = pytest.mark.browser

N_ROWS = 200_000
#: a fit of seconds, not minutes: one start, few iterations, loose tolerance
QUERY = "k=3&seed=4&n_init=1&iters=15&tol=1e-2&speed=10"
FIT = {"k": 3, "seed": 4, "n_init": 1, "iters": 15, "tol": 1e-2}
REL = 1e-9

# rAF timestamps in a page array; (re)started and read by the test
# (the status line's texts are recorded too: the progress messages)
PROBE_START = """() => {
  window.__gaps = [];
  window.__texts = [];
  window.__probe = (window.__probe || 0) + 1;
  const me = window.__probe;
  const message = document.getElementById('message');
  let last = null;
  const tick = (t) => {
    if (window.__probe !== me) return;
    if (last !== null) window.__gaps.push(t - last);
    last = t;
    const text = message.innerText;
    if (window.__texts[window.__texts.length - 1] !== text) window.__texts.push(text);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""
PROBE_READ = """() => ({max: Math.max(0, ...window.__gaps), n: window.__gaps.length,
  texts: window.__texts})"""

# what a user's paste (Ctrl+V) into the text box delivers: a paste event
# carrying the clipboard's text; ``repeat`` builds huge text in the page
PASTE = """([text, repeat]) => {
  const dt = new DataTransfer();
  dt.setData('text/plain', repeat ? text.repeat(repeat) : text);
  const box = document.getElementById('data-text');
  box.focus();
  box.dispatchEvent(new ClipboardEvent('paste',
    {clipboardData: dt, bubbles: true, cancelable: true}));
}"""
# the big text is handed to the page before the probe starts, so that the
# test's own copy of 5 MB into the page is not counted as the page's block
STAGE = "(text) => { window.__bigText = text; }"
PASTE_STAGED = """() => {
  const dt = new DataTransfer();
  dt.setData('text/plain', window.__bigText);
  const box = document.getElementById('data-text');
  box.focus();
  box.dispatchEvent(new ClipboardEvent('paste',
    {clipboardData: dt, bubbles: true, cancelable: true}));
}"""
# what choosing a file delivers: the input's files and a change event
UPLOAD_STAGED = """() => {
  const dt = new DataTransfer();
  dt.items.add(new File([window.__bigText], 'big.csv', {type: 'text/csv'}));
  const input = document.getElementById('data-file');
  input.files = dt.files;
  input.dispatchEvent(new Event('change', {bubbles: true}));
}"""


def big_text(n: int = N_ROWS) -> str:
    rng = np.random.default_rng(16)
    centres = np.array([[0.0, 0.0], [5.0, 1.0], [2.0, 6.0]])
    kinds = rng.integers(0, 3, n)
    X = centres[kinds] + rng.normal(size=(n, 2)) * [1.0, 0.7]
    names = np.array(["setosa", "versicolor", "virginica"])[kinds]
    lines = [
        f"{x:.5f},{y:.5f},{k}" for (x, y), k in zip(X.tolist(), names, strict=True)
    ]
    return "x,y,species\n" + "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def site(site_factory, numpy_wheels_dir):
    return site_factory("vendor")


@pytest.fixture(scope="module")
def text():
    return big_text()


@pytest.fixture(scope="module")
def expected(text):
    sel = dataio.parse_table(text).select("x", "y", "species")
    assert len(sel.X) == N_ROWS
    return run_data(sel.X, sel.labels, **FIT)


def value(run, name: str) -> str:
    return run.page.locator(f"#result-{name}").get_attribute("data-value")


def fit_to_done(run, timeout_s: float = 300.0) -> float:
    """Wait for ``done``, failing on an error; returns the seconds waited."""
    t0 = time.perf_counter()
    while True:
        status = run.status()
        kind = run.page.locator("#message").get_attribute("data-kind")
        if status == "done" and run.page.locator("#result-aic").get_attribute(
            "data-value"
        ):
            return time.perf_counter() - t0
        if status == "error" or kind in ("error", "warn"):
            raise AssertionError(f"{status}: {run.message()}\n{run.console}")
        if time.perf_counter() - t0 > timeout_s:
            raise AssertionError(f"status stayed {status!r}: {run.message()}")
        run.page.wait_for_timeout(100)


def check_against_cpython(run, expected: dict) -> None:
    assert value(run, "params") == str(expected.params)
    for name in ("loglik", "aic", "bic"):
        got = float(value(run, name))
        assert math.isclose(got, getattr(expected, name), rel_tol=REL), (name, got)
    assert run.page.locator("#data-summary").get_attribute("data-n") == str(N_ROWS)
    assert run.console_errors == [] and run.page_errors == []


def open_ready(site, open_page):
    run = open_page(f"{site.url}?{QUERY}", offline=True)
    run.wait_status("ready", "done")
    return run


def watch(run, what: str, timings=None) -> dict:
    """Fit to done under the rAF probe; print and return the figures."""
    seconds = fit_to_done(run)
    probe = run.page.evaluate(PROBE_READ)
    figures = {"seconds": round(seconds, 2), "frames": probe["n"]}
    figures["longest_block_ms"] = round(probe["max"], 1)
    print(f"\n[big data] {what}: {figures}")
    if timings is not None:
        timings[f"big_data_{what}"] = figures
    figures["texts"] = probe["texts"]
    return figures


def check_responsive(figures: dict) -> None:
    """The page painted throughout and said how far the reading was.

    The 200 ms bound on the longest block is measured and printed here and
    by ``benchmarks/bench_big_data.py`` (BENCHMARKS.md section 4), not
    asserted: on a shared 2-core machine another process can stall a frame.
    """
    progress = [t for t in figures["texts"] if t.startswith("Reading ")]
    assert len(progress) >= 3, figures["texts"][:10]
    # at least 2 frames a second on average over reading and fitting
    assert figures["frames"] >= 2 * figures["seconds"], figures


def test_200000_row_paste_is_fitted_like_cpython_and_stays_responsive(
    site, open_page, text, expected, timings
):
    run = open_ready(site, open_page)
    page = run.page
    page.locator("#data-source").select_option("paste")
    page.evaluate(STAGE, text)
    page.evaluate(PROBE_START)
    page.evaluate(PASTE_STAGED)
    figures = watch(run, "paste", timings)
    check_against_cpython(run, expected)
    check_responsive(figures)


def test_200000_row_upload_is_fitted_like_cpython_and_stays_responsive(
    site, open_page, text, expected, timings
):
    run = open_ready(site, open_page)
    page = run.page
    page.locator("#data-source").select_option("upload")
    page.evaluate(STAGE, text)
    page.evaluate(PROBE_START)
    page.evaluate(UPLOAD_STAGED)
    figures = watch(run, "upload", timings)
    check_against_cpython(run, expected)
    check_responsive(figures)


def test_an_11_mb_paste_is_refused_before_parsing(site, open_page):
    run = open_ready(site, open_page)
    page = run.page
    page.locator("#data-source").select_option("paste")
    page.evaluate(PROBE_START)
    t0 = time.perf_counter()
    # 11.2 MB of valid rows, built in the page
    page.evaluate(PASTE, ["1.0,2.0\n", 1_400_000])
    error = page.locator("#data-error")
    error.wait_for(state="visible", timeout=10_000)
    seconds = time.perf_counter() - t0
    text = error.inner_text()
    assert "11.2 MB" in text and "limit is 10.0 MB" in text, text
    probe = page.evaluate(PROBE_READ)
    print(f"\n[big data] 11 MB refused in {seconds:.2f} s, longest {probe['max']} ms")
    # refused from its size: no slice of parsing ever ran
    assert "Reading" not in run.message()
    assert seconds < 3.0
    assert run.status() in ("ready", "done")
