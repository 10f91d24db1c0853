"""Browser entry point of the simulator page (runs in PyScript / Pyodide).

This is the only module that touches ``pyscript`` and ``js``. It

1. reads ``build-info.json`` (written by ``build.py``; PyScript's ``files``
   config copies it, this file and ``simapp/*.py`` onto Pyodide's filesystem),
2. loads numpy with ``pyodide_js.loadPackage("numpy")`` (from the vendored
   ``vendor/pyodide/`` folder or the Pyodide CDN, per ``pyodide-lock.json``),
3. loads the emcore wheel with ``pyodide_js.loadPackage(<wheel URL>)``,
4. wires the app (:class:`App`), enables the controls and sets
   ``document.body.dataset.status`` to ``ready``, or, on any failure, shows
   what failed and how to fix it and sets it to ``error``.

The app animates ``emcore.simulator.iterate`` (the events behind
``emcore.simulator.run``): one EM iteration per animation frame, the
model-selection sweep in time slices of about 9 ms per frame, and a generation
counter so that a new run (Simulate, a changed control, a "try this" link in
the theory section) cancels the previous one cleanly. Drawing and text come
from ``simapp``; this module only moves values between the page and it.

Page contract (links, embedding, tests): ``document.body.dataset.status`` is
``loading``/``ready``/``running``/``done``/``error``; URL parameters ``k n
overlap cov iters tol seed n_init`` preload the controls and ``run=1`` starts
a run; every result element carries its full-precision value in
``data-value``; the canvases expose what they show in ``data-*`` attributes
(see :meth:`App.draw_cluster`, :meth:`App.draw_loglik`, :meth:`App.draw_ic`).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import math
import random
import traceback
import warnings

import js
import pyodide_js
from pyodide.ffi import create_proxy, to_js
from pyscript import document, window

BUILD_INFO = "build-info.json"
VENDOR_HINT = "python build.py --vendor --wheels DIR"

# proxies kept alive for the page's lifetime (event handlers)
_handlers: list = []


class LoadError(Exception):
    """A loading step failed; ``str(self)`` is the plain-language message."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


# --------------------------------------------------------------------------- DOM
def set_status(status: str) -> None:
    """Set ``document.body.dataset.status`` (loading/ready/running/done/error)."""
    document.body.dataset.status = status


def show_message(text: str, kind: str = "info", detail: str = "") -> None:
    """Write ``text`` into the status area (as text, never as HTML)."""
    el = document.getElementById("message")
    el.textContent = text
    el.dataset.kind = kind
    el.setAttribute("role", "alert" if kind == "error" else "status")
    box = document.getElementById("message-details")
    document.getElementById("message-detail").textContent = detail
    box.hidden = not detail


def set_controls_enabled(enabled: bool) -> None:
    for fieldset in document.querySelectorAll("#settings fieldset"):
        fieldset.disabled = not enabled


def on(element_id: str, event: str, handler) -> None:
    """Attach a Python ``handler`` to ``event`` on the element ``element_id``."""
    on_target(document.getElementById(element_id), event, handler)


def on_target(target, event: str, handler) -> None:
    """Attach a Python ``handler`` to ``event`` on a DOM object (kept alive)."""
    proxy = create_proxy(handler)
    _handlers.append(proxy)
    target.addEventListener(event, proxy)


def report_unexpected(exc: BaseException, what: str) -> None:
    """An unexpected error the page survives: say so, log the traceback."""
    detail = "".join(traceback.format_exception(exc))
    js.console.error(f"[emgmm] unexpected error while {what}:\n{detail}")
    show_message(
        f"Something went wrong while {what} ({type(exc).__name__}: {exc}). "
        "The page still works: change a setting or press Simulate to try "
        "again, or reload the page. Technical details below.",
        "error",
        detail,
    )


def guarded(what: str):
    """Decorate an event handler: no exception ever escapes into the page.

    ``ValueError`` (bad input the user can fix) becomes a plain message;
    anything else is reported with its traceback on the console.
    """

    def decorate(fn):
        def handler(*args):
            try:
                return fn(*args)
            except ValueError as exc:
                show_message(f"Could not apply that: {exc}", "warn")
            except Exception as exc:
                report_unexpected(exc, what)

        handler.__name__ = getattr(fn, "__name__", "handler")
        return handler

    return decorate


def _warn_to_console(message, category, filename, lineno, file=None, line=None):
    # PyScript paints anything on stderr over the page; warnings go to the
    # browser console instead (deliberately as warnings, not errors).
    js.console.warn(f"[emgmm] {category.__name__}: {message} ({filename}:{lineno})")


