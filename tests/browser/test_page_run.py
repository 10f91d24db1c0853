"""The simulator page in a real browser gives emcore's CPython numbers.

Each case loads settings through the URL with ``run=1``, waits for
``status=done`` and compares every result's ``data-value`` with
``emcore.experiment.run`` on the same settings in CPython (integers, booleans
and the verdict exactly; floats to rel 1e-9: wasm numpy has no BLAS, so the
last bits may differ). The canvases are checked through what they expose
(``data-view``, ``data-ellipses``, ``data-trace``...) and their real pixels
(``getImageData``). Screenshots go to ``artifacts/screenshots/``.
"""

from __future__ import annotations

import json
import math
import time
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from emcore.experiment import run as emcore_run

pytestmark = pytest.mark.browser

RESULT_IDS = (
    "params",
    "iterations",
    "converged",
    "loglik",
    "aic",
    "bic",
    "ari",
    "verdict",
)
REL = 1e-9

# (id, URL query, viewport width): all four covariance types, N from 100 to
# 5000, overlap from 0 to 80 %, converged and capped runs.
CASES = [
    ("default-full", "k=3&n=500&overlap=20&cov=full&seed=1", 1280),
    ("big-tied", "k=6&n=5000&overlap=80&cov=tied&seed=7", 1920),
    ("small-spherical", "k=2&n=100&overlap=0&cov=spherical&seed=3&n_init=1", 375),
    ("capped-diag", "k=4&n=2000&overlap=60&cov=diag&iters=20&tol=1e-6&seed=11", 1280),
    ("big-full", "k=5&n=5000&overlap=5&cov=full&seed=5&n_init=2", 1280),
]

# JavaScript run through Playwright (CDP evaluation, not subject to the CSP).
PIXELS_JS = """([id, points]) => {
  const canvas = document.getElementById(id);
  const ctx = canvas.getContext("2d");
  return points.map(([x, y]) => {
    const x0 = Math.round(x) - 1, y0 = Math.round(y) - 1;
    return Array.from(ctx.getImageData(x0, y0, 3, 3).data);
  });
}"""
COUNT_JS = """([id, colours, tolerance]) => {
  const canvas = document.getElementById(id);
  const data = canvas.getContext("2d")
    .getImageData(0, 0, canvas.width, canvas.height).data;
  const counts = colours.map(() => 0);
  let opaque = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] < 200) continue;
    opaque++;
    colours.forEach(([r, g, b], j) => {
      if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g)
          + Math.abs(data[i + 2] - b) <= tolerance) counts[j]++;
    });
  }
  return {opaque, counts};
}"""


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def expected_for(query: str) -> tuple[dict, dict]:
    settings = {k: v[0] for k, v in parse_qs(query).items()}
    kwargs = {}
    for name, value in settings.items():
        if name == "cov":
            kwargs[name] = value
        elif name == "tol":
            kwargs[name] = float(value)
        elif name != "run":
            kwargs[name] = int(value)
    return kwargs, emcore_run(**kwargs)


def wait_done(run, timeout_s: float = 120.0) -> float:
    """Poll until ``status=done``; fail fast on an error message."""
    t0 = time.perf_counter()
    while True:
        status = run.status()
        if status == "done":
            return time.perf_counter() - t0
        kind = run.page.locator("#message").get_attribute("data-kind")
        if status == "error" or kind == "error":
            raise AssertionError(f"{status}: {run.message()}\n{run.console}")
        if time.perf_counter() - t0 > timeout_s:
            raise AssertionError(f"status stayed {status!r}: {run.message()}")
        run.page.wait_for_timeout(50)


def wait_frames(run, at_least: int = 3, timeout_s: float = 60.0) -> None:
    """Wait until the clustering canvas drew ``at_least`` EM iterations."""
    t0 = time.perf_counter()
    while True:
        frame = run.page.locator("#cluster-canvas").get_attribute("data-frame")
        if frame and frame.isdigit() and int(frame) >= at_least:
            return
        if time.perf_counter() - t0 > timeout_s:
            raise AssertionError(f"no EM frames drawn: {frame!r}, {run.message()}")
        run.page.wait_for_timeout(20)


