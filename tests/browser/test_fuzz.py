"""Browser fuzz test: random user actions never break the page.

A seeded RNG drives 100+ actions on the vendored site, offline: slider moves
(arrow keys, Home/End/PageUp, ``fill``), select changes, valid numbers and
garbage typed into the number inputs (committed with Enter or Tab), Simulate
clicks and bursts of fast clicks, toggling "skip the animation", the "new
seed" button, the theory section's ``a.try`` links, viewport resizes and
pauses of random length, so controls change at every phase of a run. After
the sequence:

* no uncaught exception (``pageerror``), no console error, no ``[emgmm]``
  warning (e.g. a cancelled run that failed), no request outside the origin;
* the page settles: ``status`` becomes ``done`` or ``ready``, never stays
  ``running``;
* the controls show the settings of the URL (the page writes the last run's
  settings there), and if the status is ``done`` every result's
  ``data-value`` equals ``emcore.experiment.run`` on those settings in
  CPython, the clustering canvas shows the final frame and the
  log-likelihood trace has one point per iteration.

The seed is printed; ``EMGMM_FUZZ_SEED=<int>`` replays a sequence (timing in
the browser still varies, so a replay hits the same actions, not always the
same run phases). ``EMGMM_FUZZ_ACTIONS`` changes the number of actions
(default 150).
"""

from __future__ import annotations

import json
import math
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from emcore.experiment import run as emcore_run

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "site"))

from app.controls_ids import CONTROL_IDS as PAGE_CONTROL_IDS  # noqa: E402

pytestmark = pytest.mark.browser

SEED_ENV = "EMGMM_FUZZ_SEED"
ACTIONS_ENV = "EMGMM_FUZZ_ACTIONS"
# Small N and few iterations keep the many runs short; actions push them around.
START_QUERY = "k=3&n=200&overlap=30&cov=full&iters=30&tol=1e-3&seed=5&n_init=2&run=1"
RESULT_IDS = ("params", "iterations", "converged", "loglik", "aic", "bic", "ari")
SLIDERS = ("k", "n", "overlap", "iters")
# (setting, element id) of every control the URL reflects
# the fuzzed settings are emcore.experiment.run's; k_true is the page's own,
# the start (init) stays at its default, out of links, temp (left out of
# links at 1) is tested in test_temperature.py, model and conc (left out at
# EM and 1/K) and anneal in test_bayes_page.py, dims (left out at 2, the
# plane) in test_one_dimension.py
UNFUZZED = ("k_true", "init", "temp", "model", "conc", "anneal", "dims")
CONTROL_IDS = {name: i for name, i in PAGE_CONTROL_IDS.items() if name not in UNFUZZED}
COV = ("full", "diag", "spherical", "tied")
TOL = tuple(f"1e-{e}" for e in range(1, 9))
GARBAGE = (
    "abc",
    "",
    "-5",
    "0",
    "1e99",
    "-1e99",
    "3.7",
    "--1",
    "e",
    "+",
    "99999999999999999999",
    "<img src=x onerror=alert(1)>",
    "0x1F",
    "1,5",
    "NaN",
)
SETTLE_TIMEOUT_S = 90.0
REL = 1e-9


def _fuzz_seed() -> int:
    given = os.environ.get(SEED_ENV)
    if given:
        return int(given)
    return random.SystemRandom().randrange(2**31)


def _slider_value(rng: random.Random, name: str) -> int:
    """Mostly cheap values (small N, few iterations), sometimes the extremes."""
    if rng.random() < 0.1:
        return rng.choice(
            {"k": (2, 6), "n": (100, 5000), "overlap": (0, 100), "iters": (10, 500)}[
                name
            ]
        )
    return {
        "k": rng.randint(2, 6),
        "n": rng.randrange(100, 700, 50),
        "overlap": rng.randint(0, 100),
        "iters": rng.randrange(10, 70, 10),
    }[name]


