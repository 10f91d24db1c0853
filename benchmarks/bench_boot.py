"""How fast the page starts, against the runtime's own floor, before and after.

One command, from the repository root::

    .venv/bin/python benchmarks/bench_boot.py [--baseline REV] [--repeat 5]

It builds three things into a temporary folder and serves each on 127.0.0.1:

* **after**: the self-contained site of this checkout
  (``build_site(vendor=True)``, Pyodide's numpy wheel from ``$EMGMM_WHEELS``
  or ``~/.cache/emgmm/wheels``);
* **before**: the same build of git revision ``REV`` (default ``layout``),
  exported with ``git archive`` and built by its own ``build.py --vendor``
  (``--baseline none`` leaves it out);
* **floor**: a bare page that only calls ``loadPyodide({packages:
  ["numpy"]})`` and imports numpy, from the after build's own vendored files:
  what the runtime costs with nothing of ours around it.

Headless Debian chromium (Playwright, service workers blocked so the offline
copy does not download the site again) then opens them in turn, floor /
before / after interleaved, ``--repeat`` times each:

* **cold**: a fresh browser context (empty HTTP cache);
* **warm**: the same context navigated to the page again (HTTP cache and
  Chromium's compiled-code caches; the local server revalidates every file
  with ``no-cache`` and answers 304, as GitHub Pages does once its 10 minutes
  of ``max-age`` are over);
* **throttled**: a fresh context with the DevTools protocol's network
  emulation at 20 Mbit/s down and up and 40 ms latency.

Figures (0 = navigation start, from an init script, no hook in the page):
``body[data-status]`` reaching ``ready``; the first picture (inline SVG,
which Largest Contentful Paint does not count: the later of the first frame
after ``#first-picture`` is parsed and the first contentful paint; none in a
build without one, whose chart stays empty until ready); first contentful
paint; ``py:ready`` (PyScript's interpreter is up); the bytes of one load
(Resource Timing ``transferSize``, navigation included); and the default run
(Simulate at ready, default settings) from ``running`` to ``done``. It prints
the medians, the ratio of each page's median to the floor's and the median of
the ratios taken round by round (the floor and the pages load one after the
other in each round, so a machine whose load drifts skews both alike),
PASS/MISS against the targets
(1.10x the floor in all three loads; the first picture within 1 s of
navigation on a cold local load; the default run no slower) and one cold
load's resource timeline per variant. Exits 0 whatever the timings.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 1.10
TARGET_PICTURE_S = 1.0
THROTTLE = {
    "offline": False,
    "latency": 40,
    "downloadThroughput": 20e6 / 8,
    "uploadThroughput": 20e6 / 8,
}

FLOOR_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>floor</title></head>
<body data-status="loading">
<script type="module">
import { loadPyodide } from "./vendor/pyodide/pyodide.mjs";
const py = await loadPyodide({ packages: ["numpy"] });
py.runPython("import numpy");
document.body.dataset.status = "ready";
</script>
</body></html>
"""

INSTRUMENT_JS = """(() => {
  const B = (window.__boot =
    {status: [], lcp: [], fcp: null, pyReady: null, pictureFrame: null});
  const now = () => performance.now();
  // the first picture is inline SVG, which Largest Contentful Paint ignores:
  // the frame after it is parsed is the one that paints it
  const parsing = new MutationObserver(() => {
    if (!document.getElementById("first-picture")) return;
    parsing.disconnect();
    requestAnimationFrame((t) => { B.pictureFrame = t; });
  });
  parsing.observe(document, {childList: true, subtree: true});
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const el = e.element;
      B.lcp.push([e.renderTime || e.loadTime || e.startTime,
                  el ? (el.id || el.tagName.toLowerCase()) : ""]);
    }
  }).observe({type: "largest-contentful-paint", buffered: true});
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      if (e.name === "first-contentful-paint") B.fcp = e.startTime;
  }).observe({type: "paint", buffered: true});
  const onReady = () => { if (B.pyReady === null) B.pyReady = now(); };
  window.addEventListener("py:ready", onReady);
  document.addEventListener("py:ready", onReady);
  const watch = () => {
    const body = document.body;
    B.status.push([now(), body.dataset.status]);
    new MutationObserver(() => B.status.push([now(), body.dataset.status]))
      .observe(body, {attributes: true, attributeFilter: ["data-status"]});
  };
  if (document.body) watch();
  else document.addEventListener("DOMContentLoaded", watch);
})();"""

