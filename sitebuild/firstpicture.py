"""The first picture: the default run's final fit, drawn when the site is built.

The page needs Python (several seconds) before its canvas can show anything;
until then the stage shows this picture instead. It is computed by the site's
own code in CPython: the shipped emcore wheel and page wheel go first on
``sys.path`` of a child interpreter (which must have numpy), the page's
default state runs through the page's own plan (``simapp.run.plan``), and the
chart is drawn by the page's own ``simapp.charts`` functions (axes, data_chart) on
:class:`SvgContext`, a canvas-2D-context stand-in that writes SVG. The points
are circles of the page's colours (``palette.blend`` of the responsibilities)
and radius. So the picture shows the same points, ellipses, true centres and
axes as the live canvas at the end of the default run; the ``<svg>`` carries
the live canvas's ``data-view``, ``data-ellipses`` and ``data-centres`` (in
its own pixels) and the run's ``data-iterations`` and ``data-loglik``, so a
test can compare the two.

:func:`first_picture` is the build's side (standard library only); the rest
runs in the child (``python -m`` is not used: the child imports nothing from
the checkout but this file and the two wheels).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

#: Size of the picture in SVG pixels (4:3, like the live canvas; it scales
#: to the chart's box as the canvas does).
WIDTH, HEIGHT = 560, 420
#: The canvas's background (style.css ``.chart canvas``).
BACKGROUND = "#fbfcfe"


@dataclass(frozen=True)
class FirstPicture:
    """The picture and its words.

    Attributes
    ----------
    svg : str
        The SVG document.
    alt : str
        Its text alternative (what the live canvas's label says of the same
        fit, with where the picture comes from).
    caption : str
        The line above the chart while the picture is shown.
    """

    svg: str
    alt: str
    caption: str


_CACHE: dict[str, FirstPicture] = {}


def first_picture(emcore_wheel: Path, page_wheel: Path) -> FirstPicture:
    """Draw the default run with the shipped wheels in a child CPython.

    The result is cached for the process by the two wheels' bytes.

    Raises
    ------
    BuildError
        When the child fails (numpy missing from this Python, most often).
    """
    from .common import BuildError, log

    digest = hashlib.sha256()
    for wheel in (emcore_wheel, page_wheel):
        digest.update(wheel.read_bytes())
    key = digest.hexdigest()
    if key in _CACHE:
        return _CACHE[key]
    code = (
        "import sys; sys.path[:0] = sys.argv[1:3]; "
        "import runpy; runpy.run_path(sys.argv[3], run_name='__picture__')"
    )
    cmd = [sys.executable, "-I", "-c", code, str(emcore_wheel), str(page_wheel)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    proc = subprocess.run(
        [*cmd, str(Path(__file__).resolve())],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1:] or ["(no output)"]
        hint = ""
        if "No module named 'numpy'" in proc.stderr:
            hint = (
                f" This Python ({sys.executable}) has no numpy: pip install numpy, "
                "or build with --no-first-picture."
            )
        raise BuildError(
            f"drawing the first picture (the default run, in CPython) failed: "
            f"{tail[0]}.{hint}"
        )
    out = json.loads(proc.stdout)
    picture = FirstPicture(out["svg"], out["alt"], out["caption"])
    log(
        f"first picture: {len(picture.svg) / 1024:.0f} KB SVG, {out['iterations']} "
        "iterations of the default run"
    )
    _CACHE[key] = picture
    return picture


def _num(value: float) -> str:
    """A coordinate for SVG: 2 decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class SvgContext:
    """The part of ``CanvasRenderingContext2D`` the data chart draws with,
    writing SVG elements instead of pixels.

    Anything else raises ``AttributeError``, so a drawing call this class does
    not know fails the build instead of being left out of the picture.
    """

    _STYLE = (
        "strokeStyle",
        "fillStyle",
        "lineWidth",
        "lineCap",
        "font",
        "textAlign",
        "textBaseline",
    )

    def __init__(self) -> None:
        self.elements: list[str] = []
        self._state = {
            "strokeStyle": "#000000",
            "fillStyle": "#000000",
            "lineWidth": 1.0,
            "lineCap": "butt",
            "font": "10px sans-serif",
            "textAlign": "start",
            "textBaseline": "alphabetic",
            "dash": [],
            "transform": "",
        }
        self._saved: list[dict] = []
        self._path: list[str] = []
        self._shapes: list[str] = []

    def __getattr__(self, name):
        state = self.__dict__.get("_state")
        if state is not None and name in self._STYLE:
            return state[name]
        raise AttributeError(f"SvgContext has no {name!r} (a canvas call to add?)")

    def __setattr__(self, name, value) -> None:
        if name in self._STYLE:
            self._state[name] = value
        elif name.startswith("_") or name == "elements":
            super().__setattr__(name, value)
        else:
            raise AttributeError(f"SvgContext has no property {name!r}")

    # ------------------------------------------------------------ state
    def save(self) -> None:
        self._saved.append(dict(self._state))

    def restore(self) -> None:
        self._state = self._saved.pop()

    def setLineDash(self, pattern) -> None:  # noqa: N802 (the canvas API's name)
        self._state["dash"] = [float(p) for p in pattern]

    def translate(self, x: float, y: float) -> None:
        self._state["transform"] += f" translate({_num(x)} {_num(y)})"

    def rotate(self, angle: float) -> None:
        self._state["transform"] += f" rotate({_num(math.degrees(angle))})"

    def clearRect(self, x, y, w, h) -> None:  # noqa: N802
        self.elements.clear()  # the background is the picture's own

    # ------------------------------------------------------------ paths
    def beginPath(self) -> None:  # noqa: N802
        self._path, self._shapes = [], []

    def moveTo(self, x: float, y: float) -> None:  # noqa: N802
        self._path.append(f"M{_num(x)} {_num(y)}")

    def lineTo(self, x: float, y: float) -> None:  # noqa: N802
        self._path.append(f"L{_num(x)} {_num(y)}")

    def ellipse(self, cx, cy, rx, ry, rotation, start, end) -> None:
        if not math.isclose(abs(end - start), 2 * math.pi):
            raise ValueError("SvgContext draws whole ellipses only")
        turn = math.degrees(rotation)
        self._shapes.append(
            f'<ellipse cx="{_num(cx)}" cy="{_num(cy)}" rx="{_num(rx)}" '
            f'ry="{_num(ry)}" transform="rotate({_num(turn)} {_num(cx)} {_num(cy)})"'
        )

    def _stroke_attrs(self) -> str:
        s = self._state
        attrs = (
            f' fill="none" stroke={quoteattr(s["strokeStyle"])}'
            f' stroke-width="{_num(s["lineWidth"])}"'
        )
        if s["dash"]:
            attrs += f' stroke-dasharray="{" ".join(_num(d) for d in s["dash"])}"'
        if s["lineCap"] != "butt":
            attrs += f' stroke-linecap="{s["lineCap"]}"'
        if s["transform"]:
            attrs += f' transform="{s["transform"].strip()}"'
        return attrs

    def stroke(self) -> None:
        attrs = self._stroke_attrs()
        if self._path:
            self.elements.append(f'<path d="{"".join(self._path)}"{attrs}/>')
        for shape in self._shapes:
            if self._state["transform"]:
                raise ValueError("SvgContext cannot transform an ellipse twice")
            self.elements.append(f"{shape}{attrs}/>")

    def fillText(self, text: str, x: float, y: float) -> None:  # noqa: N802
        s = self._state
        anchor = {"center": "middle", "right": "end", "end": "end"}.get(
            s["textAlign"], "start"
        )
        baseline = {
            "top": "text-before-edge",
            "hanging": "hanging",
            "middle": "central",
            "bottom": "text-after-edge",
        }.get(s["textBaseline"], "alphabetic")
        transform = s["transform"].strip()
        transform = f' transform="{transform}"' if transform else ""
        self.elements.append(
            f'<text x="{_num(x)}" y="{_num(y)}" fill={quoteattr(s["fillStyle"])} '
            f'style={quoteattr("font: " + s["font"])} text-anchor="{anchor}" '
            f'dominant-baseline="{baseline}"{transform}>{escape(str(text))}</text>'
        )


