"""Share links and exports in a real browser: columns, many classes, any names.

The share link and the embed's "open the full simulator" link follow a
change of the fitted columns and of the plane. A table of nine classes
(names with emoji, quotes and a right-to-left override) exports the data
chart as a PNG with a legend row per class, shows its names without the
override, and its notebook runs and prints the names in CPython.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_data_and_sharing import check_clean, url_query, wait_done  # noqa: E402

pytestmark = pytest.mark.browser

CLASSES = (
    "setosa 😀",
    'say "hi"',
    "rlo\u202eevil",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine (the ninth)",
)


@pytest.fixture(scope="module")
def site(site_factory, numpy_wheels_dir):
    return site_factory("vendor")


def link_query(page, selector: str, attribute: str) -> dict:
    if attribute == "value":
        link = page.locator(selector).input_value()
    else:
        link = page.locator(selector).get_attribute(attribute)
    return {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}


def choose(page, selector: str, value: str) -> None:
    """Set a control and fire its change, as a person choosing does."""
    page.locator(selector).evaluate(
        "(el, v) => { el.value = v; el.dispatchEvent(new Event('change')); }", value
    )


def test_share_links_follow_the_columns_and_the_plane(site, open_page):
    run = open_page(f"{site.url}?data=iris&cols=all&k=3&n_init=1&run=1", offline=True)
    wait_done(run)
    page = run.page
    choose(page, "#plot", "petal_length,petal_width")
    page.wait_for_function(
        "document.getElementById('cluster-canvas').dataset.plane === 'pair'"
    )
    for selector, attribute in (("#share-url", "value"), ("#open-full", "href")):
        query = link_query(page, selector, attribute)
        assert query["cols"] == "all", selector
        assert query["plot"] == "petal_length,petal_width", selector
    choose(page, "#cols", "1,3")
    page.wait_for_function(
        "document.getElementById('result-params').dataset.value === '17'",
        timeout=120_000,
    )
    wait_done(run)
    for selector, attribute in (("#share-url", "value"), ("#open-full", "href")):
        query = link_query(page, selector, attribute)
        # the plane named columns no longer fitted: back to the default
        assert query["cols"] == "1,3" and "plot" not in query, selector
    assert url_query(run)["cols"] == "1,3"
    check_clean(run)


def nine_classes_csv() -> str:
    rng = np.random.default_rng(9)
    lines = ["x,y,kind"]
    for j, name in enumerate(CLASSES):
        centre = np.array([np.cos(j), np.sin(j)]) * 6
        quoted = '"' + name.replace('"', '""') + '"'
        for x, y in rng.normal(size=(15, 2)) + centre:
            lines.append(f"{x:.4f},{y:.4f},{quoted}")
    return "\n".join(lines) + "\n"


def test_nine_classes_export_a_png_and_a_notebook(
    site, open_page, tmp_path, run_without_emcore
):
    from PIL import Image

    run = open_page(f"{site.url}?k=3&seed=2&n_init=1", offline=True)
    run.wait_status("ready", "done")
    page = run.page
    page.locator("#data-source").select_option("upload")
    page.locator("#data-file").set_input_files(
        {
            "name": "nine.csv",
            "mimeType": "text/csv",
            "buffer": nine_classes_csv().encode(),
        }
    )
    wait_done(run)
    assert page.locator("#col-label").input_value() == "kind"
    body = page.locator("body").inner_text()
    assert "\u202e" not in body

    def download(button: str) -> bytes:
        with page.expect_download(timeout=60_000) as info:
            page.locator(f"#{button}").click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        return path.read_bytes()

    png = download("png-cluster")
    image = Image.open(io.BytesIO(png))
    canvas_height = page.evaluate("document.getElementById('cluster-canvas').height")
    assert image.format == "PNG" and image.height > canvas_height
    notebook = download("export-notebook").decode()
    names = run_without_emcore(
        json.loads(notebook), "[print(*CLASS_NAMES), CLASS_NAMES][1]"
    )
    assert names == [name.replace("\u202e", "") for name in CLASSES]
    check_clean(run)