RESOURCES_JS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const rows = performance.getEntriesByType("resource").map((e) => ({
    name: e.name, start: e.startTime, fetchStart: e.fetchStart,
    end: e.responseEnd, transfer: e.transferSize, body: e.encodedBodySize,
  }));
  return {nav: nav ? nav.transferSize : 0, navEnd: nav ? nav.responseEnd : 0,
          dcl: nav ? nav.domContentLoadedEventEnd : 0, rows};
}"""


def _load_build():
    spec = importlib.util.spec_from_file_location("emgmm_build", ROOT / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{cpu}, {os.cpu_count()} logical cores, {platform.machine()}; "
        f"load average {load:.2f}"
    )


def _numpy_wheels(build) -> Path | None:
    pkg = build.npm_package("pyodide", build.PYODIDE_VERSION)
    entry = json.loads((pkg / "pyodide-lock.json").read_text())["packages"]["numpy"]
    folder = build.default_wheels_dir()
    if build._find_numpy_wheel(entry, folder) is None:
        print(f"numpy wasm wheel not in {folder}: set EMGMM_WHEELS=DIR; no figures.")
        return None
    return folder


def build_baseline(revision: str, tmp: Path, wheels: Path) -> Path:
    """The vendored site of ``revision``, built by that revision's build.py."""
    tree = tmp / "baseline-tree"
    tree.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    out = tmp / "before"
    cmd = [sys.executable, str(tree / "build.py"), "--vendor", "--wheels", str(wheels)]
    # the same numpy wheel as the build being measured, whatever its bytes
    env = {**os.environ, "EMGMM_ALLOW_OTHER_NUMPY": "1"}
    subprocess.run([*cmd, "--out", str(out)], check=True, cwd=tree, env=env)
    return out


