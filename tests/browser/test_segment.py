"""Colour segmentation in a real browser (issue 15, the application).

The section below the stage fits the bundled scene's 100,000 pixel colours
with K = 6 full covariances, one EM iteration per frame; its final labels
(SHA-256 of them, and the pixels per component) equal those of the same
estimator fitted by CPython on the same pixels, the segmented canvas holds
every pixel in its component's mean colour, and an uploaded picture is
downsampled and segmented too.
"""

from __future__ import annotations

import hashlib
import json
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import emcore

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "site"))

from browser_support import check_clean  # noqa: E402
from simapp.segmentation import pixels as segmentation  # noqa: E402
from simapp.segmentation.fit import fit_settings  # noqa: E402
from simapp.segmentation.state import SCENE_SHAPE  # noqa: E402

pytestmark = pytest.mark.browser

#: What the page fits, spelled out (fit_settings must agree).
SETTINGS = {
    "n_components": 6,
    "covariance_type": "full",
    "n_init": 1,
    "init_params": "k-means++",
    "max_iter": 100,
    "tol": 1e-3,
    "random_state": 0,
}


def cpython_labels(image):
    X = segmentation.features(image)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gm = emcore.GaussianMixture(**SETTINGS).fit(X)
    return gm.predict(X).astype(np.int64), gm


def wait_segmented(page, timeout_ms: int = 300_000) -> None:
    page.wait_for_function(
        "['done', 'error'].includes("
        "document.getElementById('segment-panel').dataset.status)",
        timeout=timeout_ms,
    )
    status = page.locator("#segment-panel").get_attribute("data-status")
    assert status == "done", page.locator("#segment-message").inner_text()


def canvas_rgba(page, element_id: str) -> np.ndarray:
    data = page.evaluate(
        """(id) => {
            const c = document.getElementById(id);
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height);
            return [c.height, c.width, Array.from(d.data)];
        }""",
        element_id,
    )
    h, w, values = data
    return np.asarray(values, dtype=np.uint8).reshape(h, w, 4)


def test_the_scene_segments_as_in_cpython(site, open_page):
    assert fit_settings(6) == SETTINGS
    run = open_page(site.url, offline=True)
    page = run.page
    page.wait_for_function("document.body.dataset.status === 'ready'", timeout=300_000)
    page.locator("#segment-panel").scroll_into_view_if_needed()
    page.locator("#segment-run").click()
    wait_segmented(page)

    image = segmentation.sample_scene(*SCENE_SHAPE)
    labels, gm = cpython_labels(image)
    result = page.locator("#segment-result")
    assert result.get_attribute("data-pixels") == str(labels.size) == "100000"
    counts = json.loads(result.get_attribute("data-counts"))
    assert counts == np.bincount(labels, minlength=6).tolist()
    digest = hashlib.sha256(labels.astype("<i8").tobytes()).hexdigest()
    assert result.get_attribute("data-labels-sha256") == digest
    assert result.get_attribute("data-iterations") == str(gm.n_iter_)

    original = canvas_rgba(page, "segment-original")
    assert np.array_equal(original[..., :3], image)
    painted = canvas_rgba(page, "segment-result")
    expected = segmentation.paint(labels, gm.means_, image.shape[:2])
    # the page's means are Pyodide's: a colour may round the other way
    assert np.abs(painted.astype(int) - expected.astype(int)).max() <= 1
    assert "Done: 6 colours" in page.locator("#segment-message").inner_text()
    run.screenshot("segment-scene-1280")
    print(
        f"\n[segment] {result.get_attribute('data-em-ips')} EM iterations/s, "
        f"first step {result.get_attribute('data-first-ms')} ms, longest "
        f"frame {result.get_attribute('data-longest-frame-ms')} ms"
    )
    check_clean(run)


def test_an_uploaded_picture_is_downsampled_and_segmented(site, open_page, tmp_path):
    run = open_page(site.url, offline=True)
    page = run.page
    page.wait_for_function("document.body.dataset.status === 'ready'", timeout=300_000)
    # a 600 x 400 picture drawn by the page's own canvas, saved as PNG
    png = page.evaluate(
        """() => {
            const c = document.createElement('canvas');
            c.width = 600; c.height = 400;
            const g = c.getContext('2d');
            g.fillStyle = 'rgb(200, 30, 30)'; g.fillRect(0, 0, 300, 400);
            g.fillStyle = 'rgb(20, 40, 220)'; g.fillRect(300, 0, 300, 200);
            g.fillStyle = 'rgb(240, 240, 40)'; g.fillRect(300, 200, 300, 200);
            return c.toDataURL('image/png');
        }"""
    )
    import base64

    path = tmp_path / "blocks.png"
    path.write_bytes(base64.b64decode(png.split(",", 1)[1]))
    page.locator("#segment-k").fill("3")
    page.locator("#segment-k").dispatch_event("change")  # K = 3 on the scene
    page.wait_for_function(
        "document.getElementById('segment-panel').dataset.status === 'running'"
    )
    page.locator("#segment-file").set_input_files(str(path))  # ... then this
    page.wait_for_function(
        "document.getElementById('segment-message').textContent.includes('blocks.png')"
    )
    wait_segmented(page)
    result = page.locator("#segment-result")
    # 240,000 pixels averaged in 2 x 2 blocks: 300 x 200 = 60,000
    assert result.get_attribute("data-pixels") == "60000"
    counts = sorted(json.loads(result.get_attribute("data-counts")))
    assert counts == [15000, 15000, 30000]
    assert page.locator("#segment-k").input_value() == "3"
    check_clean(run)
