"""Lessons and class-ready exports in a real browser.

Every lesson opens from ``scenario=ID`` with its settings in the controls and
its text on the page; a theory link and the Lessons menu open one in place.
The share panel's CSV, notebook, script and PNGs are downloaded and checked:
the notebook, run by CPython with emcore blocked, reaches the page's BIC.
"""

from __future__ import annotations

import io
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "site"))

from app.controls_ids import CONTROL_IDS  # noqa: E402
from browser_support import check_clean, value  # noqa: E402
from simapp.lessons.scenarios import SCENARIOS  # noqa: E402
from simapp.state import settings as S  # noqa: E402

pytestmark = pytest.mark.browser


def wait_done(run, timeout_s: float = 300.0) -> None:
    """Wait for ``body[data-status=done]``; a long sweep may hold the page's
    thread for a while on a loaded machine, so each read waits long too."""
    page = run.page
    deadline = time.monotonic() + timeout_s
    while True:
        status = page.locator("body").get_attribute("data-status", timeout=120_000)
        if status == "done":
            return
        kind = page.locator("#message").get_attribute("data-kind", timeout=120_000)
        if status == "error" or kind == "error":
            raise AssertionError(f"{status}: {run.message()}\n{run.console}")
        if time.monotonic() > deadline:
            raise AssertionError(f"status stayed {status!r}: {run.message()}")
        page.wait_for_timeout(100)


def shown(settings, name: str) -> str:
    v = getattr(settings, name)
    if name == "tol":
        return S.tol_label(v)
    if name == "temp":
        return S.temp_label(v)
    if name == "conc":
        return "" if v is None else f"{v:g}"
    if name == "anneal":
        return "1" if v else "0"
    return str(v)


def check_lesson(run, lesson) -> None:
    page = run.page
    expected, _ = S.parse_settings(lesson.query, default_seed=1)
    assert page.locator("#lesson").input_value() == lesson.id
    panel = page.locator("#lesson-panel")
    assert panel.get_attribute("data-scenario") == lesson.id and panel.is_visible()
    assert page.locator("#lesson-watch").inner_text() == lesson.watch
    assert page.locator("#lesson-change").inner_text() == lesson.change
    assert page.locator("#lesson-shows").inner_text() == lesson.shows
    for name, element_id in CONTROL_IDS.items():
        got = page.locator(f"#{element_id}").input_value()
        assert got == shown(expected, name), (lesson.id, name)
    assert page.locator("#compare").is_checked() == expected.compare
    kind = "dataset" if expected.data else "simulated"
    assert page.locator("#data-source").input_value() == kind
    if expected.data:
        assert page.locator("#dataset").input_value() == expected.data
    link = page.locator("#share-url").input_value()
    assert f"scenario={lesson.id}" in link


@pytest.mark.parametrize("lesson", SCENARIOS, ids=lambda s: s.id)
def test_each_lesson_loads_with_its_settings_and_text(site, open_page, lesson):
    run = open_page(f"{site.url}?scenario={lesson.id}", offline=True)
    wait_done(run, timeout_s=600)
    check_lesson(run, lesson)
    assert run.page.locator("#notes").is_hidden()  # nothing was adjusted
    check_clean(run)


def test_the_menu_and_a_theory_link_open_lessons_in_place(site, open_page):
    run = open_page(f"{site.url}?k=2&n=200&seed=4&n_init=1&run=1", offline=True)
    wait_done(run)
    page = run.page
    options = page.locator("#lesson option").all()
    assert [o.get_attribute("value") for o in options] == [
        "",
        *(s.id for s in SCENARIOS),
    ]
    by_id = {s.id: s for s in SCENARIOS}
    page.select_option("#lesson", "overlap-ari")
    wait_done(run)
    check_lesson(run, by_id["overlap-ari"])
    page.evaluate(
        "document.querySelectorAll('#theory details').forEach(d => d.open = true)"
    )
    page.locator('a.lesson-link[data-scenario="wrong-k"]').first.click()
    wait_done(run)
    check_lesson(run, by_id["wrong-k"])
    assert "scenario=wrong-k" in page.url
    page.select_option("#lesson", "")
    assert page.locator("#lesson-panel").is_hidden()
    check_clean(run)


# ---------------------------------------------------------------- exports
def png_rgba(data: bytes):
    """The PNG's pixels as an (h, w, 4) uint8 array (Pillow, matplotlib's own)."""
    from PIL import Image

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(data))
    return np.asarray(image.convert("RGBA")), image.mode