def _hex(rgb) -> str:
    return "#" + "".join(f"{int(c):02x}" for c in rgb)


def _ellipse_marks(view, ellipses, css) -> list[dict]:
    """Each ellipse in pixels with its colour, for the page's first frame."""
    import numpy as np

    marks = []
    for e, colour in zip(ellipses, css, strict=True):
        cx, cy = view.to_px(np.asarray(e.center, dtype=float)).tolist()
        marks.append(
            {
                "cx": cx,
                "cy": cy,
                "rx": float(view.length_to_px(float(e.semi_axes[0]))),
                "ry": float(view.length_to_px(float(e.semi_axes[1]))),
                "rotation": -float(e.angle),
                "color": colour,
            }
        )
    return marks


def _svg(alt: str, marks: dict, points: list[str], elements: list[str]) -> str:
    """The picture's SVG: ``marks`` as ``data-*`` attributes, ``alt`` as its
    title, the points under the axes and ellipses (``elements``)."""
    data_attrs = "".join(
        f" data-{name}={quoteattr(json.dumps(value))}" for name, value in marks.items()
    )
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'width="{WIDTH}" height="{HEIGHT}"{data_attrs}>',
            f"<title>{escape(alt)}</title>",
            f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{BACKGROUND}"/>',
            '<g id="points">',
            *points,
            "</g>",
            *elements,
            "</svg>",
            "",
        ]
    )


