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
from pyodide.ffi import create_once_callable, create_proxy, to_js
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
    "k_true": "k-true",  # issue 5, item 3: a select, "" = same as K
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


# =========================================================================== issue 5
# Items 2 (your own data), 5 (model comparison) and 8 (sharing, embedding).
# App inherits these mixins; it calls their hooks from setup (setup_extras),
# read_controls (extra_query), _run (run_events), _view/draw_cluster (own
# data have no true centres), draw_ic (draw_comparison) and update_url
# (share_query). Pure logic lives in simapp.dataio, simapp.datasets,
# simapp.compare, simapp.sharing and simapp.export.

#: Controls that only describe simulated data (hidden for your own data).
SIMULATED_ONLY = ("n", "overlap", "k-true", "k_true")
#: Initial view of the click-to-add canvas (data units); it grows with the
#: points, so a click never moves the points already there.
CLICK_BOUNDS = ((-10.0, -10.0), (10.0, 10.0))
MAX_UPLOAD_BYTES = 2_000_000


def _element(element_id: str):
    """The element ``element_id``, or None if the page does not have it."""
    el = document.getElementById(element_id)
    return None if is_null(el) else el


class OwnDataMixin:
    """Item 2: a bundled dataset, an uploaded or pasted table, clicked points.

    State: ``data_kind`` (the ``#data-source`` value), ``own`` (the active
    data: ``X``, ``labels``, ``label_names``, ``title``, ``dataset``) and
    ``table`` (the parsed upload/paste, for the column pickers).
    """

    def setup_own_data(self, settings) -> None:
        from simapp import dataio, datasets

        self.dataio, self.datasets = dataio, datasets
        self.data_kind = "simulated"
        self.own = None
        self.table = None
        self.click_X, self.click_labels = None, None
        select = document.getElementById("dataset")
        select.replaceChildren()
        for name in datasets.names():
            option = document.createElement("option")
            option.value = name
            option.textContent = datasets.info(name).title
            select.appendChild(option)
        on("data-source", "change", guarded("choosing the data")(self.on_data_source))
        on("dataset", "change", guarded("loading the dataset")(self.on_dataset))
        on("data-file", "change", guarded("reading the file")(self.on_data_file))
        on("data-use-text", "click", guarded("reading the table")(self.on_data_text))
        for element_id in ("col-x", "col-y", "col-label"):
            on(element_id, "change", guarded("choosing columns")(self.on_columns))
        on("click-clear", "click", guarded("clearing the points")(self.on_click_clear))
        on("click-fit", "click", guarded("fitting the points")(self.on_click_fit))
        on("cluster-canvas", "click", guarded("adding a point")(self.on_canvas_click))
        if settings.data:
            document.getElementById("data-source").value = "dataset"
            select.value = settings.data
            self.set_data_kind("dataset")
            self.load_dataset(settings.data)

    # ------------------------------------------------------------------ state
    def set_data_kind(self, kind: str) -> None:
        """Show the rows of data source ``kind``; hide simulated-only controls."""
        self.data_kind = kind
        rows = {
            "dataset-row": kind == "dataset",
            "upload-row": kind == "upload",
            "paste-row": kind == "paste",
            "click-row": kind == "click",
            "columns-row": kind in ("upload", "paste") and self.table is not None,
        }
        for element_id, shown in rows.items():
            document.getElementById(element_id).hidden = not shown
        for element_id in SIMULATED_ONLY:
            el = _element(element_id)
            if el is None:
                continue
            box = el.closest(".control")
            (el if is_null(box) else box).hidden = kind != "simulated"
        document.body.dataset.dataSource = kind
        self.show_data_error("")
        if kind == "simulated":
            self.own = None
            self.show_data_notes([])
            document.getElementById("data-summary").textContent = ""

    def show_data_error(self, text: str) -> None:
        """A data problem in plain words (text, never HTML)."""
        el = document.getElementById("data-error")
        el.textContent = text
        el.hidden = not text
        if text:
            if not self.running:
                set_status("ready")
            show_message(f"Your data could not be used: {text}", "warn")

    def show_data_notes(self, notes) -> None:
        box = document.getElementById("data-notes")
        box.replaceChildren()
        for note in notes:
            li = document.createElement("li")
            li.textContent = str(note)
            box.appendChild(li)
        box.hidden = not notes

    def set_own(self, X, labels, label_names, title: str, dataset: str = "") -> None:
        """Make these points the data to fit, and say what they are."""
        self.own = {
            "X": X,
            "labels": labels,
            "label_names": tuple(label_names),
            "title": title,
            "dataset": dataset,
        }
        n_classes = len(label_names) if labels is not None else 0
        summary = f"{title}: {len(X)} points"
        if n_classes:
            summary += f", {n_classes} true classes ({', '.join(label_names[:6])})"
            summary += " - the ARI compares the fit with them."
        else:
            summary += ", no class column (no ARI)."
        el = document.getElementById("data-summary")
        el.textContent = summary
        el.dataset.n = str(len(X))
        el.dataset.classes = str(n_classes)
        document.body.dataset.ownN = str(len(X))

    def current_own(self) -> dict:
        if self.own is None:
            hint = {
                "upload": "choose a file first",
                "paste": "paste a table and press Use these data first",
                "click": "click the data chart to add points first",
                "dataset": "choose a dataset first",
            }.get(self.data_kind, "load data first")
            raise ValueError(f"there are no data to fit yet: {hint}")
        return self.own

    def own_active(self) -> bool:
        return getattr(self, "data_kind", "simulated") != "simulated"

    def run_events(self, settings):
        """``(model settings, event iterator)`` of a run of ``settings``."""
        kwargs = settings.to_run_kwargs()
        if not self.own_active():
            return kwargs, self.simulator.iterate(**kwargs)
        own = self.current_own()
        fit = {k: v for k, v in kwargs.items() if k in self.simulator.FIT_SETTINGS}
        events = self.simulator.iterate_data(own["X"], own["labels"], **fit)
        model_settings = {**fit, "n": len(own["X"]), "own": own["title"]}
        if self.data_kind == "click":
            events = self._with_view_points(events, own["X"])
        return model_settings, events

    def _with_view_points(self, events, X):
        """Add the click canvas's fixed frame to the ``data`` event."""
        corners = self.np.asarray(CLICK_BOUNDS, dtype=float)
        for event in events:
            if event["kind"] == "data":
                event = {**event, "view_points": corners}
            yield event

    def own_data_label(self, model) -> str:
        """Caption of the data-only frame of your own data ('' if simulated)."""
        title = model.settings.get("own")
        if not title:
            return ""
        n = len(model.data["X"]) if model.data is not None else 0
        if self.data_kind == "click" and model.counts.get("em", 0) == 0:
            return f"{n} clicked points: click to add more, then Fit these points"
        return f"{title}: {n} points; EM starts next"

    def show_own_data(self) -> None:
        """Draw the active own data without a fit (grey points)."""
        self.generation += 1  # cancels any running fit
        self.running = False
        own = self.own
        X = own["X"] if own is not None else self.np.empty((0, 2))
        labels = own["labels"] if own is not None else None
        settings, _ = self.read_controls()
        fit = {
            k: v
            for k, v in settings.to_run_kwargs().items()
            if k in self.simulator.FIT_SETTINGS
        }
        title = own["title"] if own is not None else "Your points"
        model = self.runstate.RunModel({**fit, "n": len(X), "own": title})
        event = {
            "kind": "data",
            "X": X,
            "labels_true": labels,
            "true_means": None,
            "true_covariances": None,
            "settings": {},
        }
        if self.data_kind == "click":
            event["view_points"] = self.np.asarray(CLICK_BOUNDS, dtype=float)
        model.apply(event)
        self.model = model
        explore = getattr(self, "explore", None)  # items 1/4/6/7 keep results
        if explore is not None and hasattr(explore, "reset"):
            explore.reset()
        self.clear_results()
        self.draw_all()
        self.update_share_buttons()
        set_status("ready")

    # ------------------------------------------------------------------ handlers
    def on_data_source(self, _event) -> None:
        kind = str(document.getElementById("data-source").value)
        self.table = None
        self.set_data_kind(kind)
        if kind == "simulated":
            self.on_change(None)
        elif kind == "dataset":
            self.load_dataset(str(document.getElementById("dataset").value))
            self.on_change(None)
        elif kind == "click":
            self.click_X, self.click_labels = None, None
            self.own = None
            document.getElementById("data-summary").textContent = ""
            self.show_own_data()
            show_message("Click the data chart to add points, then Fit these points.")
        else:
            self.own = None
            document.getElementById("data-summary").textContent = ""
            self.generation += 1
            self.running = False
            set_status("ready")
            what = "Choose a file" if kind == "upload" else "Paste a table"
            show_message(f"{what} with two numeric columns (and optionally a class).")
        self.update_url(self.settings_now())

    def settings_now(self):
        settings, _ = self.read_controls()
        return settings

    def load_dataset(self, name: str) -> None:
        X, labels, label_names, meta = self.datasets.load(name)
        info = document.getElementById("dataset-info")
        info.textContent = (
            f"{meta.description} x: {meta.x_label}; y: {meta.y_label}. "
            f"Source: {meta.source} Licence: {meta.licence}"
        )
        self.set_own(X, labels, label_names, meta.title, dataset=name)
        self.show_data_notes([])

    def on_dataset(self, _event) -> None:
        self.load_dataset(str(document.getElementById("dataset").value))
        self.on_change(None)

    def on_data_file(self, _event) -> None:
        files = document.getElementById("data-file").files
        if not files or not files.length:
            return
        asyncio.ensure_future(self._read_file(files.item(0)))

    async def _read_file(self, file) -> None:
        try:
            size = int(file.size)
            if size > MAX_UPLOAD_BYTES:
                self.show_data_error(
                    f"the file is {size / 1e6:.1f} MB; the limit is "
                    f"{MAX_UPLOAD_BYTES / 1e6:.0f} MB. Keep two numeric columns "
                    "(and a class) or fewer rows."
                )
                return
            buffer = await file.arrayBuffer()
            self.use_table_text(buffer.to_bytes(), str(file.name))
        except Exception as exc:
            report_unexpected(exc, "reading the file")

    def on_data_text(self, _event) -> None:
        self.use_table_text(str(document.getElementById("data-text").value), "")

    def use_table_text(self, text, file_name: str) -> None:
        """Parse a table, fill the column pickers, select and fit."""
        self.own = None
        try:
            table = self.dataio.parse_table(text)
        except self.dataio.DataError as exc:
            self.table = None
            document.getElementById("columns-row").hidden = True
            self.show_data_notes([])
            self.show_data_error(str(exc))
            return
        self.table = table
        self.source_name = file_name
        x, y, label = table.suggest()
        for element_id, choice, optional in (
            ("col-x", x, False),
            ("col-y", y, False),
            ("col-label", label, True),
        ):
            select = document.getElementById(element_id)
            select.replaceChildren()
            if optional:
                none = document.createElement("option")
                none.value = ""
                none.textContent = "(none: no ARI)"
                select.appendChild(none)
            for name in table.columns:
                option = document.createElement("option")
                option.value = name
                option.textContent = name
                select.appendChild(option)
            select.value = choice or ""
        document.getElementById("columns-row").hidden = False
        self.select_columns(run=True)

    def on_columns(self, _event) -> None:
        self.select_columns(run=True)

    def select_columns(self, *, run: bool) -> None:
        table = self.table
        if table is None:
            return
        x = str(document.getElementById("col-x").value)
        y = str(document.getElementById("col-y").value)
        label = str(document.getElementById("col-label").value) or None
        settings = self.settings_now()
        try:
            if not x or not y:
                raise self.dataio.DataError(
                    "the table needs two numeric columns for x and y; none or "
                    f"only one was found among {', '.join(table.columns[:8])}"
                )
            sel = table.select(x, y, label, n_components=settings.k)
        except self.dataio.DataError as exc:
            self.own = None
            self.show_data_notes(list(table.notes))
            self.show_data_error(str(exc))
            return
        self.show_data_error("")
        self.show_data_notes([*table.notes, *sel.notes])
        name = getattr(self, "source_name", "") or "Your pasted table"
        self.set_own(sel.X, sel.labels, sel.label_names, f"{name} ({x}, {y})")
        if run:
            self.start_run(settings)

    def on_click_clear(self, _event) -> None:
        self.click_X, self.click_labels = None, None
        self.own = None
        document.getElementById("data-summary").textContent = ""
        self.show_data_error("")
        self.show_own_data()

    def on_click_fit(self, _event) -> None:
        self.start_run(self.settings_now())

    def on_canvas_click(self, event) -> None:
        if self.data_kind != "click" or self.model is None or self.model.data is None:
            return
        canvas = self.cluster
        rect = canvas.el.getBoundingClientRect()
        if rect.width < 1 or rect.height < 1:
            return
        px = (
            (float(event.clientX) - float(rect.left)) * canvas.width / float(rect.width)
        )
        py = (
            (float(event.clientY) - float(rect.top))
            * canvas.height
            / float(rect.height)
        )
        view, _ = self._view(self.model)
        x, y = (float(v) for v in view.to_data([px, py]))
        choice = str(document.getElementById("click-class").value)
        label = int(choice) if choice else None
        try:
            X, labels = self.dataio.add_point(
                self.click_X, self.click_labels, x, y, label
            )
        except self.dataio.DataError as exc:
            self.show_data_error(str(exc))
            return
        self.show_data_error("")
        self.click_X, self.click_labels = X, labels
        names = (
            ()
            if labels is None
            else tuple(f"class {j + 1}" for j in range(int(labels.max()) + 1))
        )
        self.set_own(X, labels, names, "Your clicked points")
        self.show_own_data()