def data_value(run, name: str) -> str:
    return run.page.locator(f"#result-{name}").get_attribute("data-value")


def check_results(run, expected: dict) -> None:
    values = {name: data_value(run, name) for name in RESULT_IDS}
    assert values["params"] == str(expected.params)
    assert values["iterations"] == str(expected.iterations), (
        "the browser's EM took a different number of iterations than CPython's"
    )
    assert values["converged"] == ("true" if expected.converged else "false")
    assert values["verdict"] == expected.verdict
    for name in ("loglik", "aic", "bic", "ari"):
        assert math.isclose(
            float(values[name]), getattr(expected, name), rel_tol=REL
        ), name
    text = run.page.locator("#result-iterations").inner_text()
    assert ("converged" if expected.converged else "capped") in text
    reason = run.page.locator("#result-verdict-reason").inner_text()
    assert reason == expected.verdict_reason or expected.verdict == "WARN"
    notes = run.page.locator("#result-notes li").all_inner_texts()
    assert notes == list(expected.notes)


def check_cluster_canvas(run, expected: dict) -> None:
    canvas = run.page.locator("#cluster-canvas")
    assert canvas.get_attribute("data-frame") == "final"
    view = json.loads(canvas.get_attribute("data-view"))
    drawn = json.loads(canvas.get_attribute("data-ellipses"))
    assert len(drawn) == len(expected.ellipses) == expected.settings["k"]

    # the drawn ellipses are CPython's fit, through the exposed view transform
    for e, d in zip(expected.ellipses, drawn, strict=True):
        px = view["plot_cx"] + (e.center[0] - view["cx"]) * view["scale"]
        py = view["plot_cy"] - (e.center[1] - view["cy"]) * view["scale"]
        assert abs(px - d["cx"]) < 0.01 and abs(py - d["cy"]) < 0.01
        assert math.isclose(d["rx"], e.semi_axes[0] * view["scale"], rel_tol=1e-6)

    # real pixels: each 1σ contour is stroked in its component's colour
    width = int(canvas.get_attribute("width"))
    height = int(canvas.get_attribute("height"))
    for d in drawn:
        points = []
        for i in range(32):
            t = 2 * math.pi * i / 32
            cr, sr = math.cos(d["rotation"]), math.sin(d["rotation"])
            x = d["cx"] + d["rx"] * math.cos(t) * cr - d["ry"] * math.sin(t) * sr
            y = d["cy"] + d["rx"] * math.cos(t) * sr + d["ry"] * math.sin(t) * cr
            if 3 <= x < width - 3 and 3 <= y < height - 3:
                points.append([x, y])
        assert len(points) >= 8, d
        patches = run.page.evaluate(PIXELS_JS, ["cluster-canvas", points])
        target = _hex(d["color"])
        hits = 0
        for patch in patches:
            pixels = [patch[i : i + 4] for i in range(0, len(patch), 4)]
            if any(
                p[3] > 200 and sum(abs(p[c] - target[c]) for c in range(3)) < 90
                for p in pixels
            ):
                hits += 1
        assert hits >= 0.7 * len(patches), (d, hits, len(patches))

    # true centres: black crosses
    centres = json.loads(canvas.get_attribute("data-centres"))
    patches = run.page.evaluate(PIXELS_JS, ["cluster-canvas", centres])
    for patch in patches:
        pixels = [patch[i : i + 4] for i in range(0, len(patch), 4)]
        assert any(p[3] > 200 and max(p[:3]) < 80 for p in pixels), patch

    # the points themselves: plenty of opaque pixels
    stats = run.page.evaluate(COUNT_JS, ["cluster-canvas", [[0, 0, 0]], 0])
    assert stats["opaque"] > 20 * expected.settings["n"] ** 0.5