class Fuzzer:
    """Random actions on one page; ``log`` records what was done."""

    def __init__(self, run, rng: random.Random) -> None:
        self.run = run
        self.page = run.page
        self.rng = rng
        self.log: list[str] = []
        self.widths = (375, 800, 1280)
        self.actions = [
            (self.slider_keys, 16),
            (self.slider_fill, 12),
            (self.select, 12),
            (self.number_fill, 8),
            (self.garbage, 10),
            (self.simulate, 8),
            (self.fast_clicks, 5),
            (self.toggle_skip, 6),
            (self.new_seed, 5),
            (self.try_link, 5),
            (self.resize, 3),
            (self.pause, 6),
            (self.wait_settled, 4),
        ]

    def step(self) -> None:
        fns, weights = zip(*self.actions, strict=True)
        self.rng.choices(fns, weights)[0]()
        # a short random gap: the next action lands in a random phase of the run
        self.page.wait_for_timeout(self.rng.choice((0, 0, 10, 30, 80, 150)))

    def _note(self, text: str) -> None:
        self.log.append(f"{len(self.log):3d} {text} [{self.run.status()}]")

    # ------------------------------------------------------------- actions
    def slider_keys(self) -> None:
        name = self.rng.choice(SLIDERS)
        keys = ["ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown"] * 4
        keys += ["PageUp", "PageDown", "Home"]
        if name not in ("n", "iters"):
            keys.append("End")  # End on n / iters means slow runs: rarer
        elif self.rng.random() < 0.2:
            keys.append("End")
        presses = [self.rng.choice(keys) for _ in range(self.rng.randint(1, 3))]
        self.page.locator(f"#{name}").focus()
        for key in presses:
            self.page.keyboard.press(key)
        self._note(f"slider #{name} keys {presses}")

    def slider_fill(self) -> None:
        name = self.rng.choice(SLIDERS)
        value = _slider_value(self.rng, name)
        self.page.locator(f"#{name}").fill(str(value))
        self._note(f"slider #{name} fill {value}")

    def select(self) -> None:
        element_id, choices = self.rng.choice((("cov", COV), ("tol", TOL)))
        value = self.rng.choice(choices)
        self.page.locator(f"#{element_id}").select_option(value)
        self._note(f"select #{element_id} {value}")

    def number_fill(self) -> None:
        element_id = self.rng.choice(("n-init", "seed"))
        if element_id == "n-init":
            value = str(self.rng.randint(1, 4))
        else:
            value = str(self.rng.choice((0, 1, 42, self.rng.randrange(2**31))))
        # fill fires "input" only: the value waits for the next change/submit
        self.page.locator(f"#{element_id}").fill(value)
        self._note(f"number #{element_id} fill {value!r}")

    def garbage(self) -> None:
        element_id = self.rng.choice(("n-init", "seed"))
        text = self.rng.choice(GARBAGE)
        commit = self.rng.choice(("Enter", "Tab"))
        field = self.page.locator(f"#{element_id}")
        field.click()
        self.page.keyboard.press("ControlOrMeta+a")
        self.page.keyboard.type(text)
        self.page.keyboard.press(commit)  # Enter submits, Tab commits (change)
        shown = field.input_value()
        self._note(f"typed {text!r} into #{element_id} + {commit} -> {shown!r}")

    def simulate(self) -> None:
        self.page.locator("#simulate").click()
        self._note("click Simulate")

    def fast_clicks(self) -> None:
        count = self.rng.randint(3, 8)
        button = self.rng.choice(("#simulate", "#new-seed"))
        box = self.page.locator(button).bounding_box()
        if box is None:
            self.page.locator(button).scroll_into_view_if_needed()
            box = self.page.locator(button).bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        for _ in range(count):
            self.page.mouse.click(x, y)
        self._note(f"{count} fast clicks on {button}")

    def toggle_skip(self) -> None:
        self.page.locator("#skip-animation").click()
        checked = self.page.locator("#skip-animation").is_checked()
        self._note(f"skip-animation -> {checked}")

    def new_seed(self) -> None:
        self.page.locator("#new-seed").click()
        self._note(f"new seed -> {self.page.locator('#seed').input_value()}")

    def try_link(self) -> None:
        links = self.page.locator("a.try[data-settings]")
        count = links.count()
        if not count:
            self._note("no a.try links in this build")
            return
        link = links.nth(self.rng.randrange(count))
        spec = link.get_attribute("data-settings")
        opened = ""
        if not link.is_visible():
            # in a closed theory topic: open it as a reader would
            topic = link.locator("xpath=ancestor::details[1]")
            topic.locator("summary").first.click()
            opened = f" (opened #{topic.get_attribute('id')})"
        link.click()
        self._note(f"a.try {spec}{opened}")

    def resize(self) -> None:
        width = self.rng.choice(self.widths)
        self.page.set_viewport_size({"width": width, "height": 900})
        self._note(f"viewport width {width}")

    def pause(self) -> None:
        ms = self.rng.choice((100, 250, 500, 900))
        self.page.wait_for_timeout(ms)
        self._note(f"pause {ms} ms")

    def wait_settled(self) -> None:
        """Let the current run finish sometimes (up to 4 s), so runs complete."""
        deadline = time.monotonic() + 4
        while self.run.status() == "running" and time.monotonic() < deadline:
            self.page.wait_for_timeout(50)
        self._note("waited for the run")


