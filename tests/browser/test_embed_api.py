"""The embed API across origins, in a real browser.

A course page on a second server (``127.0.0.1:PORT2``) embeds the
simulator served on ``127.0.0.1:PORT``: another origin, so the course page
cannot read the frame's document. The page posts ``emgmm:status`` events
and, when done, ``emgmm:done`` with the results at full precision: they
equal ``emcore.experiment.run`` in CPython. The course page's commands set
parameters (clamped and capped like a link's, with ``emgmm:notes``), run
again and ask for the status; a message from another frame is ignored. A
page that is not in a frame posts nothing.
"""

from __future__ import annotations

import math
import sys
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from emcore.experiment import run as emcore_run

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser_support import build  # noqa: E402

pytestmark = pytest.mark.browser

REL = 1e-9
QUERY = "embed=1&k=3&n=400&seed=6&n_init=1&run=1"

# the course page: collects the frame's messages, sends it commands; a
# second frame (the course page's own origin) can post to the simulator too
HOST = """<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>
<title>Course page</title></head><body><h1>Week 5: EM</h1>
<iframe id='sim' src='{src}' width='700' height='500' title='EM simulator'></iframe>
<script>
window.events = [];
const sim = document.getElementById('sim');
window.addEventListener('message', (e) => {{
  if (e.source !== sim.contentWindow) return;
  window.events.push({{origin: e.origin, data: e.data}});
}});
window.send = (message) => sim.contentWindow.postMessage(message, '{origin}');
</script></body></html>"""

# a sibling frame of the course page's origin posts a command to the simulator
SIBLING = """() => {
  const other = document.createElement('iframe');
  other.srcdoc = "<script>parent.document.getElementById('sim').contentWindow"
    + ".postMessage({type: 'emgmm:set', params: {k: 2}}, '*');<\\/script>";
  document.body.appendChild(other);
}"""


@pytest.fixture(scope="module")
def site(site_factory, numpy_wheels_dir):
    return site_factory("vendor")