def check_loglik_canvas(run, expected: dict) -> None:
    canvas = run.page.locator("#loglik-canvas")
    trace = json.loads(canvas.get_attribute("data-trace"))
    assert canvas.get_attribute("data-best") == str(expected.best_start)
    assert len(trace) == len(expected.trace) == expected.iterations
    for got, want in zip(trace, expected.trace, strict=True):
        assert math.isclose(got, want, rel_tol=REL)
    for a, b in zip(trace, trace[1:], strict=False):
        assert b >= a - 1e-9 * abs(a), "log-likelihood decreased"
    stats = run.page.evaluate(COUNT_JS, ["loglik-canvas", [_hex("#0072b2")], 30])
    assert stats["counts"][0] > 50, stats  # the bold series is drawn


def check_ic(run, expected: dict) -> None:
    canvas = run.page.locator("#ic-canvas")
    aic = json.loads(canvas.get_attribute("data-aic"))
    bic = json.loads(canvas.get_attribute("data-bic"))
    assert json.loads(canvas.get_attribute("data-ks")) == list(expected.sweep.ks)
    want_all = expected.sweep.aic + expected.sweep.bic
    for got, want in zip(aic + bic, want_all, strict=True):
        assert math.isclose(got, want, rel_tol=REL)
    stats = run.page.evaluate(
        COUNT_JS, ["ic-canvas", [_hex("#e69f00"), _hex("#0072b2")], 30]
    )
    assert min(stats["counts"]) > 30, stats  # both curves are drawn
    summary = run.page.locator("#ic-summary")
    assert summary.get_attribute("data-bic-k") == str(expected.picks.bic.k)
    assert summary.get_attribute("data-aic-k") == str(expected.picks.aic.k)
    text = summary.inner_text()
    assert f"K = {expected.picks.bic.k}" in text and "recommend" in text


def check_clean(run) -> None:
    assert run.console_errors == [], run.console
    assert run.page_errors == []
    assert not [m for m in run.console if m.startswith("warning: [emgmm]")]
    assert run.foreign_requests() == []


def check_url(run, kwargs: dict) -> None:
    query = {k: v[0] for k, v in parse_qs(urlsplit(run.page.url).query).items()}
    assert query.pop("run") == "1"
    for name, value in kwargs.items():
        if name == "tol":
            assert float(query[name]) == value
        elif name == "cov":
            assert query[name] == value
        else:
            assert int(query[name]) == value, name


@pytest.fixture(scope="module")
def site(site_factory, numpy_wheels_dir):
    return site_factory("vendor")


@pytest.mark.parametrize(("name", "query", "width"), CASES, ids=[c[0] for c in CASES])
def test_url_run_matches_cpython(site, open_page, timings, name, query, width):
    kwargs, expected = expected_for(query)
    t0 = time.perf_counter()
    run = open_page(f"{site.url}?{query}&run=1", offline=True, viewport=(width, 900))
    run.wait_status("ready", "running", "done", "error")
    ready_s = time.perf_counter() - t0
    wait_frames(run, 2)
    run.screenshot(f"run-{name}-{width}-running")
    wait_done(run)
    done_s = time.perf_counter() - t0
    run.screenshot(f"run-{name}-{width}-done")
    body = json.loads(run.page.evaluate("JSON.stringify(document.body.dataset)"))
    timings[f"run_{name}"] = {
        "ready_s": round(ready_s, 2),
        "done_s": round(done_s, 2),
        "run_ms_in_page": int(body.get("runMs", 0)),
        "em_iterations_per_s": body.get("emFps"),
        "median_draw_ms": body.get("drawMsMedian"),
        "longest_slice_ms": body.get("longestSliceMs"),
        "longest_slice": body.get("longestSlice"),
    }
    print(f"\n[browser] {name}: {timings[f'run_{name}']}")

    check_results(run, expected)
    check_cluster_canvas(run, expected)
    check_loglik_canvas(run, expected)
    check_ic(run, expected)
    check_url(run, kwargs)
    label = run.page.locator("#frame-label").inner_text()
    assert label.startswith(f"Final fit: {expected.iterations} iterations")
    legend = run.page.locator("#cluster-legend li").all_inner_texts()
    assert sum(t.startswith("cluster") for t in legend) == kwargs["k"]
    check_clean(run)
    page_width = run.page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= width, f"horizontal scroll at {width} px"


