"""The page in Chromium, Firefox ESR and WebKitGTK, side by side (issue 13).

One command, from the repository root (after ``python3 build.py test`` has
installed the browsers and puppeteer-core)::

    .venv/bin/python benchmarks/bench_engines.py [--repeat 1]

It builds the vendored site into a temporary folder, serves it on 127.0.0.1 and,
for each engine in turn (never two at once, so they do not share the CPU),
opens the default run's link (``k=3&n=500&overlap=20&cov=full&seed=1&run=1``)
in a fresh browser and reads what the page itself reports:

* time to ready: ``body[data-ready-ms]`` (navigation -> ``status=ready``);
* default run: ``body[data-run-ms]`` of that run (Simulate -> results shown);
* animation: ``body[data-em-fps]``, EM iterations per second of the live
  animation (the speed control's default paces it at 30), and
  ``body[data-draw-fps]``, frames per second that drew one of them (a display
  slower than that pace draws every few iterations);
* K = 4, N = 1200: the K slider then the N slider are moved in the same page
  (the first change's run is cancelled by the second) and that run's
  ``data-run-ms`` is read.

Each figure is printed with its ratio to Chromium's in the same run (for
times: engine / Chromium, so 2.0 is twice as slow; for the animation rate:
Chromium / engine). Timings on a shared machine are noisy: compare the ratios,
not the seconds, and only within one run. It exits 0 whatever the timings.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import engines  # noqa: E402
from _site import served_site  # noqa: E402
from browser_support import build, numpy_wheel_search  # noqa: E402
from engines import SET_VALUE, wait_for  # noqa: E402

DEFAULT_QUERY = "k=3&n=500&overlap=20&cov=full&seed=1&run=1"
BODY = "return JSON.stringify(document.body.dataset);"
COUNT = engines.COUNT_DONE


class ChromiumSession:
    """Headless Debian chromium through Playwright, like the other tests."""

    name = "chromium"

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self.pw = sync_playwright().start()
        self.browser = self.pw.chromium.launch(
            executable_path=str(build.CHROMIUM), args=build.CHROMIUM_ARGS
        )
        self.version = f"Chromium {self.browser.version}"
        context = self.browser.new_context(
            viewport=dict(zip(("width", "height"), engines.VIEWPORT, strict=True))
        )
        self.page = context.new_page()
        self.page_errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))

    def goto(self, url: str) -> None:
        self.page.goto(url)

    def js(self, body: str, arg=None):
        return self.page.evaluate(f"(arg) => {{{body}}}", arg)

    def errors(self) -> list[str]:
        return list(self.page_errors)

    def close(self) -> None:
        self.browser.close()
        self.pw.stop()


def open_engine(name: str):
    if name == "chromium":
        return ChromiumSession()
    session = engines.open_session(name)
    if name == "firefox":
        session.version = session.version.replace("firefox/", "Firefox ESR ")
    return session


def wait_done(session, after: int, timeout_s: float) -> dict:
    wait_for(
        session,
        f"return window.__doneCount > {after} ||"
        " document.body.dataset.status === 'error';",
        timeout_s=timeout_s,
        what="a finished run",
    )
    body = json.loads(session.js(BODY))
    if body.get("status") == "error":
        raise engines.EngineError(session.js(BODY))
    return body


def measure(name: str, url: str, timeout_s: float) -> dict:
    session = open_engine(name)
    try:
        t0 = time.perf_counter()
        session.goto(url + "?" + DEFAULT_QUERY)
        session.js(COUNT)
        body = wait_done(session, 0, timeout_s)
        out = {
            "version": session.version,
            "ready_s": int(body["readyMs"]) / 1000,
            "default_s": int(body["runMs"]) / 1000,
            "em_fps": float(body.get("emFps") or "nan"),
            "draw_fps": float(body.get("drawFps") or "nan"),
            "load_to_done_s": time.perf_counter() - t0,
        }
        before = int(session.js(COUNT))
        session.js(SET_VALUE, {"id": "k", "value": "4"})
        session.js(SET_VALUE, {"id": "n", "value": "1200"})  # cancels K=4, N=500
        body = wait_done(session, before, timeout_s)
        search = session.js("return location.search;")
        if "k=4" not in search or "n=1200" not in search:
            raise engines.EngineError(f"the K = 4, N = 1200 run did not run: {search}")
        out["k4_n1200_s"] = int(body["runMs"]) / 1000
        out["errors"] = session.errors()
        return out
    finally:
        session.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="rounds over the engines")
    parser.add_argument("--timeout", type=float, default=900.0, help="per run, s")
    parser.add_argument(
        "--engines", default="chromium,firefox,webkit", help="comma-separated"
    )
    args = parser.parse_args(argv)
    folder, looked = numpy_wheel_search()
    if folder is None:
        print(f"Pyodide's numpy wheel not found in {looked}: nothing measured")
        return 0
    names = []
    for name in (n for n in args.engines.split(",") if n):
        why = None if name == "chromium" else engines.missing(name)
        if name == "chromium" and not build.CHROMIUM.exists():
            why = f"{build.CHROMIUM} not found"
        if why:
            print(f"{name}: {why}; leaving it out")
        else:
            names.append(name)
    with served_site(build, folder, "emgmm-engines-") as (url, _root):
        rounds: dict[str, list[dict]] = {n: [] for n in names}
        with open("/proc/loadavg") as f:
            print(f"load average at start: {f.read().split()[0]}")
        for r in range(args.repeat):
            for name in names:
                result = measure(name, url, args.timeout)
                rounds[name].append(result)
                print(f"round {r + 1} {name}: {json.dumps(result)}", flush=True)
    with open("/proc/loadavg") as f:
        print(f"load average at end: {f.read().split()[0]}")
    table = summarise(rounds)
    print()
    print(table)
    return 0


FIELDS = (
    ("ready_s", "time to ready", False),
    ("default_s", "default run", False),
    ("k4_n1200_s", "K=4 N=1200 run", False),
    ("em_fps", "animation it/s", True),
    ("draw_fps", "frames drawn/s", True),
)


def summarise(rounds: dict[str, list[dict]]) -> str:
    med = {
        name: {key: statistics.median(r[key] for r in rs) for key, _, _ in FIELDS}
        for name, rs in rounds.items()
        if rs
    }
    base = med.get("chromium")
    head = "| engine | version | " + " | ".join(label for _, label, _ in FIELDS) + " |"
    lines = [head, "| --- | --- |" + " ---: |" * len(FIELDS)]
    for name, values in med.items():
        cells = []
        for key, _, higher_is_better in FIELDS:
            v = values[key]
            text = f"{v:.1f}" if key.endswith("fps") else f"{v:.2f} s"
            if base is not None and name != "chromium":
                ratio = base[key] / v if higher_is_better else v / base[key]
                text += f" (**{ratio:.2f}×**)"
            cells.append(text)
        version = rounds[name][0]["version"]
        lines.append(f"| {name} | {version} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