class CompareMixin:
    """Item 5: a criterion against K, one line per covariance type."""

    def setup_compare(self, settings) -> None:
        from simapp import compare

        self.compare = compare
        document.getElementById("compare").checked = bool(settings.compare)
        document.getElementById("compare-extra").hidden = not settings.compare
        on("compare", "change", guarded("switching the comparison")(self.on_compare))
        for element_id in ("ic-criterion", "ic-higher"):
            on(
                element_id,
                "change",
                guarded("redrawing the comparison")(self.on_ic_view),
            )

    def on_compare(self, _event) -> None:
        shown = bool(document.getElementById("compare").checked)
        document.getElementById("compare-extra").hidden = not shown
        self.on_change(None)  # the sweep itself changes: a new run

    def on_ic_view(self, _event) -> None:
        if self.model is not None and not self.running:
            self.ic.fit()
            self.draw_ic(self.model)

    def comparison_wanted(self, model) -> bool:
        return bool(model.settings.get("compare"))

    def draw_comparison(self, model) -> None:
        """The mclust-style chart. ``#ic-canvas`` then carries
        ``data-comparison`` (JSON: ks, criterion, higher_is_better, series
        per type as plotted), ``data-y-label``, ``data-best-model`` (JSON
        ``[cov, k]`` by the chosen criterion) besides ``data-ks``,
        ``data-aic``, ``data-bic`` of the run's own type."""
        compare = self.compare
        c = self.ic
        ks = self.simulator.SWEEP_KS
        if model.result is not None:
            cells = compare.cells_from_result(model.result)
            aic = [float(v) for v in model.result["sweep_aic"]]
            bic = [float(v) for v in model.result["sweep_bic"]]
            ks = tuple(int(k) for k in model.result["sweep_ks"])
        else:
            cells = model.comparison
            aic, bic = model.ic_lists(ks)
        criterion = str(document.getElementById("ic-criterion").value or "bic")
        higher = bool(document.getElementById("ic-higher").checked)
        series = compare.series(cells, ks, criterion, higher_is_better=higher)
        best = compare.best_cell(cells, criterion)
        y_label = compare.axis_label(criterion, higher_is_better=higher)
        s = model.settings
        self.plotting.draw_comparison_chart(
            c.ctx,
            c.width,
            c.height,
            ks,
            series,
            c.dpr,
            y_title=y_label,
            best=best,
            current=(str(s["cov"]), int(s["k"])),
        )
        ds = c.el.dataset
        ds.ks = json.dumps(list(ks))
        ds.aic = json.dumps(aic)
        ds.bic = json.dumps(bic)
        ds.comparison = json.dumps(
            {
                "ks": list(ks),
                "criterion": criterion,
                "higher_is_better": higher,
                "series": series,
            }
        )
        ds.yLabel = y_label
        ds.bestModel = json.dumps(best)
        summary = document.getElementById("compare-summary")
        done = model.result is not None
        summary.textContent = compare.best_text(best, criterion, complete=done)
        summary.dataset.bestModel = json.dumps(best) if done else ""
        summary.hidden = False

    def hide_comparison(self) -> None:
        for name in ("data-comparison", "data-y-label", "data-best-model"):
            self.ic.el.removeAttribute(name)
        document.getElementById("compare-summary").hidden = True