def test_new_settings_mid_run_win(site, open_page):
    """Changing controls and pressing Simulate mid-run: the last settings win."""
    query = "k=6&n=5000&overlap=50&cov=full&seed=21&iters=40&tol=1e-8"
    run = open_page(f"{site.url}?{query}&run=1", offline=True)
    wait_frames(run, 3)
    assert run.status() == "running"
    page = run.page
    page.locator("#seed").fill("99")  # input only; applied by the next change
    page.locator("#cov").select_option("diag")  # change: restarts the run
    wait_frames(run, 2)
    page.locator("#n").fill("800")  # a slider change restarts again
    page.locator("#simulate").click()  # and Simulate once more, mid-run
    wait_done(run)
    kwargs = {"k": 6, "n": 800, "overlap": 50, "cov": "diag", "seed": 99}
    kwargs.update(iters=40, tol=1e-8)
    expected = emcore_run(**kwargs)
    check_results(run, expected)
    check_loglik_canvas(run, expected)
    check_url(run, kwargs)
    # the old runs left nothing behind: one final frame, one final result
    assert page.locator("#cluster-canvas").get_attribute("data-frame") == "final"

    # skipping the animation gives the same numbers
    page.locator("#skip-animation").check()
    page.locator("#simulate").click()
    wait_done(run)
    check_results(run, expected)
    check_cluster_canvas(run, expected)
    check_clean(run)


def test_garbage_url_shows_notes_as_text_and_still_runs(site, open_page):
    query = "k=999&n=-5&tol=abc&cov=" + quote("<script>alert(1)</script>")
    run = open_page(f"{site.url}?{query}&run=1", offline=True, viewport=(375, 800))
    wait_done(run)
    run.screenshot("garbage-url-375")
    notes = run.page.locator("#notes li").all_inner_texts()
    assert len(notes) == 4, notes
    assert any(n.startswith("k=999") and "maximum 6" in n for n in notes)
    assert any(n.startswith("n=-5") for n in notes)
    assert any(n.startswith("tol=") for n in notes)
    assert any("<script>" in n for n in notes)  # shown as text...
    assert run.page.locator("#notes script").count() == 0  # ...never as HTML
    assert "&lt;script&gt;" in run.page.locator("#notes").inner_html()
    seed = int(run.page.locator("#seed").input_value())
    kwargs = {"k": 6, "n": 500, "tol": 1e-4, "cov": "full", "seed": seed}
    expected = emcore_run(**kwargs)
    check_results(run, expected)
    check_url(run, kwargs)
    check_clean(run)


def test_keyboard_and_theory_links(site, open_page):
    run = open_page(site.url, offline=True)
    run.wait_status("ready")
    page = run.page
    seed = int(page.locator("#seed").input_value())
    assert 1 <= seed <= 99_999  # a fresh visit gets a random seed
    k_true = int(page.locator("#k-true").input_value())  # stays when K moves
    page.locator("#k").focus()
    page.keyboard.press("ArrowRight")
    assert page.locator("#k-value").inner_text() == "4"
    wait_done(run)
    expected = emcore_run(k=4, k_true=k_true, seed=seed)
    check_results(run, expected)

    links = page.locator("a.try[data-settings]")
    if links.count() == 0:
        pytest.skip("the theory section (a.try links) is not in this build")
    live_k = page.locator('.live[data-live="k"]')
    if live_k.count():
        assert live_k.first.inner_text() == "4"
    link = links.first
    spec = {k: v[0] for k, v in parse_qs(link.get_attribute("data-settings")).items()}
    url_before = page.url
    link.scroll_into_view_if_needed()
    link.click()
    assert urlsplit(page.url).path == urlsplit(url_before).path  # no navigation
    wait_done(run)
    query = {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}
    for name, value in spec.items():
        if name == "tol":
            assert float(query[name]) == float(value)
        else:
            assert query[name] == value
    kwargs, expected = expected_for(urlsplit(page.url).query)
    check_results(run, expected)
    check_clean(run)