warnings.showwarning = _warn_to_console


def fail(exc: BaseException) -> None:
    set_status("error")
    document.getElementById("load-progress").hidden = True
    if isinstance(exc, LoadError):
        show_message(str(exc), "error", exc.detail)
    else:
        detail = "".join(traceback.format_exception(exc))
        show_message(
            f"The simulator failed to start ({type(exc).__name__}: {exc}). "
            "Reload the page; if it keeps failing, rebuild the site with "
            "python build.py and report the technical details below.",
            "error",
            detail,
        )
    # console.warn, not stderr: PyScript would paint stderr over the page
    js.console.warn(f"[emgmm] {exc}")


# --------------------------------------------------------------------------- loading
def read_build_info() -> dict:
    try:
        with open(BUILD_INFO) as fh:
            return json.load(fh)
    except (OSError, ValueError) as exc:
        raise LoadError(
            f"{BUILD_INFO} is missing or unreadable: this folder is not a built "
            "site. Build and serve it with python build.py serve.",
            repr(exc),
        ) from exc


async def load_package(what: str, name_or_url: str) -> list[str]:
    """``pyodide_js.loadPackage`` with its messages shown; returns its errors."""
    errors: list[str] = []

    def on_message(msg) -> None:
        show_message(f"Loading {what}… ({msg})")

    def on_error(msg) -> None:
        errors.append(str(msg))

    msg_proxy, err_proxy = create_proxy(on_message), create_proxy(on_error)
    try:
        await pyodide_js.loadPackage(
            name_or_url, messageCallback=msg_proxy, errorCallback=err_proxy
        )
    except Exception as exc:  # a JsException from the loader itself
        errors.append(str(exc))
    finally:
        msg_proxy.destroy()
        err_proxy.destroy()
    return errors


async def load_numpy(info: dict):
    show_message("Loading numpy…")
    errors = await load_package("numpy", "numpy")
    try:
        import numpy
    except ImportError as exc:
        detail = "\n".join([*errors, repr(exc)])
        wanted = info.get("numpy_wheel_expected") or "Pyodide's numpy wheel"
        if info.get("mode") == "vendor":
            if info.get("numpy_wheel"):
                reason = (
                    f"the numpy wheel of this build ({info['numpy_wheel']}) "
                    "did not load"
                )
            else:
                reason = f"this build does not carry Pyodide's numpy wheel ({wanted})"
            hint = (
                f"rebuild with {VENDOR_HINT}, where DIR holds that file "
                "(or let build.py download it)"
            )
        else:
            reason = "it could not be fetched from the Pyodide CDN (cdn.jsdelivr.net)"
            hint = (
                "check your internet connection and reload, or build an offline "
                f"copy with {VENDOR_HINT}"
            )
        message = f"numpy could not be loaded: {reason}. Fix: {hint}."
        raise LoadError(message, detail) from exc
    return numpy


async def load_emcore(info: dict):
    wheel = info.get("emcore_wheel", "")
    url = str(js.URL.new(wheel, js.location.href).href)
    show_message(f"Loading emcore ({wheel.rsplit('/', 1)[-1]})…")
    errors = await load_package("emcore", url)
    try:
        import emcore
    except ImportError as exc:
        raise LoadError(
            f"emcore could not be loaded from {wheel}: the site build is "
            "incomplete. Fix: rebuild it with python build.py (or python build.py "
            "--vendor).",
            "\n".join([*errors, repr(exc)]),
        ) from exc
    return emcore


# --------------------------------------------------------------------------- frames
_frame_waiters: list = []


def _on_animation_frame(_timestamp) -> None:
    waiters = list(_frame_waiters)
    _frame_waiters.clear()
    for fut in waiters:
        if not fut.done():
            fut.set_result(None)


_frame_proxy = create_proxy(_on_animation_frame)


def next_frame():
    """A future resolved at the browser's next animation frame."""
    fut = asyncio.get_event_loop().create_future()
    if not _frame_waiters:
        js.requestAnimationFrame(_frame_proxy)
    _frame_waiters.append(fut)
    return fut


def starts(n: int, what: str = "") -> str:
    return f"{n} {what}start" + ("" if n == 1 else "s")


def best_of(n: int) -> str:
    return "a single start" if n == 1 else f"best of {n} starts"


def is_null(value) -> bool:
    """True for Python ``None`` and JavaScript ``null``/``undefined`` proxies."""
    return value is None or type(value).__name__ in ("JsNull", "JsUndefined")


