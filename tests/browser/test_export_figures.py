"""Exported charts and files in Chromium: 2x PNGs whose text fits, and one
numbering and one set of colours in the page, the PNG, the JSON and the CSV.

The PNG's size is read from the downloaded bytes (the IHDR chunk), not from
the page; the components' colours are compared with the ellipses the page
drew (``data-ellipses``, in the fit's order) and its legend's swatches.
"""

from __future__ import annotations

import csv
import io
import json
import struct
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_data_and_sharing import check_clean, wait_done  # noqa: E402

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(site_factory, numpy_wheels_dir):
    return site_factory("vendor")


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def download(page, tmp_path, button: str) -> bytes:
    with page.expect_download(timeout=60_000) as info:
        page.locator(f"#{button}").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path.read_bytes()


def css_hex(colour: str) -> str:
    """``rgb(r, g, b)`` or ``#rrggbb`` as ``#rrggbb``."""
    colour = colour.strip()
    if colour.startswith("#"):
        return colour.lower()
    r, g, b = (int(v) for v in colour[colour.index("(") + 1 : -1].split(",")[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def test_exports_agree_with_the_page_and_the_png_is_2x(site, open_page, tmp_path):
    # K = 3 on 4 true clusters: the colours follow the matching, not 1, 2, 3
    run = open_page(
        f"{site.url}?k=3&k_true=4&n=300&seed=5&n_init=1&run=1", offline=True
    )
    wait_done(run)
    page = run.page
    canvas = page.locator("#cluster-canvas")
    css_width = canvas.evaluate("el => el.getBoundingClientRect().width")
    drawn = json.loads(canvas.get_attribute("data-ellipses"))
    page_colours = [css_hex(e["color"]) for e in drawn]
    legend = page.evaluate(
        """() => [...document.querySelectorAll('#cluster-legend li')]
            .filter(li => !li.querySelector('.swatch').className.includes('-'))
            .map(li => [li.textContent.trim(),
                        getComputedStyle(li.querySelector('.swatch'))
                            .backgroundColor])"""
    )
    legend = [[name, css_hex(colour)] for name, colour in legend]

    png = download(page, tmp_path, "png-cluster")
    width, height = png_size(png)
    figure = json.loads(page.evaluate("document.body.dataset.exportFigure"))
    assert (width, height) == (figure["width"], figure["height"])
    assert width >= 1000 and width == pytest.approx(2 * css_width, abs=2)
    assert figure["widest"] <= figure["room"]  # no line runs off the figure
    assert "".join(figure["footer"]) == page.locator("#share-url").input_value()
    assert figure["legend"] == legend  # the PNG's legend is the page's
    # the page is back at its own size after the export
    assert canvas.evaluate("el => el.width") == round(css_width)

    params = json.loads(download(page, tmp_path, "export-json"))
    components = params["model"]["components"]
    assert [c["name"] for c in components] == [
        "component 1",
        "component 2",
        "component 3",
    ]
    assert [c["colour"] for c in components] == page_colours
    assert {c["colour"] for c in components} == {colour for _, colour in legend}

    rows = list(
        csv.reader(io.StringIO(download(page, tmp_path, "export-csv").decode()))
    )
    assert rows[0][-4:] == ["fitted_component", "p_1", "p_2", "p_3"]
    assert {r[2] for r in rows[1:]} == {f"cluster {j}" for j in range(1, 5)}
    assert {int(r[3]) for r in rows[1:]} <= {1, 2, 3}
    script = download(page, tmp_path, "export-snippet").decode()
    assert f"COLOURS = {page_colours!r}" in script
    check_clean(run)
