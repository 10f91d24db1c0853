"""What one painted frame costs in WebKitGTK, per layout feature (issue 13).

One command, from the repository root (after ``python3 build.py test`` has
installed the browsers)::

    .venv/bin/python benchmarks/bench_webkit_paint.py [--rounds 2] [--frames 20]
        [--engines webkit,chromium] [--variants base,not-sticky,...]
        [--css NAME=RULES] [--size 375x812] [--query k=4]

It builds the vendored site, serves it on 127.0.0.1, opens the page (no run)
at 1280x900 and waits for ``status=ready``. Then, page idle, for every
*variant* (a few CSS rules added to the page through a constructed style
sheet, removed afterwards) and every *change* (what the page alters in each
frame of a run), it makes that change once per ``requestAnimationFrame`` for
``--frames`` frames and records the interval between frames. The figure is
the lower quartile of those intervals in ms (the load of a shared machine only
ever adds time, so the lower quartile is the steadiest). A frame with no
change takes one display refresh (about 17 ms); the excess is the cost of
painting the change.

Variants are relative to the page as built from the working tree ("base");
``as-8ffd3a8`` puts the layout of before round 3 back. Variants run in turn
within each round and rounds repeat, so a change in the machine's load
spreads over every variant; the table prints the median over rounds. It
exits 0 whatever the timings.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests" / "browser"))

import bench_engines  # noqa: E402
from _site import served_site  # noqa: E402
from browser_support import build, numpy_wheel_search  # noqa: E402
from engines import wait_for  # noqa: E402

# What a run changes in a frame: the caption's text, the scatter's pixels, and
# all of a drawn EM iteration ("frame": both, one stroke on the log-likelihood
# chart and the history slider's position).
CHANGES = ("none", "label", "putImageData", "frame")

# name -> CSS added for the probe ("" = the page as shipped)
_STATIC = (
    ".controls { position: static !important; max-height: none !important;"
    " overflow: visible !important; }"
)
_SQUARE = "*, *::before, *::after { border-radius: 0 !important; }"
_CV = (
    ".charts, .share-panel, .segment-panel, .lessons-panel, .theory,"
    " .site-footer { content-visibility: auto; contain-intrinsic-size: auto 600px; }"
)
_LABEL = "#frame-label, #headline { contain: layout paint; }"
VARIANTS = {
    "base": "",
    "not-sticky": ".controls { position: static !important; }",
    "no-scroll-box": (
        ".controls { max-height: none !important; overflow: visible !important; }"
    ),
    "static-settings": _STATIC,
    "no-radius": _SQUARE,
    "no-shadow": "*, *::before, *::after { box-shadow: none !important; }",
    "contain-panels": ".panel { contain: layout paint; }",
    "contain-settings": ".controls { contain: strict; }",
    "contain-stage": ".stage, .stage > .panel { contain: layout paint; }",
    "isolate-panels": ".panel { isolation: isolate; }",
    "cv-below": _CV,
    "canvas-1to1": (
        "#cluster-canvas { width: 720px !important; height: 540px !important;"
        " max-width: none !important; }"
    ),
    "plain-font": "body, body * { font-family: sans-serif !important; }",
    "no-text-aa": (
        "body { -webkit-font-smoothing: none; text-rendering: optimizeSpeed; }"
    ),
    "will-change-canvas": "#cluster-canvas, #frame-label { will-change: transform; }",
    "contain-label": _LABEL,
    "settings-square": ".controls { border-radius: 0 !important; }",
    "static+square": _STATIC + _SQUARE,
    "static+square+cv": _STATIC + _SQUARE + _CV,
    "static+square+cv+label": _STATIC + _SQUARE + _CV + _LABEL,
    "contain-settings+square+cv": ".controls { contain: strict; }" + _SQUARE + _CV,
    # the layout before round 3 (main at 8ffd3a8), put back on the current page
    "as-8ffd3a8": (
        "@media (min-width: 960px) { .controls { position: sticky; top: 12px;"
        " max-height: calc(100vh - 24px); overflow-y: auto; } }"
        " .panel, .theory .topic { border-radius: 12px; }"
        " .panel { contain: none; box-shadow: 0 1px 0 rgb(16 24 40 / 10%); }"
        " .charts, .share-panel, .segment-panel, .lessons-panel, .theory,"
        " .site-footer { content-visibility: visible; }"
    ),
}

PROBE = """
const frames = arg.frames;
const canvas = document.getElementById("cluster-canvas");
const ctx = canvas.getContext("2d");
const label = document.getElementById("frame-label");
const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
const original = label.textContent;
const loglik = document.getElementById("loglik-canvas").getContext("2d");
const slider = document.getElementById("tl-slider");
const sliderMax = slider.max;
slider.max = "100";
const setLabel = (i) => {
  label.textContent = "start 1, iteration " + i + " (E step)";
};
const setPixels = (i) => {
  image.data[(i * 4) % image.data.length] ^= 0xff;  // a different frame each time
  ctx.putImageData(image, 0, 0);
};
const change = {
  none: () => {},
  label: setLabel,
  putImageData: setPixels,
  frame: (i) => {
    setLabel(i);
    setPixels(i);
    loglik.strokeStyle = i % 2 ? "#0b6bcb" : "#fbfcfe";
    loglik.beginPath();
    loglik.moveTo(40, 40 + i);
    loglik.lineTo(400, 200 - i);
    loglik.stroke();
    slider.value = String(i % 100);
  },
};
const step = change[arg.change];
let sheet = null;
if (arg.css) {
  sheet = new CSSStyleSheet();
  sheet.replaceSync(arg.css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
window.__paintProbe = null;
const next = () => new Promise((resolve) => requestAnimationFrame(resolve));
(async () => {
  // two untouched frames: the added style sheet's own relayout and repaint
  await next(); await next(); await next();
  const stamps = [];
  for (let i = 0; i <= frames; i++) {
    stamps.push(await next());
    step(i);
  }
  label.textContent = original;
  slider.max = sliderMax;
  if (sheet) {
    const kept = document.adoptedStyleSheets.filter((s) => s !== sheet);
    document.adoptedStyleSheets = kept;
  }
  await next(); await next();
  const gaps = stamps.slice(1).map((t, i) => t - stamps[i]);
  window.__paintProbe = gaps;
})();
return true;
"""


def quartile(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 4]


def probe(session, change: str, css: str, frames: int) -> float:
    session.js(PROBE, {"change": change, "css": css, "frames": frames})
    gaps = wait_for(
        session,
        "return window.__paintProbe;",
        timeout_s=600,
        what=f"the {change} probe",
    )
    return quartile(gaps)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--frames", type=int, default=20)
    parser.add_argument("--engines", default="webkit", help="comma-separated")
    parser.add_argument(
        "--variants", default=",".join(VARIANTS), help="comma-separated names"
    )
    parser.add_argument(
        "--changes", default=",".join(CHANGES), help="comma-separated names"
    )
    parser.add_argument(
        "--css", action="append", default=[], help="extra variant NAME=CSS"
    )
    parser.add_argument("--query", default="", help="page query string")
    parser.add_argument(
        "--size", default="", help="window WxH (default: the engines' 1280x900)"
    )
    args = parser.parse_args(argv)
    variants = {name: VARIANTS[name] for name in args.variants.split(",") if name}
    for extra in args.css:
        name, _, css = extra.partition("=")
        variants[name] = css
    changes = [c for c in args.changes.split(",") if c]
    folder, looked = numpy_wheel_search()
    if folder is None:
        print(f"Pyodide's numpy wheel not found in {looked}: nothing measured")
        return 0
    results: dict[tuple[str, str, str], list[float]] = {}
    with served_site(build, folder, "emgmm-paint-") as (url, _root):
        url += f"?{args.query}" if args.query else ""
        print(f"load average at start: {load()}", flush=True)
        for engine in (e for e in args.engines.split(",") if e):
            session = bench_engines.open_engine(engine)
            try:
                if args.size:
                    resize(session, *map(int, args.size.split("x")))
                session.goto(url)
                wait_for(
                    session,
                    "return document.body.dataset.status === 'ready';",
                    timeout_s=600,
                    what="ready",
                )
                time.sleep(1.0)
                for r in range(args.rounds):
                    for name, css in variants.items():
                        for change in changes:
                            ms = probe(session, change, css, args.frames)
                            results.setdefault((engine, name, change), []).append(ms)
                            print(
                                f"round {r + 1} {engine} {name} {change}: {ms:.0f} ms",
                                flush=True,
                            )
            finally:
                session.close()
    print(f"load average at end: {load()}")
    print()
    print(table(results, changes))
    return 0


def resize(session, width: int, height: int) -> None:
    if hasattr(session, "driver"):  # WebKitGTK through selenium
        session.driver.set_window_size(width, height)
    elif hasattr(session, "page"):  # Chromium through Playwright
        session.page.set_viewport_size({"width": width, "height": height})
    else:
        raise SystemExit(f"--size: {session.name} cannot be resized here")


def load() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def table(results: dict[tuple[str, str, str], list[float]], changes: list[str]) -> str:
    head = "| engine | variant | " + " | ".join(f"{c} (ms)" for c in changes) + " |"
    lines = [head, "| --- | --- |" + " ---: |" * len(changes)]
    rows: dict[tuple[str, str], dict[str, float]] = {}
    for (engine, name, change), values in results.items():
        rows.setdefault((engine, name), {})[change] = statistics.median(values)
    for (engine, name), cells in rows.items():
        text = " | ".join(f"{cells[c]:.0f}" for c in changes)
        lines.append(f"| {engine} | {name} | {text} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
