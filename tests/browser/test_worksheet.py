"""The printable worksheet in Chromium: a lesson's run, the Worksheet button,
the sheet in a new tab (or downloaded where tabs are blocked).

The sheet asks five to eight questions, shows the run's charts, and its
answer key gives the numbers of the page's result cards. Printed to A4 it
takes at least two pages (the key on a page of its own):
``artifacts/screenshots/worksheet.pdf``, and ``worksheet-print.png`` with
the print styles at A4's width.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser_support import (  # noqa: E402
    SCREENSHOTS,  # noqa: E402
    check_clean,
    value,
    wait_done,
)

pytestmark = pytest.mark.browser

LESSON = "wrong-k"
#: A4 at CSS's 96 px per inch.
A4 = {"width": 794, "height": 1123}


def key_value(sheet, name: str) -> str:
    return sheet.locator(f'.key [data-key="{name}"]').first.get_attribute("data-value")


def test_a_lessons_worksheet_opens_in_a_tab_with_the_runs_numbers(site, open_page):
    run = open_page(f"{site.url}?scenario={LESSON}", offline=True)
    page = run.page
    button = page.locator("#export-worksheet")
    assert button.is_disabled()
    assert "finished run" in button.get_attribute("title")
    wait_done(run, timeout_s=600)
    assert button.is_enabled() and button.get_attribute("title") is None
    with page.expect_popup() as opened:
        button.click()
    sheet = opened.value
    sheet.wait_for_load_state()
    assert sheet.url.startswith("blob:")
    assert sheet.locator("body").get_attribute("data-lesson") == LESSON
    n = sheet.locator("li.question").count()
    assert 5 <= n <= 8
    assert sheet.locator("li.answer").count() == n
    assert sheet.locator("li.question .line").count() >= 3 * n
    # the key's numbers are the result cards'
    for name in ("iterations", "bic"):
        assert key_value(sheet, name) == value(run, name), name
    # the lesson's own question, with the lesson's numbers
    k_true = sheet.locator('.questions [data-key="k_true"]').first
    assert k_true.get_attribute("data-value") == "4"
    # the three charts, decoded
    sizes = sheet.locator("figure img").evaluate_all(
        "imgs => imgs.map(i => [i.complete, i.naturalWidth, i.naturalHeight])"
    )
    assert len(sizes) == 3
    assert all(done and w >= 300 and h >= 200 for done, w, h in sizes), sizes
    assert page.locator("#share-status").text_content().startswith("The worksheet")
    # printed to A4: the questions, then the key on a page of its own
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = sheet.pdf(path=str(SCREENSHOTS / "worksheet.pdf"), format="A4")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 2
    sheet.emulate_media(media="print")
    assert sheet.locator(".hint").is_hidden()
    sheet.set_viewport_size(A4)
    sheet.screenshot(path=str(SCREENSHOTS / "worksheet-print.png"), full_page=True)
    check_clean(run)


def test_where_tabs_are_blocked_the_worksheet_downloads(site, open_page):
    run = open_page(f"{site.url}?k=2&n=200&seed=4&n_init=1&run=1", offline=True)
    wait_done(run)
    page = run.page
    page.evaluate("window.open = () => null")  # as a popup blocker answers
    with page.expect_download() as saved:
        page.locator("#export-worksheet").click()
    download = saved.value
    assert re.fullmatch(r"em-gmm-worksheet-.*\.html", download.suggested_filename)
    text = Path(download.path()).read_text(encoding="utf-8")
    assert "<h1>Worksheet: Your settings</h1>" in text
    n = text.count('<li class="question"')
    assert 5 <= n <= 8 and text.count('<li class="answer"') == n
    iterations = re.search(r'data-key="iterations" data-value="(\d+)"', text)
    assert iterations.group(1) == value(run, "iterations")
    assert text.count('<img src="data:image/png;base64,') == 3
    check_clean(run)