class ShareMixin:
    """Item 8: copy link, PNG/JSON/snippet downloads, the ``embed=1`` layout."""

    def setup_share(self, settings) -> None:
        from simapp import export, sharing

        self.export, self.sharing = export, sharing
        self.embedded = bool(settings.embed)
        if settings.embed:
            document.body.classList.add("embed")
            document.body.dataset.embed = "1"
            document.getElementById("open-full").hidden = False
        downloads = {
            "png-cluster": lambda _e: self.download_canvas(self.cluster, "cluster"),
            "png-loglik": lambda _e: self.download_canvas(self.loglik, "loglik"),
            "png-ic": lambda _e: self.download_canvas(self.ic, "ic"),
            "export-json": self.on_export_json,
            "export-snippet": self.on_export_snippet,
        }
        for element_id, handler in downloads.items():
            on(element_id, "click", guarded("preparing the download")(handler))
        on("copy-link", "click", guarded("copying the link")(self.on_copy_link))
        self.update_share_buttons()

    def extra_query(self) -> dict[str, str]:
        """The page options of items 2, 5 and 8 as query values."""
        dataset = ""
        if getattr(self, "data_kind", "simulated") == "dataset":
            dataset = str(document.getElementById("dataset").value)
        return {
            "compare": "1" if document.getElementById("compare").checked else "0",
            "data": dataset,
            "embed": "1" if getattr(self, "embedded", False) else "0",
        }

    def share_query(self, settings) -> str:
        """The link's query: exact for simulated data and bundled datasets;
        only the fit settings (not running) for other own data."""
        kind = getattr(self, "data_kind", "simulated")
        if kind in ("simulated", "dataset"):
            query = self.S.settings_to_query(settings, run=True)
        else:
            query = self.S.settings_to_query(settings.with_changes(data=""), run=False)
        self.update_share_link(query, kind)
        self.update_share_buttons()
        return query

    def update_share_link(self, query: str, kind: str) -> None:
        base = f"{js.location.origin}{js.location.pathname}"
        document.getElementById("share-url").value = f"{base}?{query}"
        note = document.getElementById("share-note")
        note.textContent = self.sharing.link_note(kind)
        note.dataset.kind = kind
        full = self.sharing.full_simulator_query(query)
        document.getElementById("open-full").href = f"{base}?{full}"

    def update_share_buttons(self) -> None:
        done = (
            not self.running
            and self.model is not None
            and self.model.result is not None
        )
        for element_id in ("png-cluster", "png-loglik", "png-ic", "export-json"):
            document.getElementById(element_id).disabled = not done
        document.getElementById("export-snippet").disabled = self.settings is None

    def data_source_name(self) -> str:
        """``simulated``, the dataset's key, or ``your-upload`` etc."""
        kind = getattr(self, "data_kind", "simulated")
        if kind == "dataset":
            return str(document.getElementById("dataset").value)
        return kind if kind == "simulated" else f"your-{kind}"

    def _file_name(self, what: str, ext: str) -> str:
        s = self.model.settings if self.model is not None else {}
        settings = self.settings
        source = self.data_source_name()
        return self.sharing.file_name(
            what,
            ext,
            k=int(s.get("k", settings.k)),
            cov=str(s.get("cov", settings.cov)),
            seed=int(s.get("seed", settings.seed)),
            source=source,
        )

    def _save(self, blob, name: str) -> None:
        url = js.URL.createObjectURL(blob)
        link = document.createElement("a")
        link.href = url
        link.download = name
        link.hidden = True
        document.body.appendChild(link)
        link.click()
        link.remove()
        js.setTimeout(create_once_callable(lambda: js.URL.revokeObjectURL(url)), 30_000)
        status = document.getElementById("share-status")
        status.textContent = f"Downloaded {name}."
        status.dataset.file = name

    def download_text(self, text: str, name: str, mime: str) -> None:
        options = to_js({"type": mime}, dict_converter=js.Object.fromEntries)
        self._save(js.Blob.new(to_js([text]), options), name)

    def download_canvas(self, canvas, what: str) -> None:
        name = self._file_name(what, "png")

        def saved(blob) -> None:
            try:
                if is_null(blob):
                    raise ValueError("the browser could not encode the chart as PNG")
                self._save(blob, name)
            except Exception as exc:
                report_unexpected(exc, "saving the chart")

        canvas.el.toBlob(create_once_callable(saved), "image/png")

    def _export_settings(self) -> dict:
        result = self.model.result
        settings = dict(result["settings"])
        settings["data"] = self.data_source_name()
        if self.own_active() and self.own is not None:
            settings["data_title"] = self.own["title"]
        return settings

    def on_export_json(self, _event) -> None:
        if self.model is None or self.model.result is None:
            raise ValueError("there is no finished fit to export yet")
        text = self.export.params_json(self.model.result, self._export_settings())
        self.download_text(
            text + "\n", self._file_name("params", "json"), "application/json"
        )

    def on_export_snippet(self, _event) -> None:
        settings = self.settings_now()
        values = {
            k: getattr(settings, k) for k in ("k", "n", "overlap", "cov", "iters")
        }
        values.update(tol=settings.tol, seed=settings.seed, n_init=settings.n_init)
        if self.own_active():
            own = self.current_own()
            text = self.export.sklearn_snippet(values, X=own["X"], labels=own["labels"])
        else:
            k_true = getattr(settings, "k_true", None)
            if k_true is not None and k_true != settings.k:
                text = self.export.sklearn_snippet(
                    {**values, "k": k_true}, n_components=settings.k
                )
            else:
                text = self.export.sklearn_snippet(values)
        self.download_text(text, self._file_name("sklearn", "py"), "text/x-python")

    def on_copy_link(self, _event) -> None:
        asyncio.ensure_future(self._copy_link())

    async def _copy_link(self) -> None:
        field = document.getElementById("share-url")
        status = document.getElementById("share-status")
        try:
            await window.navigator.clipboard.writeText(field.value)
            status.textContent = "Link copied."
        except Exception:
            field.focus()
            field.select()
            status.textContent = "Press Ctrl+C (or Cmd+C) to copy the selected link."
        status.dataset.file = ""