@pytest.mark.parametrize(
    "query",
    ["k=3&n=300&overlap=25&cov=tied&seed=12&n_init=3", "data=iris&k=3&seed=2&n_init=2"],
)
def test_class_exports_download_and_reproduce_the_fit(
    site, open_page, tmp_path, run_without_emcore, query
):
    run = open_page(f"{site.url}?{query}&run=1", offline=True)
    wait_done(run)
    page = run.page

    def download(button: str):
        try:
            with page.expect_download(timeout=20_000) as info:
                page.locator(f"#{button}").click()
            d = info.value
        except Exception as exc:
            raise AssertionError(f"{button}: {run.message()}\n{run.console}") from exc
        path = tmp_path / d.suggested_filename
        d.save_as(path)
        return d.suggested_filename, path.read_bytes()

    bic = float(value(run, "bic"))

    name, data = download("export-csv")
    assert name.endswith(".csv")
    lines = data.decode().strip().splitlines()
    header = lines[0].split(",")
    assert "true_class" in header and "fitted_component" in header
    k = int(dict(p.split("=") for p in query.split("&"))["k"])
    assert header[-k:] == [f"p_{j + 1}" for j in range(k)]
    n_rows = 150 if "iris" in query else 300
    assert len(lines) - 1 == n_rows

    name, data = download("export-notebook")
    assert name.endswith(".ipynb")
    nb = json.loads(data)
    import nbformat

    nbformat.validate(nbformat.reads(data.decode(), as_version=4))
    got = run_without_emcore(nb, "float(gm.bic(X))")
    assert math.isclose(got, bic, rel_tol=0.01)  # the bar
    assert math.isclose(got, bic, rel_tol=1e-6)  # same start, same EM path

    name, data = download("export-snippet")
    source = data.decode()
    assert "emcore" not in source.replace("sys.modules['emcore']", "")
    run_without_emcore(source)

    for button in ("png-cluster", "png-loglik", "png-ic"):
        name, data = download(button)
        rgba, mode = png_rgba(data)
        assert rgba[..., 3].min() == 255, f"{name} ({mode}) has transparent pixels"
        # a title: dark ink in the top band, on the white background
        band = rgba[: max(rgba.shape[0] // 12, 24), :, :3].astype(int)
        assert (band.sum(axis=2) < 240).sum() > 50, f"{name} has no title"
        assert (band.sum(axis=2) == 765).mean() > 0.5
    check_clean(run)


# ---------------------------------------------------------------- model choice
def test_iris_names_the_lowest_bic_left_out_and_the_pick(site, open_page):
    from simapp.data import datasets

    from emcore.experiment import run_data

    run = open_page(f"{site.url}?data=iris&k=3&seed=3&n_init=2&run=1", offline=True)
    wait_done(run)
    X, labels, _, _ = datasets.load("iris")
    expected = run_data(X, labels, k=3, seed=3, n_init=2)
    warning = run.page.locator("#ic-warning")
    assert warning.is_visible()
    text = warning.inner_text()
    assert f"K = {expected.picks.bic.k_raw} left out of " in text
    assert expected.picks.bic.note in text
    healthy = expected.picks.bic.k_healthy
    assert healthy == expected.picks.bic.k != expected.picks.bic.k_raw
    assert warning.get_attribute("data-bic-healthy") == str(healthy)
    assert f"BIC K = {healthy}" in text
    # the headline pick is the healthy one
    summary = run.page.locator("#ic-summary")
    assert summary.get_attribute("data-bic-k") == str(healthy)
    check_clean(run)


def test_no_warning_on_well_separated_simulated_data(site, open_page):
    run = open_page(
        f"{site.url}?k=3&n=300&overlap=10&seed=4&n_init=1&run=1", offline=True
    )
    wait_done(run)
    assert run.page.locator("#ic-warning").is_hidden()
    check_clean(run)


# ---------------------------------------------------------------- video
def test_the_animation_is_recorded_as_webm_in_chromium(site, open_page, tmp_path):
    # the default speed: at 10 (no hold) a loaded machine may encode few frames
    run = open_page(
        f"{site.url}?k=2&n=200&seed=3&n_init=1&iters=20&speed=5&run=1", offline=True
    )
    wait_done(run)
    page = run.page
    with page.expect_download(timeout=120_000) as info:
        page.locator("#export-video").click()
    d = info.value
    path = tmp_path / d.suggested_filename
    d.save_as(path)
    data = path.read_bytes()
    assert path.suffix == ".webm"
    assert len(data) > 1000
    assert data[:4] == b"\x1a\x45\xdf\xa3"  # EBML: a Matroska/WebM file
    status = page.locator("#share-status")
    assert status.get_attribute("data-file") == path.name
    assert "(video/webm" in status.inner_text()
    check_clean(run)