def now() -> float:
    """Seconds, from the page's high-resolution clock."""
    return float(window.performance.now()) / 1000.0


# --------------------------------------------------------------------------- app
# control id per setting (URL / emcore keyword name -> element id)
CONTROLS = {
    "k": "k",
    "n": "n",
    "overlap": "overlap",
    "cov": "cov",
    "iters": "iters",
    "tol": "tol",
    "seed": "seed",
    "n_init": "n-init",
}
RANGES = ("k", "n", "overlap", "iters")
RANDOM_SEED_MAX = 99_999  # fresh seeds stay short enough to read and type


def random_seed() -> int:
    return random.SystemRandom().randint(1, RANDOM_SEED_MAX)


class Canvas:
    """A canvas sized in device pixels (``width = CSS width x dpr``)."""

    def __init__(self, element_id: str) -> None:
        self.el = document.getElementById(element_id)
        self.ctx = self.el.getContext("2d")
        self.width = int(self.el.width)
        self.height = int(self.el.height)
        self.dpr = 1.0

    def fit(self) -> bool:
        """Match the backing store to the displayed size; True if it changed."""
        dpr = float(window.devicePixelRatio or 1.0)
        rect = self.el.getBoundingClientRect()
        width = max(1, round(float(rect.width) * dpr))
        height = max(1, round(float(rect.height) * dpr))
        if rect.width < 1 or rect.height < 1:
            return False  # not laid out (hidden); keep the old size
        if (width, height, dpr) == (self.width, self.height, self.dpr):
            return False
        self.el.width, self.el.height = width, height
        self.width, self.height, self.dpr = width, height, dpr
        return True


