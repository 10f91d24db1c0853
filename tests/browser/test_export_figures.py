"""Exported charts and files in Chromium: 2x PNGs whose text fits, and one
numbering and one set of colours in the page, the PNG, the JSON and the CSV.

The PNG's size is read from the downloaded bytes (the IHDR chunk), not from
the page; the components' colours are compared with the ellipses the page
drew (``data-ellipses``, in the fit's order) and its legend's swatches.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import struct
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser_support import check_clean, wait_done  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "site"))
from simapp.exports import webm  # noqa: E402

pytestmark = pytest.mark.browser


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


#: Play a WebM (base64) in a <video>, seek to its middle and read that frame.
PLAY = """async (b64) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const v = document.createElement('video');
  v.muted = true;
  v.src = URL.createObjectURL(new Blob([bytes], {type: 'video/webm'}));
  await new Promise((ok, bad) => { v.onloadedmetadata = ok; v.onerror = bad; });
  const duration = v.duration;
  v.currentTime = duration / 2;
  await new Promise((ok) => { v.onseeked = ok; });
  const c = document.createElement('canvas');
  c.width = v.videoWidth; c.height = v.videoHeight;
  const ctx = c.getContext('2d');
  // the seeked frame reaches drawImage a little later: wait for any light
  for (let i = 0; i < 100; i++) {
    ctx.drawImage(v, 0, 0);
    const all = ctx.getImageData(0, 0, c.width, c.height).data;
    if (all.some((x, j) => j % 4 !== 3 && x > 128)) break;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  const px = ctx.getImageData(0, 0, c.width, Math.min(40, c.height)).data;
  let ink = 0;
  for (let i = 0; i < px.length; i += 4) {
    if (px[i] + px[i + 1] + px[i + 2] < 200) ink += 1;
  }
  const corner = ctx.getImageData(c.width - 3, c.height - 3, 1, 1).data;
  return {duration, time: v.currentTime, width: c.width, inkTop: ink,
          corner: [corner[0], corner[1], corner[2]]};
}"""


def test_the_video_is_titled_and_seekable(site, open_page, tmp_path):
    run = open_page(f"{site.url}?k=2&n=150&seed=3&n_init=1&run=1", offline=True)
    wait_done(run)
    page = run.page
    with page.expect_download(timeout=180_000) as info:
        page.locator("#export-video").click()
    assert info.value.suggested_filename.endswith(".webm")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    data = path.read_bytes()
    assert len(data) > 1000
    # MediaRecorder writes no duration: the page wrote one, after the last frame
    last = webm.last_frame_ms(data)
    assert last is not None and last > 0
    assert webm.duration_of(data) == pytest.approx(last + 1000 / 30, abs=1)
    # played in a blank page: the simulator's CSP allows no blob: media
    player = page.context.new_page()
    played = player.evaluate(PLAY, base64.b64encode(data).decode())
    player.close()
    # Chromium's player: a finite duration (Infinity without one), a seek
    # that lands mid-way, white where the chart's canvas is transparent and
    # dark title text in the top band
    assert played["duration"] == pytest.approx(webm.duration_of(data) / 1000, abs=0.1)
    assert played["time"] == pytest.approx(played["duration"] / 2, abs=0.5)
    assert min(played["corner"]) > 235, played
    assert 50 < played["inkTop"] < 0.5 * 40 * played["width"], played
    assert played["width"] >= page.evaluate(
        "document.getElementById('cluster-canvas').width"
    )
    saved = json.loads(page.evaluate("document.body.dataset.exportVideo"))
    assert saved["bytes"] == len(data)
    assert page.locator("#share-status").get_attribute("data-file") == path.name
    check_clean(run)