def _url_settings(url: str) -> dict:
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    kwargs: dict = {}
    for name in CONTROL_IDS:
        value = query[name]
        if name == "cov":
            kwargs[name] = value
        elif name == "tol":
            kwargs[name] = float(value)
        else:
            kwargs[name] = int(value)
    return kwargs


def _control_settings(page) -> dict:
    values = {}
    for name, element_id in CONTROL_IDS.items():
        text = page.locator(f"#{element_id}").input_value()
        if name == "cov":
            values[name] = text
        elif name == "tol":
            values[name] = float(text)
        else:
            values[name] = int(text)
    return values


def _settle(run, log: list[str]) -> str:
    t0 = time.monotonic()
    while True:
        status = run.status()
        if status in ("done", "ready"):
            return status
        if time.monotonic() - t0 > SETTLE_TIMEOUT_S:
            tail = "\n".join(log[-15:])
            raise AssertionError(
                f"status stuck at {status!r} for {SETTLE_TIMEOUT_S:.0f} s; "
                f"message: {run.message()!r}\nlast actions:\n{tail}"
            )
        run.page.wait_for_timeout(50)


def _check_results(page, expected: dict, context: str) -> None:
    values = {
        name: page.locator(f"#result-{name}").get_attribute("data-value")
        for name in (*RESULT_IDS, "verdict")
    }
    assert values["params"] == str(expected.params), context
    assert values["iterations"] == str(expected.iterations), context
    assert values["converged"] == ("true" if expected.converged else "false"), context
    assert values["verdict"] == expected.verdict, context
    for name in ("loglik", "aic", "bic", "ari"):
        want = getattr(expected, name)
        assert math.isclose(float(values[name]), want, rel_tol=REL), (
            f"{name}: page {values[name]} vs CPython {want!r}; {context}"
        )
    canvas = page.locator("#cluster-canvas")
    assert canvas.get_attribute("data-frame") == "final", context
    assert (
        len(json.loads(canvas.get_attribute("data-ellipses"))) == expected.settings["k"]
    ), context
    trace = json.loads(page.locator("#loglik-canvas").get_attribute("data-trace"))
    assert len(trace) == expected.iterations, context
    for got, want in zip(trace, expected.trace, strict=True):
        assert math.isclose(got, want, rel_tol=REL), context
    label = page.locator("#frame-label").inner_text()
    assert label.startswith(f"Final fit: {expected.iterations} iterations"), label


def test_random_actions_leave_a_consistent_page(site, open_page):
    seed = _fuzz_seed()
    n_actions = int(os.environ.get(ACTIONS_ENV, "150"))
    print(f"\n[fuzz] seed {seed} ({SEED_ENV}={seed} replays it), {n_actions} actions")
    rng = random.Random(seed)
    run = open_page(f"{site.url}?{START_QUERY}", offline=True)
    run.wait_status("running", "done", "ready", "error")
    fuzzer = Fuzzer(run, rng)
    t0 = time.monotonic()
    for _ in range(n_actions):
        fuzzer.step()
        assert not run.page_errors, (seed, run.page_errors, fuzzer.log[-10:])
    seq_s = time.monotonic() - t0

    # commit a value still being edited (a change fires on blur), then let the
    # last run finish quickly
    run.page.evaluate("document.activeElement && document.activeElement.blur()")
    if not run.page.locator("#skip-animation").is_checked():
        run.page.locator("#skip-animation").click()
    status = _settle(run, fuzzer.log)
    settle_s = time.monotonic() - t0 - seq_s
    context = f"fuzz seed {seed}; last actions:\n" + "\n".join(fuzzer.log[-12:])
    print(
        f"[fuzz] {n_actions} actions in {seq_s:.1f} s; settled as {status!r} "
        f"after {settle_s:.1f} s more; url {urlsplit(run.page.url).query}"
    )

    assert run.page_errors == [], (run.page_errors, context)
    assert run.console_errors == [], (run.console, context)
    warned = [m for m in run.console if m.startswith("warning: [emgmm]")]
    assert warned == [], (warned, context)
    assert run.foreign_requests() == [], context
    kind = run.page.locator("#message").get_attribute("data-kind")
    assert kind != "error", (run.message(), context)

    settings = _url_settings(run.page.url)
    assert _control_settings(run.page) == settings, context
    if status == "ready":
        # only a run that could not be computed leaves "ready" after run=1;
        # every setting the controls can produce is valid, so that is a bug
        raise AssertionError(f"the last run ended in 'ready': {run.message()!r}")
    # the data's clusters stay when K moves: the link names them when they differ
    query = parse_qs(urlsplit(run.page.url).query)
    k_true = {"k_true": int(query["k_true"][0])} if "k_true" in query else {}
    expected = emcore_run(**settings, **k_true)
    _check_results(run.page, expected, f"{settings}, {k_true}; {context}")
