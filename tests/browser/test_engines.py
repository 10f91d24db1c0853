"""The simulator in Firefox ESR and WebKitGTK (Safari's engine), as in Chromium.

One page per engine (booting Pyodide is the slow part, so the tests share it,
in order): the default run from a link with ``run=1`` gives every
``data-value`` of ``emcore.experiment.run`` in CPython; step-through walks the
recorded EM history by half-steps; moving the N slider mid-run cancels that run
and the new settings win; a pasted table is fitted as ``run_data`` fits it in
CPython. Every test ends with no page error. Only ids and ``data-*``
attributes are read. The durations go to ``artifacts/browser-timings.json``
under ``engine_<name>``.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # any --import-mode

import engines  # noqa: E402
from engines import CLICK, COUNT_DONE, SET_VALUE, wait_for  # noqa: E402

from emcore.experiment import iterate, run_data  # noqa: E402
from emcore.experiment import run as emcore_run  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "site"))
from simapp.data import tables as dataio  # noqa: E402
from simapp.exports import video  # noqa: E402

pytestmark = pytest.mark.browser

DEFAULT = {"k": 3, "n": 500, "overlap": 20, "cov": "full", "seed": 1}
REL = 1e-9
DATASET = "return JSON.stringify(document.getElementById(arg).dataset);"
BODY = "return JSON.stringify(document.body.dataset);"


@pytest.fixture(scope="module")
def site(site_factory, numpy_wheels_dir):
    return site_factory("vendor")


# EMGMM_TEST_ENGINES=firefox (or webkit) runs one engine only: WebKitGTK paints
# on the CPU and needs minutes on a heavily loaded machine
ENGINES = os.environ.get("EMGMM_TEST_ENGINES", "firefox,webkit").split(",")


@pytest.fixture(scope="module", params=ENGINES)
def engine(request, site):
    why = engines.missing(request.param)
    if why:
        print(f"\n[browser] SKIP {request.param}: {why}")
        pytest.skip(why)
    session = engines.open_session(request.param)
    session.site = site
    session.record = {"version": session.version}
    failed_before = request.session.testsfailed
    yield session
    if request.session.testsfailed > failed_before and hasattr(session, "log_tail"):
        print(f"\n[browser] {session.name} after a failure:\n{session.log_tail()}")
    session.close()


@pytest.fixture(scope="module")
def engine_timings(engine, timings):
    yield engine.record
    timings[f"engine_{engine.name}"] = engine.record
    print(f"\n[browser] {engine.name}: {engine.record}")


def dataset(session, element_id: str) -> dict:
    return json.loads(session.js(DATASET, element_id))


def done_count(session) -> int:
    return int(session.js(COUNT_DONE))


def wait_done(session, after: int, timeout_s: float = 900.0) -> None:
    """Wait for the run after ``after`` finished runs; fail on an error."""
    body = (
        "const s = document.body.dataset.status;"
        "const kind = document.getElementById('message').dataset.kind;"
        "if (s === 'error' || kind === 'error') return 'error: ' +"
        " document.getElementById('message').textContent;"
        f"return window.__doneCount > {after} ? 'done' : '';"
    )
    state = wait_for(session, body, timeout_s=timeout_s, what="a finished run")
    assert state == "done", state


def values(session) -> dict:
    return session.js(
        "const out = {};"
        "for (const name of arg) {"
        "  out[name] = document.getElementById('result-' + name).dataset.value; }"
        "return out;",
        ["params", "iterations", "converged", "loglik", "aic", "bic", "ari", "verdict"],
    )


def check_results(session, expected: dict) -> None:
    got = values(session)
    assert got["params"] == str(expected.params)
    assert got["iterations"] == str(expected.iterations)
    assert got["converged"] == ("true" if expected.converged else "false")
    assert got["verdict"] == expected.verdict
    for name in ("loglik", "aic", "bic"):
        assert math.isclose(float(got[name]), getattr(expected, name), rel_tol=REL), (
            name
        )
    if expected.ari is None:
        assert got["ari"] == ""
    else:
        assert math.isclose(float(got["ari"]), expected.ari, rel_tol=REL)


def check_clean(session) -> None:
    assert session.errors() == []
    kind = session.js("return document.getElementById('message').dataset.kind;")
    assert kind != "error"


def check_ellipses(session, expected) -> None:
    """The data chart draws ``expected`` (emcore Ellipses) through its view."""
    ds = dataset(session, "cluster-canvas")
    view, drawn = json.loads(ds["view"]), json.loads(ds["ellipses"])
    assert len(drawn) == len(expected)
    for e, d in zip(expected, drawn, strict=True):
        px = view["plot_cx"] + (e.center[0] - view["cx"]) * view["scale"]
        py = view["plot_cy"] - (e.center[1] - view["cy"]) * view["scale"]
        assert abs(px - d["cx"]) < 0.01 and abs(py - d["cy"]) < 0.01, (e, d)
        assert math.isclose(d["rx"], e.semi_axes[0] * view["scale"], rel_tol=1e-6)


def test_default_run_matches_cpython(engine, engine_timings):
    query = "&".join(f"{k}={v}" for k, v in DEFAULT.items())
    t0 = time.perf_counter()
    engine.goto(f"{engine.site.url}?{query}&run=1")
    assert done_count(engine) == 0
    wait_for(
        engine,
        "return ['running', 'done', 'error'].includes(document.body.dataset.status);",
        timeout_s=300,  # WebKit's boot took minutes on a loaded 2-core machine
        what="the page to boot",
    )
    ready_s = time.perf_counter() - t0
    wait_done(engine, 0)
    body = json.loads(engine.js(BODY))
    engine_timings.update(
        ready_s=round(ready_s, 1),
        done_s=round(time.perf_counter() - t0, 1),
        ready_ms_in_page=int(body["readyMs"]),
        run_ms_in_page=int(body["runMs"]),
        em_iterations_per_s=body.get("emFps"),
        median_draw_ms=body.get("drawMsMedian"),
    )
    check_results(engine, emcore_run(**DEFAULT))
    assert dataset(engine, "cluster-canvas")["frame"] == "final"
    check_clean(engine)


def test_step_through_em(engine):
    inits, ems, result = {}, {}, None
    for event in iterate(**DEFAULT):
        if event.kind == "init":
            inits[event.start] = event
        elif event.kind == "em":
            ems.setdefault(event.start, []).append(event)
        elif event.kind == "done":
            result = event.result
    tl = dataset(engine, "timeline")
    assert (tl["mode"], tl["phase"]) == ("live", "final")
    assert int(tl["positions"]) == sum(2 * len(ems[s]) + 1 for s in ems)
    check_ellipses(engine, result.ellipses)

    def at(position: str) -> dict:
        wait_for(
            engine,
            "return document.getElementById('timeline').dataset.position === arg;",
            position,
            timeout_s=30,
            what=f"history position {position}",
        )
        return dataset(engine, "timeline")

    # the slider spans the start on show, the best one: its first position is
    # that start's initial parameters
    best = int(result.best_start)
    first = sum(2 * len(ems[s]) + 1 for s in ems if s < best)
    slider_min = engine.js("return document.getElementById('tl-slider').min;")
    assert int(slider_min) == first
    engine.js(SET_VALUE, {"id": "tl-slider", "value": str(first), "change": False})
    tl = at(str(first))
    assert (tl["mode"], tl["phase"], tl["start"], tl["iteration"]) == (
        "timeline",
        "init",
        str(best),
        "0",
    )
    assert dataset(engine, "cluster-canvas")["source"] == "timeline"
    check_ellipses(engine, inits[best].ellipses)
    engine.js(CLICK, "tl-step")  # E-step: the ellipses stay
    assert at(str(first + 1))["phase"] == "e"
    check_ellipses(engine, inits[best].ellipses)
    engine.js(CLICK, "tl-step")  # M-step: iteration 1's parameters
    tl = at(str(first + 2))
    assert (tl["phase"], tl["iteration"]) == ("m", "1")
    check_ellipses(engine, ems[best][0].ellipses)
    engine.js(CLICK, "tl-back")
    assert at(str(first + 1))["phase"] == "e"
    engine.js(CLICK, "tl-final")
    wait_for(
        engine,
        "return document.getElementById('cluster-canvas').dataset.source === 'final';",
        timeout_s=30,
        what="the final fit",
    )
    check_ellipses(engine, result.ellipses)
    check_clean(engine)


def test_slider_change_cancels_the_run(engine, engine_timings):
    before = done_count(engine)
    engine.js(SET_VALUE, {"id": "n", "value": "5000"})  # starts a long run
    wait_for(
        engine,
        "const f = document.getElementById('cluster-canvas').dataset.frame;"
        "return document.body.dataset.status === 'running' && /^[0-9]+$/.test(f)"
        " && +f >= 2;",
        timeout_s=120,
        what="the N = 5000 run to draw EM frames",
    )
    # the rest of the session fits without animating (the default run tested
    # it); a display option: it starts no run, the N = 5000 one goes on
    engine.js(CLICK, "skip-animation")
    t0 = time.perf_counter()
    engine.js(SET_VALUE, {"id": "n", "value": "800"})  # mid-run: a new run
    wait_done(engine, before)
    engine_timings["slider_run_s"] = round(time.perf_counter() - t0, 1)
    # the cancelled run never finished: exactly one more run is done
    assert done_count(engine) == before + 1
    expected = emcore_run(**{**DEFAULT, "n": 800})
    check_results(engine, expected)
    search = engine.js("return location.search;")
    assert parse_qs(search.lstrip("?"))["n"] == ["800"]
    check_clean(engine)


def test_pasted_table_matches_cpython(engine, engine_timings):
    rng = np.random.default_rng(8)
    X = np.vstack([rng.normal(0, 1, (25, 2)), rng.normal((5, 3), 1, (25, 2))])
    rows = [f"{x:.4f},{y:.4f},{'ab'[i >= 25]}" for i, (x, y) in enumerate(X)]
    rows[6] = "2.5,banana,a"  # skipped with a note
    text = "x,y,group\n" + "\n".join(rows)
    engine.js(SET_VALUE, {"id": "data-source", "value": "paste"})
    engine.js(SET_VALUE, {"id": "data-text", "value": text, "change": False})
    before = done_count(engine)
    t0 = time.perf_counter()
    engine.js(CLICK, "data-use-text")
    wait_done(engine, before)
    engine_timings["paste_run_s"] = round(time.perf_counter() - t0, 1)
    table = dataio.parse_table(text).select("x", "y", "group")
    assert len(table.X) == 49
    settings = {k: v for k, v in DEFAULT.items() if k not in ("n", "overlap")}
    check_results(engine, run_data(table.X, table.labels, **settings))
    assert dataset(engine, "data-summary")["n"] == "49"
    assert engine.js("return document.getElementById('skip-animation').checked;")
    notes = engine.js(
        "return Array.from(document.querySelectorAll('#data-notes li'),"
        " (li) => li.textContent);"
    )
    assert any("banana" in note for note in notes), notes
    check_clean(engine)


# the browser APIs the page uses that an engine may lack, each with its fallback
OPTIONAL_APIS = """
return {
  MediaRecorder: typeof window.MediaRecorder === "function",
  captureStream: typeof HTMLCanvasElement.prototype.captureStream === "function",
  clipboard: !!(navigator.clipboard && navigator.clipboard.writeText),
  serviceWorker: "serviceWorker" in navigator,
  requestIdleCallback: typeof window.requestIdleCallback === "function",
};
"""


def test_missing_optional_apis_fall_back(engine, engine_timings):
    """Without MediaRecorder the video button says so; without the clipboard
    API Copy link selects the link (what Safari or an old engine would do)."""
    engine_timings["apis"] = engine.js(OPTIONAL_APIS)
    status = "return document.getElementById('share-status').textContent;"
    before = engine.js(status)
    engine.js(
        "window.__savedRecorder = window.MediaRecorder;"
        "window.MediaRecorder = undefined;"
        "document.getElementById('export-video').click(); return true;"
    )
    wait_for(
        engine,
        status.replace("return ", "return arg !== "),
        before,
        timeout_s=30,
        what="the video button's answer",
    )
    text = engine.js(status)
    engine.js("window.MediaRecorder = window.__savedRecorder; return true;")
    assert text == video.UNSUPPORTED
    engine.js(
        "Object.defineProperty(navigator, 'clipboard',"
        " {value: undefined, configurable: true});"
        "document.getElementById('copy-link').click(); return true;"
    )
    wait_for(
        engine,
        "return document.getElementById('share-status').textContent"
        " .startsWith('Press Ctrl+C');",
        timeout_s=30,
        what="the copy fallback",
    )
    focused = engine.js(
        "const el = document.activeElement;"
        "return [el.id, el.selectionStart, el.selectionEnd, el.value.length];"
    )
    assert focused[0] == "share-url" and focused[1] == 0
    assert focused[2] == focused[3] > 0
    check_clean(engine)