class ExtrasMixin(OwnDataMixin, CompareMixin, ShareMixin):
    """Items 2, 5 and 8 together; App calls :meth:`setup_extras` once."""

    def setup_extras(self, settings) -> None:
        self.setup_compare(settings)
        self.setup_share(settings)
        self.setup_own_data(settings)


class App(ExtrasMixin):
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
        self._view_cache = None  # (key, View, X in pixels, data)
        self._resize_pending = False
        self.stats: dict = {}
        self.explore = Explorer(self)  # issue 5, items 1, 3, 4, 6, 7

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
        self.setup_extras(settings)  # issue 5, items 2, 5, 8
        self.explore.setup()  # issue 5, items 1, 3, 4, 6, 7
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
            if name == "k_true" and value == s.k:
                text = ""  # "same as K"
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
        query.update(self.extra_query())  # compare, data, embed (items 2, 5, 8)
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
        query = self.share_query(settings)  # items 2/8: what a link can carry
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
        kwargs, events = self.run_events(settings)  # simulated or your own data
        events = self.explore.tap(events)  # records the step-through history
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
                    pass  # computing the result filled this frame; see below
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
        # the final fit is drawn, then reported, each in a frame of its own:
        # with the result's computation that makes three short frames, not one
        # long pause at the end of every run
        await next_frame()
        if generation != self.generation:
            return
        t0 = now()
        self.draw_model(model)
        slowest = max(slowest, (now() - t0, "draw final"))
        await next_frame()
        if generation != self.generation:
            return
        self.report(model, now() - t_start, em_times, draw_ms, slowest)

    def report(self, model, run_s, em_times, draw_ms, slowest) -> None:
        """Statistics of the finished run, then the results panels."""
        self.running = False
        fps = None
        if len(em_times) > 2:
            fps = (len(em_times) - 1) / (em_times[-1] - em_times[0])
        if draw_ms:
            document.body.dataset.drawMsMedian = (
                f"{sorted(draw_ms)[len(draw_ms) // 2]:.1f}"
            )
        self.finish(model, run_s, fps, slowest)

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
        self.explore.on_done(model)  # starts, k-means, fit versus truth
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
            + ("n/a" if result["ari"] is None else f"{result['ari']:.3f}")
            + f", local-optima check {result['verdict']}. "
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
            true_k=None
            if self.own_active()
            else int(result["settings"].get("k_true") or result["settings"]["k"]),
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
            self.explore.draw_panels()
            return
        self.explore.draw_panels()
        model.dirty.update(("cluster", "loglik", "ic", "progress"))
        self.draw_model(model)

    def draw_model(self, model) -> None:
        parts = model.take_dirty()
        resized = [c.fit() for c in (self.cluster, self.loglik, self.ic)]
        # a paused history position or a picked start stays on the canvas
        if resized[0] or ("cluster" in parts and not self.explore.holds_canvas()):
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
        if self.explore.holds_canvas():
            return  # the caption describes the history position / start shown
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
            text = self.own_data_label(model) or results.data_label(
                s["n"], s.get("k_true", s["k"])
            )
        label.textContent = text

    def _view(self, model):
        """The data-to-pixel map of this run on the current canvas size."""
        c = self.cluster
        # the data object itself, not only its id: a freed dict's id is reused
        key = (id(model.data), c.width, c.height, c.dpr)
        cache = self._view_cache
        if cache is None or cache[0] != key or cache[3] is not model.data:
            np = self.np
            X = model.data["X"]
            extra = model.data.get("view_points")  # click-to-add frame
            if extra is None:
                extra = model.data["true_means"]  # None for your own data
            pts = X if extra is None else np.vstack([X, extra])
            view = self.View.from_points(pts, c.width, c.height, dpr=c.dpr)
            self._view_cache = (key, view, view.to_px(X), model.data)
        return self._view_cache[1], self._view_cache[2]

    def _put_scatter(self, X_px, rgb, radius_px, alpha=1.0, source=None) -> None:
        c = self.cluster
        key = (c.width, c.height)
        if self._scatter is None or self._scatter[0] != key:
            buf = self.np.empty((c.height, c.width, 4), dtype=self.np.uint8)
            px = js.Uint8ClampedArray.new(c.width * c.height * 4)
            image = js.ImageData.new(px, c.width, c.height)
            self._scatter = (key, buf, px, image)
        _, buf, px, image = self._scatter
        self.raster.render_points(
            X_px, rgb, c.width, c.height, radius_px, alpha, out=buf
        )
        px.assign(buf)
        self.explore.put_scatter(c, image, source)  # over the density, if shown

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
        source = self.explore.cluster_source(model)  # live, history or a start
        n = X_px.shape[0]
        radius = (2.6 if n <= 1000 else 2.1 if n <= 2500 else 1.7) * c.dpr
        if source is None:
            colours = None
            rgb = np.full((n, 3), 140, dtype=np.uint8)  # data only: grey
        else:
            colours = palette.component_colors(k, source["mapping"])
            if source["resp"] is None:  # the initial parameters: no E-step yet
                rgb = np.full((n, 3), 140, dtype=np.uint8)
            else:
                rgb = palette.blend(source["resp"], colours)
        alpha = self.explore.point_alpha(source, k)  # uncertainty view
        c.el.dataset.uncertainty = "off" if isinstance(alpha, float) else "on"
        self._put_scatter(X_px, rgb, radius, alpha, source)
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
        if true_means is not None:  # None for your own data
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
        ds.centres = json.dumps(
            [] if true_means is None else view.to_px(true_means).tolist()
        )
        ds.frame = (
            "final" if model.result is not None else str(model.counts.get("em", 0))
        )
        ds.source = self.explore.source_name(model)
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
        if self.comparison_wanted(model):  # item 5: one line per type
            self.draw_comparison(model)
            return
        self.hide_comparison()
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