@pytest.fixture
def course_page(tmp_path):
    """``make(src, origin)``: the course page on another port (another origin).

    Same site, though (a cross-site or sandboxed frame, where the browser
    denies storage: ``test_boot_failures``).
    """
    servers = []

    def make(src: str, origin: str) -> str:
        (tmp_path / "index.html").write_text(HOST.format(src=src, origin=origin))
        server = build.make_server(tmp_path, 0, quiet=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        host, port = server.server_address[:2]
        return f"http://{host}:{port}/"

    yield make
    for server in servers:
        server.shutdown()
        server.server_close()


def events(page) -> list[dict]:
    return page.evaluate("window.events")


def wait_event(run, kind: str, after: int, timeout_s: float = 120.0) -> dict:
    """The first event of type ``kind`` from index ``after`` on."""
    page = run.page
    t0 = time.perf_counter()
    while True:
        for event in events(page)[after:]:
            if event["data"]["type"] == kind:
                return event
        late = time.perf_counter() - t0 > timeout_s
        assert not late, (events(page)[after:], run.console[-20:], run.page_errors)
        page.wait_for_timeout(100)


def check_results(results: dict, settings: dict) -> None:
    expected = emcore_run(**settings)
    assert results["params"] == expected.params
    assert results["iterations"] == expected.iterations
    assert results["converged"] is bool(expected.converged)
    for name in ("loglik", "aic", "bic", "ari"):
        value = getattr(expected, name)
        assert math.isclose(results[name], value, rel_tol=REL), name
    assert results["verdict"] == expected.verdict


def test_a_cross_origin_page_reads_status_and_results_and_sends_commands(
    site, open_page, course_page
):
    origin = site.url.rstrip("/")
    host = course_page(f"{site.url}?{QUERY}", origin)
    assert host.split("/")[2] != site.url.split("/")[2]  # another origin
    run = open_page(host, viewport=(1000, 700))
    page = run.page
    page.locator("#sim").wait_for()
    # the browser forbids reading the frame: the API is the only way in
    assert page.evaluate("document.getElementById('sim').contentDocument") is None

    done = wait_event(run, "emgmm:done", 0)
    statuses = [e["data"]["status"] for e in events(page)]
    assert statuses[:2] == ["running", "done"], statuses  # run=1: no ready
    assert all(e["origin"] == origin for e in events(page))
    data = done["data"]
    assert data["source"] == "simulated" and data["withheld"] == ""
    assert parse_qs(data["query"])["k"] == ["3"]
    check_results(data["results"], {"k": 3, "n": 400, "seed": 6, "n_init": 1})
    # the same numbers as the frame's own data-value attributes
    frame = page.frame_locator("#sim")
    bic = frame.locator("#result-bic").get_attribute("data-value")
    assert float(bic) == data["results"]["bic"]

    # set parameters: clamped, unknown and too-long values noted, then a run
    seen = len(events(page))
    page.evaluate(
        "window.send({type: 'emgmm:set', params: "
        "{k: 9, cov: 'tied', colour: 'red', seed: 'x'.repeat(3000)}})"
    )
    notes = wait_event(run, "emgmm:notes", seen)["data"]
    assert notes["accepted"] is True and notes["command"] == "emgmm:set"
    text = " ".join(notes["notes"])
    assert '"colour" cannot be set' in text
    assert "k=9 is above the maximum 6; using 6" in text
    assert "3,000 characters long" in text and "x" * 21 not in text
    data = wait_event(run, "emgmm:done", seen)["data"]
    query = parse_qs(data["query"])
    assert query["k"] == ["6"] and query["cov"] == ["tied"] and query["seed"] == ["6"]
    # the data keep their 3 clusters: K alone never changes k_true
    assert query["k_true"] == ["3"]
    settings = {"k": 6, "k_true": 3, "cov": "tied", "n": 400, "seed": 6, "n_init": 1}
    check_results(data["results"], settings)

    # run again, then ask for the status: the same results
    seen = len(events(page))
    page.evaluate("window.send({type: 'emgmm:run'})")
    again = wait_event(run, "emgmm:done", seen)["data"]
    assert [e["data"]["status"] for e in events(page)[seen:]][:2] == [
        "running",
        "done",
    ]
    assert again["results"] == data["results"]
    seen = len(events(page))
    page.evaluate("window.send({type: 'emgmm:get-status'})")
    assert wait_event(run, "emgmm:done", seen)["data"] == again

    # a refused command says why; a message from another frame is ignored
    seen = len(events(page))
    page.evaluate("window.send({type: 'emgmm:fly'})")
    refused = wait_event(run, "emgmm:notes", seen)["data"]
    assert refused["accepted"] is False and "not a command" in refused["notes"][0]
    seen = len(events(page))
    page.evaluate(SIBLING)
    page.wait_for_timeout(1500)
    assert events(page)[seen:] == []
    assert frame.locator("#k").input_value() == "6"
    assert run.page_errors == []


# every message the page's own window receives, from the first script on
RECORD = """window.__messages = [];
window.addEventListener('message', (e) => window.__messages.push(e.data));"""


def test_a_page_in_no_frame_posts_nothing(site, browser):
    context = browser.new_context()
    try:
        context.add_init_script(RECORD)
        page = context.new_page()
        page.goto(f"{site.url}?k=2&n=200&seed=3&n_init=1&run=1")
        t0 = time.perf_counter()
        while page.evaluate("document.body.dataset.status") != "done":
            assert time.perf_counter() - t0 < 120
            page.wait_for_timeout(100)
        page.evaluate("window.postMessage({type: 'emgmm:get-status'}, '*')")
        page.wait_for_timeout(500)
        types = [m.get("type") for m in page.evaluate("window.__messages") if m]
        assert types == ["emgmm:get-status"]  # ours, unanswered
    finally:
        context.close()