class App:
    """The simulator page: controls, run loop, drawing, results."""

    def __init__(self, numpy, emcore) -> None:
        # browser-free helpers; simapp.settings needs emcore, imported by now
        from simapp import palette, plotting, raster, results, runstate, settings
        from simapp.view import View

        from emcore import simulator

        self.np = numpy
        self.simulator = simulator
        self.palette, self.plotting, self.raster = palette, plotting, raster
        self.results, self.runstate, self.S, self.View = (
            results,
            runstate,
            settings,
            View,
        )
        plotting.set_js_array_converter(to_js)
        self.theory = self._import_theory()

        self.generation = 0
        self.model = None  # RunModel of the current or latest run
        self.running = False
        self.settings = None
        self.cluster = Canvas("cluster-canvas")
        self.loglik = Canvas("loglik-canvas")
        self.ic = Canvas("ic-canvas")
        self._scatter = None  # (key, numpy buffer, Uint8ClampedArray, ImageData)
        self._view_cache = None  # (key, View, X in pixels)
        self._resize_pending = False
        self.stats: dict = {}

    # ------------------------------------------------------------------ setup
    @staticmethod
    def _import_theory():
        try:
            return importlib.import_module("simapp.theory")
        except ImportError:
            return None  # the theory section has not landed: live values off
        except Exception as exc:
            report_unexpected(exc, "loading the theory section's helpers")
            return None

    def setup(self) -> None:
        """Configure the controls, read the URL, attach handlers, draw."""
        self.configure_controls()
        query = self.S.parse_query_string(str(js.location.search))
        settings, notes = self.S.parse_settings(query, default_seed=random_seed())
        self.set_controls(settings)
        self.settings = settings
        self.show_notes(notes, "The link's settings")
        self.update_live(settings)

        for name in RANGES:
            on(name, "input", guarded("updating a control")(self.on_input))
        for element_id in CONTROLS.values():
            on(element_id, "change", guarded("applying a setting")(self.on_change))
        on("settings", "submit", guarded("starting a run")(self.on_submit))
        on("new-seed", "click", guarded("drawing a new seed")(self.on_new_seed))
        on_target(document, "click", guarded("following a link")(self.on_click))
        on_target(window, "resize", guarded("resizing the charts")(self.on_resize))
        self.draw_all()
        self.warm_up()

    def warm_up(self) -> None:
        """Run the first steps of a tiny simulation once while loading.

        The first call of several numpy code paths costs a one-off 100-200 ms
        in Pyodide; paying it here keeps the first real run's frames short.
        """
        events = self.simulator.iterate(k=2, n=100, seed=0, n_init=1)
        model = self.runstate.RunModel({})
        for _ in range(3):
            model.apply(next(events))
        events.close()

    def after_ready(self) -> None:
        """Called once the page is ``ready``: honour ``run=1``."""
        if self.settings.run:
            self.start_run(self.settings)

    def configure_controls(self) -> None:
        """Limits and choices of the controls come from emcore (via simapp)."""
        for name, element_id in CONTROLS.items():
            if name in self.S.INT_LIMITS:
                low, high = self.S.INT_LIMITS[name]
                el = document.getElementById(element_id)
                el.min, el.max = str(low), str(high)
        tol = document.getElementById("tol")
        if tol.options.length != len(self.S.TOL_CHOICES):
            tol.replaceChildren()
            for choice in self.S.TOL_CHOICES:
                option = document.createElement("option")
                option.value = self.S.tol_label(choice)
                option.textContent = self.S.tol_label(choice)
                tol.appendChild(option)

    # ------------------------------------------------------------------ controls
    def set_controls(self, s) -> None:
        """Show settings ``s`` in the controls (exactly, even off a slider step)."""
        for name, element_id in CONTROLS.items():
            el = document.getElementById(element_id)
            value = getattr(s, name)
            text = self.S.tol_label(value) if name == "tol" else str(value)
            if name in RANGES:
                low = self.S.INT_LIMITS[name][0]
                step = float(el.step or 1)
                if (value - low) % step:
                    el.step = "1"  # a link's value off the slider's grid stays
            el.value = text
        self.update_outputs()

    def read_controls(self):
        """Settings from the controls, clamped; returns ``(settings, notes)``."""
        query = {
            name: str(document.getElementById(element_id).value)
            for name, element_id in CONTROLS.items()
        }
        seed = self.settings.seed if self.settings is not None else random_seed()
        return self.S.parse_settings(query, default_seed=seed)

    def update_outputs(self) -> None:
        """Mirror each slider's value into its ``<output>``."""
        for name in RANGES:
            value = document.getElementById(name).value
            suffix = " %" if name == "overlap" else ""
            document.getElementById(f"{name}-value").textContent = f"{value}{suffix}"

    def show_notes(self, notes: list[str], source: str) -> None:
        """List setting adjustments under the status line (text nodes only)."""
        box = document.getElementById("notes")
        box.replaceChildren()
        if notes:
            heading = document.createElement("p")
            heading.textContent = f"{source} were adjusted:"
            box.appendChild(heading)
            items = document.createElement("ul")
            for note in notes:
                li = document.createElement("li")
                li.textContent = note
                items.appendChild(li)
            box.appendChild(items)
        box.hidden = not notes

    def update_live(self, s) -> None:
        """Fill the theory section's ``.live[data-live]`` spans for ``s``."""
        if self.theory is None:
            return
        elements = document.querySelectorAll(".live[data-live]")
        if not elements.length:
            return
        values = self.theory.live_values(s.k, s.n, s.cov)
        for i in range(elements.length):
            el = elements.item(i)
            key = str(el.dataset.live)
            if key in values:
                el.textContent = str(values[key])

    # ------------------------------------------------------------------ handlers
    def on_input(self, _event) -> None:
        self.update_outputs()
        settings, _ = self.read_controls()
        self.update_live(settings)

    def on_change(self, _event) -> None:
        """A committed change restarts the run with the new settings."""
        settings, notes = self.read_controls()
        self.show_notes(notes, "Your settings")
        if notes:
            self.set_controls(settings)
        self.update_live(settings)
        self.start_run(settings)

    def on_submit(self, event) -> None:
        event.preventDefault()
        settings, notes = self.read_controls()
        self.show_notes(notes, "Your settings")
        if notes:
            self.set_controls(settings)
        self.start_run(settings)

    def on_new_seed(self, _event) -> None:
        document.getElementById("seed").value = str(random_seed())
        self.on_change(None)

    def on_click(self, event) -> None:
        """``a.try[data-settings]`` links set the controls and run in place."""
        target = event.target
        if is_null(target) or not hasattr(target, "closest"):
            return
        link = target.closest("a.try[data-settings]")
        if is_null(link):
            return
        if event.button or event.ctrlKey or event.metaKey or event.shiftKey:
            return  # opening the link in a new tab/window still works
        event.preventDefault()
        current, _ = self.read_controls()
        query = self.S.parse_query_string(self.S.settings_to_query(current))
        query.update(self.S.parse_query_string(str(link.dataset.settings or "")))
        settings, notes = self.S.parse_settings(query, default_seed=current.seed)
        self.set_controls(settings)
        self.show_notes(notes, "The link's settings")
        self.update_live(settings)
        self.start_run(settings)
        document.getElementById("settings").scrollIntoView()

    def on_resize(self, _event) -> None:
        if self._resize_pending:
            return
        self._resize_pending = True
        asyncio.ensure_future(self._redraw_after_resize())

    async def _redraw_after_resize(self) -> None:
        try:
            await next_frame()
            self._resize_pending = False
            if not self.running:  # a running loop redraws on its next frame
                self.draw_all()
        except Exception as exc:
            self._resize_pending = False
            report_unexpected(exc, "redrawing the charts")

    # ------------------------------------------------------------------ runs
    def start_run(self, settings) -> None:
        """Cancel any running fit and start one for ``settings``."""
        self.generation += 1
        self.settings = settings
        self.running = True
        self.update_url(settings)
        self.clear_results()
        set_status("running")
        show_message(
            f"Running EM: K = {settings.k}, N = {settings.n}, overlap "
            f"{settings.overlap} %, {settings.cov} covariances, "
            f"{starts(settings.n_init)}, seed {settings.seed}…"
        )
        asyncio.ensure_future(self.run_loop(self.generation, settings))

    def update_url(self, settings) -> None:
        """``history.replaceState`` so a copied link reproduces this run."""
        query = self.S.settings_to_query(settings, run=True)
        js.history.replaceState(None, "", f"{js.location.pathname}?{query}")

    async def run_loop(self, generation: int, settings) -> None:
        """Animate one run; exits quietly as soon as a newer run starts."""
        try:
            await self._run(generation, settings)
        except ValueError as exc:
            if generation != self.generation:
                return
            self.running = False
            set_status("ready")
            show_message(f"This run could not be computed: {exc}", "warn")
        except Exception as exc:
            if generation != self.generation:
                js.console.warn(f"[emgmm] a cancelled run failed: {exc!r}")
                return
            self.running = False
            set_status("ready")
            report_unexpected(exc, "running the simulation")

    async def _run(self, generation: int, settings) -> None:
        runstate = self.runstate
        kwargs = settings.to_run_kwargs()
        events = self.simulator.iterate(**kwargs)
        model = runstate.RunModel(kwargs)
        self.model = model
        skip = document.getElementById("skip-animation")
        t_start = now()
        last_shown = -math.inf  # frame of the latest EM iteration computed
        pending = False  # an EM iteration computed, to be drawn next frame
        em_times: list[float] = []
        draw_ms: list[float] = []
        slowest = (0.0, "")
        phase = None
        while True:
            await next_frame()
            if generation != self.generation:
                events.close()
                return
            animate = not skip.checked
            t0 = now()
            finished = False
            if pending:
                # computing and drawing an EM iteration in separate frames
                # halves the longest pause of the page
                pending = False
                self.draw_model(model)
                what = f"draw {model.last_kind}"
                draw_ms.append((now() - t0) * 1000)
            else:
                held = model.last_kind in ("data", "em")
                # one EM iteration per MIN_EM_FRAME_S (a few ms of slack so
                # 60 Hz frames give a steady 30 iterations/s)
                if (
                    animate
                    and held
                    and t0 - last_shown < runstate.MIN_EM_FRAME_S - 0.004
                ):
                    continue
                finished = runstate.advance(model, events, animate=animate)
                what = f"compute {model.last_kind}"
                if finished:
                    self.draw_model(model)
                elif animate and model.last_kind in ("data", "em"):
                    pending = True
                    last_shown = t0
                    em_times.append(t0)
                elif animate:
                    self.draw_model(model)
                else:
                    self.draw_progress(model)
            if model.phase != phase:
                phase = model.phase
                self.phase_message(model, skipping=not animate)
            elapsed = now() - t0
            if elapsed > slowest[0]:
                slowest = (elapsed, what)
            if finished:
                break
        self.running = False
        fps = None
        if len(em_times) > 2:
            fps = (len(em_times) - 1) / (em_times[-1] - em_times[0])
        if draw_ms:
            document.body.dataset.drawMsMedian = (
                f"{sorted(draw_ms)[len(draw_ms) // 2]:.1f}"
            )
        self.finish(model, now() - t_start, fps, slowest)

    def phase_message(self, model, *, skipping: bool) -> None:
        s = model.settings
        if model.phase == "em":
            how = " (animation skipped)" if skipping else ""
            show_message(
                f"Running EM{how}: {starts(s['n_init'], 'k-means++ ')} on "
                f"{s['n']} points, K = {s['k']}…"
            )
        elif model.phase == "sweep":
            ks = self.simulator.SWEEP_KS
            show_message(
                f"EM finished; fitting K = {ks[0]}–{ks[-1]} for the AIC/BIC chart…"
            )

    def finish(self, model, seconds: float, fps, slowest) -> None:
        result = model.result
        self.fill_results(result)
        self.draw_model(model)
        self.update_url(self.settings)
        body = document.body.dataset
        body.runMs = str(round(seconds * 1000))
        body.emFps = f"{fps:.1f}" if fps else ""
        longest = slowest[0]
        body.longestSliceMs = str(round(longest * 1000, 1))
        body.longestSlice = slowest[1]
        fps_text = f", animation {fps:.0f} iterations/s" if fps else ""
        document.getElementById("run-stats").textContent = (
            f"Run took {seconds:.2f} s{fps_text}; longest pause of the page "
            f"{longest * 1000:.0f} ms."
        )
        set_status("done")
        state = "converged" if result["converged"] else "hit the iteration cap"
        show_message(
            f"Done: EM {state} after {result['iterations']} iterations "
            f"({best_of(model.settings['n_init'])}); ARI "
            f"{result['ari']:.3f}, local-optima check {result['verdict']}. "
            "The address bar now links to this run."
        )

    # ------------------------------------------------------------------ results
    def clear_results(self) -> None:
        for element_id in self.results.RESULT_IDS:
            el = document.getElementById(element_id)
            el.textContent = "…"
            el.dataset.value = ""
            el.dataset.kind = ""
        for element_id in ("result-loglik-detail", "result-verdict-reason"):
            document.getElementById(element_id).textContent = ""
        notes = document.getElementById("result-notes")
        notes.replaceChildren()
        notes.hidden = True
        document.getElementById("run-stats").textContent = ""
        document.getElementById("loglik-note").textContent = ""
        summary = document.getElementById("ic-summary")
        summary.textContent = self.results.ic_progress([], self.simulator.SWEEP_KS)
        summary.dataset.aicK = summary.dataset.bicK = ""

    def fill_results(self, result) -> None:
        fields = self.results.format_result(result)
        for element_id, field in fields.items():
            el = document.getElementById(element_id)
            el.textContent = field.text
            el.dataset.value = field.value
            el.dataset.kind = field.kind
        document.getElementById("result-loglik-detail").textContent = fields[
            "result-loglik"
        ].detail
        document.getElementById("result-verdict-reason").textContent = fields[
            "result-verdict"
        ].detail
        notes = document.getElementById("result-notes")
        notes.replaceChildren()
        for note in result.get("notes", ()):
            li = document.createElement("li")
            li.textContent = str(note)
            notes.appendChild(li)
        notes.hidden = not result.get("notes")
        summary = document.getElementById("ic-summary")
        summary.textContent = self.results.ic_summary(
            int(result["best_k_bic"]),
            int(result["best_k_aic"]),
            true_k=int(result["settings"]["k"]),
        )
        summary.dataset.bicK = str(int(result["best_k_bic"]))
        summary.dataset.aicK = str(int(result["best_k_aic"]))

    # ------------------------------------------------------------------ drawing
    def draw_all(self) -> None:
        """Redraw every chart for the current model (or the empty states)."""
        model = self.model
        if model is None:
            for canvas, text in (
                (self.cluster, "Press Simulate to draw data and watch EM fit them"),
                (self.loglik, "Press Simulate to watch log L climb"),
                (self.ic, "AIC/BIC per K appear after a run"),
            ):
                canvas.fit()
                self.plotting.draw_empty(
                    canvas.ctx, canvas.width, canvas.height, canvas.dpr, text
                )
            self.draw_legend(None)
            return
        model.dirty.update(("cluster", "loglik", "ic", "progress"))
        self.draw_model(model)

    def draw_model(self, model) -> None:
        parts = model.take_dirty()
        resized = [c.fit() for c in (self.cluster, self.loglik, self.ic)]
        if resized[0] or "cluster" in parts:
            self.draw_cluster(model)
        if resized[1] or "loglik" in parts:
            self.draw_loglik(model)
        if resized[2] or "ic" in parts:
            self.draw_ic(model)
        if "progress" in parts:
            self.draw_label(model)

    def draw_progress(self, model) -> None:
        """While skipping the animation: only the label and the AIC/BIC chart."""
        parts = model.take_dirty()
        model.dirty.update(parts & {"cluster", "loglik"})  # drawn at the end
        if "ic" in parts:
            self.ic.fit()
            self.draw_ic(model)
        if "progress" in parts:
            self.draw_label(model)

    def draw_label(self, model) -> None:
        results = self.results
        label = document.getElementById("frame-label")
        s = model.settings
        if model.result is not None:
            r = model.result
            state = "converged" if r["converged"] else "capped"
            text = f"Final fit: {r['iterations']} iterations, {state}"
            if s["n_init"] > 1:
                text += f" (start {r['best_start'] + 1}, best of {s['n_init']})"
        elif model.sweep is not None and model.phase == "sweep":
            sw = model.sweep
            text = results.sweep_label(
                sw["k"], sw["start"], sw["iteration"], self.simulator.SWEEP_KS
            )
        elif model.frame is not None:
            f = model.frame
            text = results.frame_label(
                f["start"], f["n_starts"], f["iteration"], converged=f["converged"]
            )
        else:
            text = results.data_label(s["n"], s["k"])
        label.textContent = text

    def _view(self, model):
        """The data-to-pixel map of this run on the current canvas size."""
        c = self.cluster
        key = (id(model.data), c.width, c.height, c.dpr)
        if self._view_cache is None or self._view_cache[0] != key:
            np = self.np
            X = model.data["X"]
            pts = np.vstack([X, model.data["true_means"]])
            view = self.View.from_points(pts, c.width, c.height, dpr=c.dpr)
            self._view_cache = (key, view, view.to_px(X))
        return self._view_cache[1], self._view_cache[2]

    def _put_scatter(self, X_px, rgb, radius_px) -> None:
        c = self.cluster
        key = (c.width, c.height)
        if self._scatter is None or self._scatter[0] != key:
            buf = self.np.empty((c.height, c.width, 4), dtype=self.np.uint8)
            px = js.Uint8ClampedArray.new(c.width * c.height * 4)
            image = js.ImageData.new(px, c.width, c.height)
            self._scatter = (key, buf, px, image)
        _, buf, px, image = self._scatter
        self.raster.render_points(X_px, rgb, c.width, c.height, radius_px, out=buf)
        px.assign(buf)
        c.ctx.putImageData(image, 0, 0)

    def draw_cluster(self, model) -> None:
        """Scatter by responsibilities, 1σ/2σ ellipses, true centres.

        Canvas attributes (device pixels; ``data-dpr`` converts to CSS px):
        ``data-view`` (scale, cx, cy, plot_cx, plot_cy: pixel = plot_c +
        (data - c) * scale, y flipped), ``data-ellipses`` (per drawn component:
        centre ``cx, cy``, 1σ radii ``rx, ry``, canvas ``rotation``, ``color``),
        ``data-centres`` (true centres) and ``data-frame``.
        """
        if model.data is None:
            return
        np, palette, plotting = self.np, self.palette, self.plotting
        c = self.cluster
        view, X_px = self._view(model)
        k = int(model.settings["k"])
        source = model.result if model.result is not None else model.frame
        n = X_px.shape[0]
        radius = (2.6 if n <= 1000 else 2.1 if n <= 2500 else 1.7) * c.dpr
        if source is None:
            colours = None
            rgb = np.full((n, 3), 140, dtype=np.uint8)  # data only: grey
        else:
            colours = palette.component_colors(k, source["mapping"])
            rgb = palette.blend(source["resp"], colours)
        self._put_scatter(X_px, rgb, radius)
        plotting.draw_axes(c.ctx, view)
        drawn = []
        if source is not None:
            css = [palette.rgb_to_css(col) for col in colours]
            plotting.draw_ellipses(c.ctx, view, source["ellipses"], css)
            for e, colour in zip(source["ellipses"], css, strict=False):
                centre = view.to_px(np.asarray(e.center, dtype=float))
                drawn.append(
                    {
                        "cx": float(centre[0]),
                        "cy": float(centre[1]),
                        "rx": float(view.length_to_px(float(e.semi_axes[0]))),
                        "ry": float(view.length_to_px(float(e.semi_axes[1]))),
                        "rotation": -float(e.angle),
                        "color": colour,
                    }
                )
        true_means = model.data["true_means"]
        plotting.draw_true_centres(c.ctx, view, true_means)
        ds = c.el.dataset
        ds.dpr = repr(c.dpr)
        ds.view = json.dumps(
            {
                "scale": float(view.scale),
                "cx": float(view.cx),
                "cy": float(view.cy),
                "plot_cx": float(view.plot_cx),
                "plot_cy": float(view.plot_cy),
            }
        )
        ds.ellipses = json.dumps(drawn)
        ds.centres = json.dumps(view.to_px(true_means).tolist())
        ds.frame = (
            "final" if model.result is not None else str(model.counts.get("em", 0))
        )
        self.draw_legend(k)

    def draw_legend(self, k) -> None:
        """Swatches of the true clusters' colours (fitted components follow)."""
        legend = document.getElementById("cluster-legend")
        if str(legend.getAttribute("data-k") or "") == str(k):
            return
        legend.setAttribute("data-k", str(k))
        legend.replaceChildren()
        if k is None:
            return
        for j in range(k):
            li = document.createElement("li")
            swatch = document.createElement("span")
            swatch.className = "swatch"
            swatch.style.backgroundColor = self.palette.HEX[j]
            li.appendChild(swatch)
            li.appendChild(document.createTextNode(f"cluster {j + 1}"))
            legend.appendChild(li)
        for cls, text in (
            ("swatch-cross", "true centre"),
            ("swatch-solid", "1σ ellipse"),
            ("swatch-dashed", "2σ ellipse"),
        ):
            li = document.createElement("li")
            swatch = document.createElement("span")
            swatch.className = f"swatch {cls}"
            li.appendChild(swatch)
            li.appendChild(document.createTextNode(text))
            legend.appendChild(li)

    def draw_loglik(self, model) -> None:
        """Per-point log L per iteration: all starts faint, current/best bold.

        ``data-trace``: the bold series as JSON (full precision);
        ``data-best``: its 0-based start index.
        """
        c = self.loglik
        s = model.settings
        if model.result is not None:
            series = model.result["start_traces"]
            bold = int(model.result["best_start"])
        else:
            series = model.series
            bold = int(model.frame["start"]) if model.frame is not None else None
        shown, note = self.results.loglik_for_chart(series)
        self.plotting.draw_loglik_chart(
            c.ctx, c.width, c.height, shown, bold, int(s["iters"]), c.dpr
        )
        document.getElementById("loglik-note").textContent = note
        ds = c.el.dataset
        trace = series[bold] if bold is not None and bold < len(series) else []
        ds.trace = json.dumps([float(v) for v in trace])
        ds.best = "" if bold is None else str(bold)

    def draw_ic(self, model) -> None:
        """AIC/BIC per K; ``data-ks``, ``data-aic``, ``data-bic`` (JSON, null
        for K not computed yet)."""
        c = self.ic
        ks = self.simulator.SWEEP_KS
        if model.result is not None:
            aic = [float(v) for v in model.result["sweep_aic"]]
            bic = [float(v) for v in model.result["sweep_bic"]]
            ks = tuple(int(k) for k in model.result["sweep_ks"])
        else:
            aic, bic = model.ic_lists(ks)
            summary = document.getElementById("ic-summary")
            summary.textContent = self.results.ic_progress(list(model.ic), ks)
        self.plotting.draw_ic_chart(
            c.ctx,
            c.width,
            c.height,
            ks,
            aic,
            bic,
            c.dpr,
            current_k=int(model.settings["k"]),
        )
        ds = c.el.dataset
        ds.ks = json.dumps(list(ks))
        ds.aic = json.dumps(aic)
        ds.bic = json.dumps(bic)