# --------------------------------------------------------------------------- explore
# Issue 5, items 1, 3, 4, 6 and 7 (step-through EM, true K versus model K,
# multi-start made visible, k-means side by side, uncertainty view). The App
# calls in at a few points: tap() wraps the simulator's events, cluster_source()
# / point_alpha() / put_scatter() shape the clustering canvas, holds_canvas()
# stops the live loop from drawing over a paused history, on_done() fills the
# panels, draw_panels() redraws them on resize. The logic that needs no browser
# lives in simapp.explore and simapp.timeline.
DENSITY_RGB = (40, 70, 120)  # background shading of the mixture density


class Explorer:
    """Timeline controls, start picker, k-means panel and view options."""

    def __init__(self, app: App) -> None:
        from simapp import density, explore, timeline

        self.app = app
        self.np = app.np
        self.density, self.ex, self.tlm = density, explore, timeline
        self.timeline = None  # simapp.timeline.Timeline of the current run
        self.player = None  # simapp.timeline.Player over it
        self.mode = "live"  # live (as computed) | timeline | start
        self.selected = None  # start shown in mode "start"
        self.result = None
        self.running = False
        self._looping = False  # the play loop is running
        self._state = None  # FrameState last drawn in timeline mode
        self._density = None  # (key, canvas size, Uint8ClampedArray, ImageData)
        self._density_buf = None
        self._scratch = None  # offscreen canvas: scatter composited on density
        self._km = None  # (size, numpy buffer, Uint8ClampedArray, ImageData)
        self.density_computed = 0
        self.starts_canvas = Canvas("starts-canvas")
        self.kmeans_canvas = Canvas("kmeans-canvas")
        self._dots: list = []
        self._token = None
        self._synced = None  # what sync_ui last wrote

    def el(self, element_id: str):
        return document.getElementById(element_id)

    # ------------------------------------------------------------------ wiring
    def setup(self) -> None:
        g = guarded
        on("tl-play", "click", g("playing the EM history")(self.on_play))
        on("tl-step", "click", g("stepping through EM")(lambda _e: self.step(1)))
        on("tl-back", "click", g("stepping through EM")(lambda _e: self.step(-1)))
        on("tl-final", "click", g("showing the final fit")(self.on_final))
        on("tl-slider", "input", g("scrubbing the EM history")(self.on_slider))
        on("tl-speed", "input", g("changing the speed")(self.on_speed))
        for element_id in ("show-uncertainty", "show-density"):
            on(element_id, "change", g("changing the view")(self.on_view))
        on("starts-list", "click", g("showing a start")(self.on_pick))
        on("starts-canvas", "click", g("showing a start")(self.on_starts_canvas))
        on_target(document, "keydown", g("playing the EM history")(self.on_key))
        self.sync_ui()

    def tap(self, events):
        """Pass the simulator's events through, recording the EM history."""
        token = object()  # a cancelled run's generator closes later
        self._token = token
        self.reset()
        self.running = True
        try:
            for event in events:
                self.record(event)
                yield event
        finally:
            if self._token is token:
                self.running = False
            events.close()

    def reset(self) -> None:
        self.timeline = self.player = self.result = self._state = None
        self.mode, self.selected = "live", None
        self._dots = []
        for element_id in ("fit-vs-truth",):
            self.el(element_id).hidden = True
        self.el("starts-list").replaceChildren()
        self.el("starts-summary").textContent = "The starts appear after the fit."
        self.el("kmeans-summary").textContent = "K-means appears after the fit."
        for element_id in ("ari-gmm", "ari-kmeans"):
            el = self.el(element_id)
            el.textContent, el.dataset.value = "–", ""
        self.draw_panels()
        self.sync_ui()

    def record(self, event) -> None:
        kind = event["kind"]
        if kind == "data":
            k = int(event["settings"]["k"])
            self.timeline = self.tlm.Timeline(k, "full")
            speed = float(self.el("tl-speed").value or 5)
            self.player = self.tlm.Player(self.timeline, speed)
        elif self.timeline is None:
            return
        elif kind == "init":
            self.timeline.begin_start(
                event["start"], event["weights"], event["means"], event["covariances"]
            )
        elif kind == "em":
            self.timeline.append_frame(event)
        elif kind == "done":
            self.result = event["result"]
            self.running = False

    # ------------------------------------------------------------------ state
    def holds_canvas(self) -> bool:
        """True while the clustering canvas shows a history position or a start
        (the live loop then leaves it alone)."""
        return self.mode != "live"

    def _data(self):
        model = self.app.model
        if model is None or model.data is None:
            return None, None, None
        data = model.data
        n_true = data["settings"].get("k_true")
        return data["X"], data.get("labels_true"), n_true

    def cluster_source(self, model):
        """What draw_cluster draws: the live frame / result, a history
        position or a start's solution (duck-typed mappings)."""
        X, labels_true, n_true = self._data()
        tl = self.timeline
        source = model.result if model.result is not None else model.frame
        history = tl is not None and tl.n_positions() and X is not None
        if self.mode == "timeline" and history:
            pos = min(self.player.position, tl.n_positions() - 1)
            self._state, source = self.ex.timeline_drawable(
                tl, X, pos, labels_true, n_true
            )
        elif self.mode == "start" and self.result is not None and X is not None:
            source = self.ex.start_drawable(
                tl, X, self.result, self.selected, labels_true, n_true
            )
        self.sync_ui()
        return source

    def source_name(self, model) -> str:
        if self.mode == "timeline":
            return "timeline"
        if self.mode == "start":
            return f"start:{self.selected}"
        return "final" if model.result is not None else "live"

    def point_alpha(self, source, k: int):
        """Per-point opacity 1 − uncertainty (scaled) when the view asks."""
        if source is None or not self.el("show-uncertainty").checked:
            return 1.0
        resp = source["resp"]
        if resp is None:
            return 1.0
        u = self.density.uncertainty(resp)
        return self.density.alpha_for_uncertainty(u, k, low=0.12)

    @staticmethod
    def _params_of(source):
        if source is None:
            return None
        if hasattr(source, "params"):  # simapp.explore.Drawable
            return source.params
        if source.get("weights") is None or source.get("covariances") is None:
            return None
        return (source["weights"], source["means"], source["covariances"])

    def put_scatter(self, c, image, source) -> None:
        """Put the scatter on the canvas, over the mixture density if asked.

        The density image is recomputed only when the drawn parameters or the
        canvas size change (not on every frame while paused).
        """
        params = self._params_of(source) if self.el("show-density").checked else None
        ds = c.el.dataset
        if params is None:
            c.ctx.putImageData(image, 0, 0)
            ds.density = "off"
            return
        if not hasattr(params, "weights"):
            params = self.tlm.Params(*(self.np.asarray(p) for p in params))
        key = (self.ex.params_key(params), c.width, c.height)
        if self._density is None or self._density[0] != key:
            np, d = self.np, self.density
            view, _ = self.app._view(self.app.model)
            grid = d.density_grid(
                params.weights,
                params.means,
                params.covariances,
                d.canvas_bounds(view),
                c.width,
                c.height,
                step_px=max(2, round(4 * c.dpr)),
            )
            shape = (c.height, c.width, 4)
            if self._density_buf is None or self._density_buf.shape != shape:
                self._density_buf = np.empty(shape, dtype=np.uint8)
                px = js.Uint8ClampedArray.new(c.width * c.height * 4)
                self._density = (None, px, js.ImageData.new(px, c.width, c.height))
            d.density_image(grid, c.width, c.height, DENSITY_RGB, out=self._density_buf)
            px, img = self._density[1], self._density[2]
            px.assign(self._density_buf)
            self._density = (key, px, img)
            self.density_computed += 1
        c.ctx.putImageData(self._density[2], 0, 0)
        scratch = self._scratch
        if scratch is None:
            scratch = self._scratch = document.createElement("canvas")
        if int(scratch.width) != c.width or int(scratch.height) != c.height:
            scratch.width, scratch.height = c.width, c.height
        scratch.getContext("2d").putImageData(image, 0, 0)
        c.ctx.drawImage(scratch, 0, 0)
        ds.density = "on"
        ds.densityComputed = str(self.density_computed)

    # ------------------------------------------------------------------ timeline UI
    def n_positions(self) -> int:
        tl = self.timeline
        return tl.n_positions() if tl is not None and tl.n_starts else 0

    def sync_ui(self) -> None:
        """Mirror the timeline's state into its controls and data attributes."""
        n = self.n_positions()
        player = self.player
        if player is not None and self.mode == "live" and n:
            player.position = n - 1  # the live view is the newest position
        pos = player.position if player is not None and n else 0
        playing = bool(player is not None and player.playing)
        signature = (
            n,
            pos,
            self.mode,
            self.selected,
            playing,
            self.running,
            id(self.result),
            id(self._state),
        )
        if signature == self._synced:
            return  # nothing changed: no DOM writes (called on every frame)
        self._synced = signature
        box = self.el("timeline").dataset
        slider = self.el("tl-slider")
        slider.max = str(max(n - 1, 0))
        slider.value = str(pos)
        for element_id in ("tl-back", "tl-step", "tl-slider", "tl-play"):
            self.el(element_id).disabled = n == 0
        self.el("tl-final").disabled = self.mode == "live" or self.result is None
        live_running = self.mode == "live" and self.running
        play = self.el("tl-play")
        pause = playing or live_running
        play.textContent = "❚❚ Pause" if pause else "▶ Play"
        play.setAttribute("aria-pressed", "true" if pause else "false")
        box.mode = self.mode
        box.positions = str(n)
        box.playing = "true" if playing else "false"
        label = self.el("tl-label")
        if self.mode == "timeline" and self._state is not None and n:
            st = self._state
            box.position, box.phase = str(pos), st.phase
            box.start, box.iteration = str(st.start), str(st.iteration)
            text = self.ex.timeline_label(st, self.timeline.n_starts)
        else:
            box.position = str(pos) if n else ""
            if self.mode == "start":
                box.phase = "start"
            elif self.result is not None:
                box.phase = "final"
            else:
                box.phase = "live" if n else ""
            box.start = box.iteration = ""
            if self.mode == "start":
                text = (
                    f"Showing start {self.selected + 1}'s final solution; press "
                    "Final fit or the best start to return."
                )
            elif self.result is not None:
                text = (
                    f"Final fit ({starts(self.timeline.n_starts)} recorded, "
                    f"{n} half-steps). Play replays every start; Step, Back and "
                    "the slider move half an iteration at a time."
                )
            elif n:
                text = "EM is running: Pause or Step to inspect it half-step by step."
            else:
                text = "Step through the fit once EM has run (Space plays and pauses)."
        if str(label.textContent) != text:
            label.textContent = text
        slider.setAttribute("aria-valuetext", text)
        if self.mode != "live":  # the caption above the canvas says so too
            st = self._state
            if self.mode == "start":
                head = f"Start {self.selected + 1}'s final solution"
            elif st is not None:
                words = {"init": "initial", "e": "after the E-step", "m": ""}
                head = f"History: start {st.start + 1}, iteration {st.iteration}"
                head += f" {words[st.phase]}" if words[st.phase] else " (M-step)"
            else:
                head = "History"
            self.el("frame-label").textContent = head

    def redraw(self) -> None:
        """Draw the clustering canvas now; ``data-redraw-ms`` says how long."""
        model = self.app.model
        if model is not None and model.data is not None:
            t0 = now()
            self.app.cluster.fit()
            self.app.draw_cluster(model)
            self.app.cluster.el.dataset.redrawMs = f"{(now() - t0) * 1000:.1f}"
        else:
            self.sync_ui()

    def enter_timeline(self, position=None) -> None:
        if self.player is None or not self.n_positions():
            return
        was_live = self.mode != "timeline"
        self.mode, self.selected = "timeline", None
        if position is not None:
            self.player.seek(position)
        elif was_live and self.result is not None:
            self.player.seek(self.player.last)
        if self.result is not None:
            self.draw_starts()

    def on_play(self, _event) -> None:
        if self.player is None or not self.n_positions():
            return
        if self.mode != "timeline":
            self.enter_timeline()
            if self.running:  # Pause during a run: freeze at the newest position
                self.player.pause()
                self.redraw()
                return
            self.player.play()  # from the final fit: replay from the start
        else:
            self.player.toggle()
        self.redraw()
        if self.player.playing:
            asyncio.ensure_future(self._play_loop())

    def step(self, delta: int) -> None:
        if self.player is None or not self.n_positions():
            return
        if self.mode != "timeline":
            self.enter_timeline()
            if self.result is not None and delta > 0 and not self.running:
                self.player.seek(-1)  # stepping on from the final fit: from 0
                self.player.pause()
                self.redraw()
                return
        self.player.step(delta)
        self.redraw()

    def on_final(self, _event) -> None:
        if self.player is not None:
            self.player.pause()
        self.show_live()

    def show_live(self) -> None:
        """Back to what the run computed (the final fit, or the live frame)."""
        self.mode, self.selected = "live", None
        self.redraw()
        self.draw_starts()
        if self.result is not None:
            self.build_start_buttons()
        model = self.app.model
        if model is not None:
            self.app.draw_label(model)

    def on_slider(self, event) -> None:
        if self.player is None:
            return
        self.enter_timeline(int(float(event.target.value)))
        self.player.pause()
        self.redraw()

    def on_speed(self, event) -> None:
        if self.player is not None:
            self.player.speed = float(event.target.value)

    def on_view(self, _event) -> None:
        model = self.app.model
        if model is not None and model.data is not None:
            self.redraw()

    def on_key(self, event) -> None:
        """Space plays/pauses unless a control that uses Space has the focus."""
        if str(event.key) != " " or event.ctrlKey or event.altKey or event.metaKey:
            return
        target = event.target
        tag = str(getattr(target, "tagName", "") or "").upper()
        if tag in ("BUTTON", "SELECT", "TEXTAREA", "A", "SUMMARY", "OPTION"):
            return
        if tag == "INPUT" and str(target.type) != "range":
            return
        if tag == "INPUT" and str(target.id) != "tl-slider":
            return
        if not self.n_positions():
            return
        event.preventDefault()
        self.on_play(None)

    async def _play_loop(self) -> None:
        if self._looping:
            return
        self._looping = True
        player = self.player
        try:
            while player is self.player and player.playing and self.mode == "timeline":
                await next_frame()
                if player is not self.player:
                    break
                if player.tick():
                    self.redraw()
                elif not player.playing:
                    self.sync_ui()
        except Exception as exc:
            report_unexpected(exc, "playing the EM history")
        finally:
            self._looping = False
            if player is self.player:
                self.sync_ui()

    # ------------------------------------------------------------------ panels
    def on_done(self, model) -> None:
        """Fill the panels that need the whole result."""
        result = model.result
        self.result = result
        s = result["settings"]
        k, k_true = int(s["k"]), s.get("k_true")
        text, kind = self.ex.fit_vs_truth(k, k_true, int(result["best_k_bic"]))
        el = self.el("fit-vs-truth")
        el.textContent = text
        ds = el.dataset
        ds.kind, ds.k, ds.bicK = kind, str(k), str(int(result["best_k_bic"]))
        ds.kTrue = "" if k_true is None else str(int(k_true))
        el.hidden = False
        starts_ = result["starts"]
        summary = self.el("starts-summary")
        summary.textContent = self.ex.starts_summary(
            int(result["n_optima"]), int(result["best_hits"]), len(starts_)
        )
        summary.dataset.nOptima = str(int(result["n_optima"]))
        summary.dataset.bestHits = str(int(result["best_hits"]))
        summary.dataset.nStarts = str(len(starts_))
        self.build_start_buttons()
        ari, km_ari = result.get("ari"), result["kmeans"].get("ari")
        for element_id, value in (("ari-gmm", ari), ("ari-kmeans", km_ari)):
            el = self.el(element_id)
            el.textContent = "n/a" if value is None else f"{value:.3f}"
            el.dataset.value = "" if value is None else repr(float(value))
        self.el("kmeans-summary").textContent = self.ex.ari_sentence(ari, km_ari)
        self.draw_panels()
        self.sync_ui()

    def build_start_buttons(self) -> None:
        result = self.result
        box = self.el("starts-list")
        box.replaceChildren()
        best = int(result["best_start"])
        for i, st in enumerate(result["starts"]):
            button = document.createElement("button")
            button.type = "button"
            button.className = "start-pick"
            button.dataset.start = str(i)
            mark = " (best)" if i == best else ""
            button.textContent = f"Start {i + 1}: {st['loglik_mean']:.4f}{mark}"
            pressed = self.mode == "start" and self.selected == i
            button.setAttribute("aria-pressed", "true" if pressed else "false")
            box.appendChild(button)

    def show_start(self, start) -> None:
        if self.result is None:
            return
        if self.player is not None:
            self.player.pause()
        if start is None:
            self.show_live()
            return
        self.mode, self.selected = "start", int(start)
        self.build_start_buttons()
        self.redraw()
        self.draw_starts()

    def on_pick(self, event) -> None:
        target = event.target
        if is_null(target) or not hasattr(target, "closest"):
            return
        button = target.closest("button[data-start]")
        if is_null(button):
            return
        start = int(button.dataset.start)
        if self.mode == "start" and self.selected == start:
            start = None  # a second press returns to the final fit
        self.show_start(start)

    def on_starts_canvas(self, event) -> None:
        if not self._dots:
            return
        c = self.starts_canvas
        rect = c.el.getBoundingClientRect()
        scale = c.width / max(float(rect.width), 1.0)
        x = (float(event.clientX) - float(rect.left)) * scale
        y = (float(event.clientY) - float(rect.top)) * scale
        dist = [math.hypot(x - dx, y - dy) for dx, dy in self._dots]
        i = min(range(len(dist)), key=dist.__getitem__)
        if dist[i] <= 14 * c.dpr:
            self.show_start(i)

    def draw_panels(self) -> None:
        self.draw_starts()
        self.draw_kmeans()

    def draw_starts(self) -> None:
        c = self.starts_canvas
        c.fit()
        result = self.result
        if result is None:
            self._dots = []
            self.app.plotting.draw_empty(
                c.ctx, c.width, c.height, c.dpr, "Every start's log L appears here"
            )
            c.el.dataset.finals = "[]"
            return
        finals = [float(st["loglik_mean"]) for st in result["starts"]]
        tol = max(10.0 * float(result["settings"]["tol"]), 1e-4)
        groups = self.ex.optima_groups(finals, tol)
        selected = self.selected if self.mode == "start" else None
        self._dots = self.ex.draw_starts_chart(
            c.ctx,
            c.width,
            c.height,
            finals,
            groups,
            int(result["best_start"]),
            selected,
            c.dpr,
        )
        ds = c.el.dataset
        ds.finals = json.dumps(finals)
        ds.groups = json.dumps(groups)
        ds.best = str(int(result["best_start"]))
        ds.selected = "" if selected is None else str(selected)
        ds.dots = json.dumps(self._dots)

    def draw_kmeans(self) -> None:
        c = self.kmeans_canvas
        c.fit()
        result = self.result
        model = self.app.model
        if result is None or model is None or model.data is None:
            self.app.plotting.draw_empty(
                c.ctx, c.width, c.height, c.dpr, "K-means appears after the fit"
            )
            c.el.dataset.centres = "[]"
            return
        np, app = self.np, self.app
        X = model.data["X"]
        pts = [X]
        if model.data.get("true_means") is not None:
            pts.append(model.data["true_means"])
        view = app.View.from_points(np.vstack(pts), c.width, c.height, dpr=c.dpr)
        km = result["kmeans"]
        k = int(result["settings"]["k"])
        rgb = self.ex.kmeans_colours(km["labels"], k, km["mapping"])
        size = (c.width, c.height)
        if self._km is None or self._km[0] != size:
            buf = np.empty((c.height, c.width, 4), dtype=np.uint8)
            px = js.Uint8ClampedArray.new(c.width * c.height * 4)
            self._km = (size, buf, px, js.ImageData.new(px, c.width, c.height))
        _, buf, px, image = self._km
        n = len(X)
        radius = (2.2 if n <= 1000 else 1.8 if n <= 2500 else 1.4) * c.dpr
        app.raster.render_points(view.to_px(X), rgb, c.width, c.height, radius, out=buf)
        px.assign(buf)
        c.ctx.putImageData(image, 0, 0)
        app.plotting.draw_axes(c.ctx, view)
        colours = app.palette.component_colors(k, km["mapping"])
        css = [app.palette.rgb_to_css(col) for col in colours]
        centres_px = view.to_px(np.asarray(km["centers"], dtype=float))
        self.ex.draw_kmeans_centres(c.ctx, centres_px, css, c.dpr)
        ds = c.el.dataset
        ds.centres = json.dumps(centres_px.tolist())
        ds.colors = json.dumps(css)


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