def serve(build, root: Path, stack: ExitStack) -> str:
    server = build.make_server(root, 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stack.callback(server.server_close)
    stack.callback(server.shutdown)
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/"


class Loads:
    """Opens pages in fresh contexts and reads what the init script saw."""

    def __init__(self, browser) -> None:
        self.browser = browser
        self.crashes = 0

    def retry(self, fn, *args, **kwargs):
        """``fn(*args)``, once more if the renderer crashed (it does, rarely,
        on this busy machine); crashes are counted and reported."""
        for attempt in range(3):
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # playwright's Error: "Target crashed"
                if "crash" not in str(exc).lower() or attempt == 2:
                    raise
                self.crashes += 1
        raise AssertionError("unreachable")

    def context(self):
        context = self.browser.new_context(
            viewport={"width": 1280, "height": 900},
            device_scale_factor=1,
            service_workers="block",
        )
        context.add_init_script(INSTRUMENT_JS)
        return context

    @staticmethod
    def wait_ready(page, timeout_s: float = 240.0) -> str:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            status = page.evaluate("document.body && document.body.dataset.status")
            if status in ("ready", "error"):
                return status
            page.wait_for_timeout(25)
        raise RuntimeError("the page never became ready")

    @staticmethod
    def figures(page) -> dict:
        page.wait_for_timeout(100)  # the last paint entries
        b = page.evaluate("window.__boot")
        res = page.evaluate(RESOURCES_JS)
        ready = next((t for t, s in b["status"] if s == "ready"), None)
        # painted in the first frame after it was parsed, and not before the
        # first contentful paint
        picture = b["pictureFrame"]
        if picture is not None and b["fcp"] is not None:
            picture = max(picture, b["fcp"])
        return {
            "ready_s": None if ready is None else ready / 1000,
            "picture_s": None if picture is None else picture / 1000,
            "fcp_s": None if b["fcp"] is None else b["fcp"] / 1000,
            "py_ready_s": None if b["pyReady"] is None else b["pyReady"] / 1000,
            "bytes": res["nav"] + sum(r["transfer"] for r in res["rows"]),
            "requests": 1 + len(res["rows"]),
            "resources": res,
            "lcp": b["lcp"],
        }

    def cold(self, url: str, *, throttle: bool = False, keep: bool = False):
        context = self.context()
        try:
            page = context.new_page()
            if throttle:
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.emulateNetworkConditions", THROTTLE)
            page.goto(url, wait_until="commit")
            status = self.wait_ready(page)
            fig = self.figures(page)
            fig["status"] = status
        except BaseException:
            with suppress(Exception):
                context.close()
            raise
        if keep:
            return fig, context, page
        context.close()
        return fig

    def warm(self, url: str) -> dict:
        _, context, page = self.cold(url, keep=True)
        try:
            page.goto(url, wait_until="commit")
            status = self.wait_ready(page)
            fig = self.figures(page)
            fig["status"] = status
        finally:
            with suppress(Exception):
                context.close()
        return fig

    def default_run(self, url: str) -> float | None:
        """Seconds from ``running`` to ``done`` of a Simulate press at ready."""
        _, context, page = self.cold(url, keep=True)
        try:
            page.locator("#simulate").click()
            deadline = time.monotonic() + 240
            while page.evaluate("document.body.dataset.status") not in (
                "done",
                "error",
            ):
                if time.monotonic() > deadline:
                    break
                page.wait_for_timeout(25)
            b = page.evaluate("window.__boot")
        finally:
            with suppress(Exception):
                context.close()
        running = next((t for t, s in b["status"] if s == "running"), None)
        done = next((t for t, s in b["status"] if s == "done"), None)
        if running is None or done is None:
            return None
        return (done - running) / 1000


def _median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _fmt(value, unit=" s", digits=2) -> str:
    return "  -  " if value is None else f"{value:.{digits}f}{unit}"


def _timeline(name: str, fig: dict) -> None:
    res = fig["resources"]
    print(f"\n-- {name}: one cold load's resources (ms from navigation start)")
    print(
        f"   document {res['navEnd']:7.0f}   DOMContentLoaded {res['dcl']:7.0f}   "
        f"py:ready {_fmt(fig['py_ready_s'] and fig['py_ready_s'] * 1000, '', 0)}   "
        f"ready {_fmt(fig['ready_s'] and fig['ready_s'] * 1000, '', 0)}"
    )
    rows = sorted(res["rows"], key=lambda r: r["start"])
    for r in rows:
        short = r["name"].split("://", 1)[-1].split("/", 1)[-1]
        print(
            f"   {r['start']:7.0f} -> {r['end']:7.0f}  {r['transfer'] / 1024:8.1f} KB  "
            f"{short[:70]}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="layout", help="REV, or 'none'")
    parser.add_argument("--repeat", type=int, default=5, help="loads per figure (5)")
    parser.add_argument(
        "--no-run", action="store_true", help="skip the default run's timing"
    )
    args = parser.parse_args(argv)

    build = _load_build()
    wheels = _numpy_wheels(build)
    if wheels is None:
        return 0
    if not build.CHROMIUM.exists():
        print(f"{build.CHROMIUM} not found (apt-get install chromium); no figures.")
        return 0
    from playwright.sync_api import sync_playwright

    print(f"machine: {_machine()}")
    with tempfile.TemporaryDirectory(prefix="emgmm-boot-") as tmp, ExitStack() as st:
        tmp = Path(tmp)
        roots = {}
        if args.baseline != "none":
            roots["before"] = build_baseline(args.baseline, tmp, wheels)
        roots["after"] = tmp / "after"
        build.build_site(
            roots["after"], vendor=True, wheels_dir=wheels, allow_other_numpy=True
        )
        (roots["after"] / "floor.html").write_text(FLOOR_PAGE)
        urls = {name: serve(build, root, st) for name, root in roots.items()}
        urls = {"floor": urls["after"] + "floor.html", **urls}
        pw = st.enter_context(sync_playwright())
        browser = pw.chromium.launch(
            executable_path=str(build.CHROMIUM), args=build.CHROMIUM_ARGS, headless=True
        )
        st.callback(browser.close)
        print(f"browser: headless Chromium {browser.version}")
        loads = Loads(browser)
        names = list(urls)
        for name in names:  # a first load each, not counted (disk caches)
            loads.retry(loads.cold, urls[name])
        figs = {kind: {n: [] for n in names} for kind in ("cold", "warm", "throttled")}
        for i in range(args.repeat):
            order = names[i % len(names) :] + names[: i % len(names)]
            for name in order:
                url = urls[name]
                figs["cold"][name].append(loads.retry(loads.cold, url))
                figs["warm"][name].append(loads.retry(loads.warm, url))
                figs["throttled"][name].append(
                    loads.retry(loads.cold, url, throttle=True)
                )
            load = os.getloadavg()[0]
            print(f"   round {i + 1} of {args.repeat} done (load average {load:.1f})")
        runs = {}
        if not args.no_run:
            for name in names[1:]:
                runs[name] = [
                    loads.retry(loads.default_run, urls[name]) for _ in range(2)
                ]
        report(names, figs, runs, args)
        if loads.crashes:
            print(f"\n({loads.crashes} loads retried after a renderer crash)")
    return 0


def report(names, figs, runs, args) -> None:
    print(f"\n== medians of {args.repeat} loads (s from navigation start)")
    med = {}
    for kind, by_name in figs.items():
        print(f"\n   {kind}")
        for name in names:
            ready = _median(f["ready_s"] for f in by_name[name])
            med[kind, name] = ready
            floor = med[kind, "floor"]
            ratio = ready / floor if ready and floor else None
            picture = _median(f["picture_s"] for f in by_name[name])
            fcp = _median(f["fcp_s"] for f in by_name[name])
            py = _median(f["py_ready_s"] for f in by_name[name])
            kb = _median(f["bytes"] for f in by_name[name]) / 1024
            reqs = _median(f["requests"] for f in by_name[name])
            all_ready = ", ".join(_fmt(f["ready_s"], "") for f in by_name[name])
            print(
                f"   {name:7s} ready {_fmt(ready)} ({all_ready})"
                f"  x floor {_fmt(ratio, '', 2)}  first picture {_fmt(picture)}"
                f"  FCP {_fmt(fcp)}  py:ready {_fmt(py)}"
                f"  {kb:8.0f} KB in {reqs:.0f} requests"
            )
    print("\n== ratio to the floor, round by round (each round loads all three)")
    paired = {}
    for kind, by_name in figs.items():
        for name in names[1:]:
            ratios = [
                page["ready_s"] / floor["ready_s"]
                for page, floor in zip(by_name[name], by_name["floor"], strict=True)
                if page["ready_s"] and floor["ready_s"]
            ]
            paired[kind, name] = _median(ratios)
            print(
                f"   {kind:9s} {name:6s} median {_fmt(paired[kind, name], 'x')}  "
                f"({', '.join(f'{r:.2f}' for r in ratios)})"
            )
    print("\n== targets (the median of the round-by-round ratios)")
    for kind in figs:
        for name in names[1:]:
            ratio = paired[kind, name]
            if ratio:
                ok = ratio <= TARGET_RATIO
                print(
                    f"   {'PASS' if ok else 'MISS'} {kind:9s} {name:6s} "
                    f"{ratio:.2f}x the floor (target <= {TARGET_RATIO:.2f}x)"
                )
    for name in names[1:]:
        picture = _median(f["picture_s"] for f in figs["cold"][name])
        ok = picture is not None and picture <= TARGET_PICTURE_S
        print(
            f"   {'PASS' if ok else 'MISS'} cold      {name:6s} first picture "
            f"{_fmt(picture)} (target <= {TARGET_PICTURE_S:.1f} s)"
        )
    if runs:
        print("\n== the default run at ready (Simulate; running -> done)")
        for name, times in runs.items():
            print(f"   {name:7s} {', '.join(_fmt(t) for t in times)}")
    for name in names:
        _timeline(name, figs["cold"][name][0])


if __name__ == "__main__":
    sys.exit(main())