def package_version(module) -> str:
    version = getattr(module, "__version__", None)
    if version:
        return str(version)
    from importlib import metadata

    try:
        return metadata.version(module.__name__)
    except metadata.PackageNotFoundError:
        return "unknown"


def start_app(numpy, emcore, info: dict) -> App:
    """Wire the page once numpy and emcore are importable."""
    app = App(numpy, emcore)
    app.setup()
    return app


async def boot() -> None:
    t0 = window.performance.now()
    try:
        info = read_build_info()
        numpy = await load_numpy(info)
        emcore = await load_emcore(info)
        app = start_app(numpy, emcore, info)
    except Exception as exc:  # anything: show it, never a dead page
        fail(exc)
        return
    elapsed = (window.performance.now() - t0) / 1000
    since_nav = window.performance.now() / 1000
    document.body.dataset.readyMs = str(round(window.performance.now()))
    document.getElementById("load-progress").hidden = True
    set_controls_enabled(True)
    set_status("ready")
    show_message(
        f"Ready: emcore {package_version(emcore)} on numpy {numpy.__version__} "
        f"(Pyodide {pyodide_js.version}); packages loaded in {elapsed:.1f} s, "
        f"page ready after {since_nav:.1f} s. Press Simulate, or change a "
        "setting: every change starts a new run."
    )
    try:
        app.after_ready()
    except Exception as exc:
        report_unexpected(exc, "starting the first run")


_boot_task = asyncio.ensure_future(boot())