def draw_default_run() -> dict:
    """The default state's final fit as the page draws it, as SVG (child side)."""
    import numpy as np
    from simapp.charts import axes, data_chart, palette
    from simapp.charts.viewport import Viewport
    from simapp.run import plan
    from simapp.state.pagestate import PageState
    from simapp.text import data_chart as words
    from simapp.text import describe

    import emcore

    state = PageState()
    settings, events = plan.run_events(*state.run_inputs)
    events = list(events)
    data = events[0]
    result = events[-1].result
    X, true_means = data.X, data.true_means
    n, k = X.shape[0], int(settings["k"])
    view = Viewport.from_points(
        np.vstack([X, true_means]),
        WIDTH,
        HEIGHT,
        dpr=1.0,
        margins=axes.TITLED_MARGINS,
    )
    # the scatter view's radius for n points on a 1-dpr canvas
    radius = 2.6 if n <= 1000 else 2.1 if n <= 2500 else 1.7
    colours = palette.component_colors(k, result.mapping)
    rgb = palette.blend(result.resp, colours)
    ctx = SvgContext()
    # the default source is simulated: plain x and y
    axes.draw_axes(ctx, view, titles=words.axis_titles(words.PLAIN_AXES))
    axes = list(ctx.elements)
    ctx.elements.clear()
    css = [palette.rgb_to_css(c) for c in colours]
    data_chart.draw_ellipses(ctx, view, result.ellipses, css)
    centres = true_means if state.display.centres else None
    if centres is not None:
        data_chart.draw_true_centres(ctx, view, centres)
    points = [
        f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(radius)}" fill="{_hex(c)}"/>'
        for (x, y), c in zip(view.to_px(X).tolist(), rgb.tolist(), strict=True)
    ]
    marks = {
        "view": {
            "scale": view.scale,
            "cx": view.cx,
            "cy": view.cy,
            "plot_cx": view.plot_cx,
            "plot_cy": view.plot_cy,
        },
        "ellipses": _ellipse_marks(view, result.ellipses, css),
        "centres": [] if centres is None else view.to_px(centres).tolist(),
        "iterations": int(result.iterations),
        "loglik": float(result.loglik),
        "n": n,
        "settings": settings,
        "emcore": emcore.__version__,
    }
    words = describe.describe_fit(
        result.means,
        result.covariances,
        result.weights,
        colour_names=describe.colour_names(palette.nearest(colours)),
        log_likelihood=float(result.lower_bound),
        what="The final",
        iteration=int(result.iterations),
    )
    alt = (
        "The default run's result, drawn when this site was built (the live "
        f"chart replaces it once Python has started): scatter chart of {n} data "
        f"points. {words}"
    )
    caption = "Final fit of the default run (drawn when the site was built)"
    return {
        "svg": _svg(alt, marks, points, [*axes, *ctx.elements]),
        "alt": alt,
        "caption": caption,
        "iterations": marks["iterations"],
        "emcore_file": emcore.__file__,
    }


if __name__ == "__picture__":
    picture = draw_default_run()
    # the shipped emcore, not one installed in this Python
    if not picture["emcore_file"].startswith(sys.path[0]):
        raise SystemExit(f"emcore came from {picture['emcore_file']}, not the wheel")
    print(json.dumps(picture))
