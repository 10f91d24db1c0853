"""Browser entry point of the simulator page (runs in PyScript / Pyodide).

This is the only module that touches ``pyscript`` and ``js``. It

1. reads ``build-info.json`` (written by ``build.py``; PyScript's ``files``
   config copies it, this file and ``simapp/*.py`` onto Pyodide's filesystem),
2. loads numpy with ``pyodide_js.loadPackage("numpy")`` (from the vendored
   ``vendor/pyodide/`` folder or the Pyodide CDN, per ``pyodide-lock.json``),
3. loads the emcore wheel with ``pyodide_js.loadPackage(<wheel URL>)``,
4. enables the controls and sets ``document.body.dataset.status`` to
   ``ready``, or, on any failure, shows what failed and how to fix it and
   sets it to ``error``.

The full app is wired in by :func:`start_app`.
"""

from __future__ import annotations

import asyncio
import json
import traceback

import js
import pyodide_js
from pyodide.ffi import create_proxy
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
    if kind == "error":
        el.setAttribute("role", "alert")
    box = document.getElementById("message-details")
    document.getElementById("message-detail").textContent = detail
    box.hidden = not detail


def set_controls_enabled(enabled: bool) -> None:
    for fieldset in document.querySelectorAll("#settings fieldset"):
        fieldset.disabled = not enabled


def on(element_id: str, event: str, handler) -> None:
    """Attach a Python ``handler`` to ``event`` on the element ``element_id``."""
    proxy = create_proxy(handler)
    _handlers.append(proxy)
    document.getElementById(element_id).addEventListener(event, proxy)


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


def package_version(module) -> str:
    version = getattr(module, "__version__", None)
    if version:
        return str(version)
    from importlib import metadata

    try:
        return metadata.version(module.__name__)
    except metadata.PackageNotFoundError:
        return "unknown"


# --------------------------------------------------------------------------- app
def update_outputs(_event=None) -> None:
    """Mirror each range control's value into its ``<output>``."""
    for name in ("k", "n", "overlap", "iters"):
        value = document.getElementById(name).value
        suffix = " %" if name == "overlap" else ""
        document.getElementById(f"{name}-value").textContent = f"{value}{suffix}"


def start_app(numpy, emcore, info: dict) -> None:
    """Wire the page once numpy and emcore are importable.

    Placeholder: the Simulate button only proves numpy and emcore work. The
    integrator replaces the ``simulate`` handler with the real app built on
    ``emcore.simulator.run`` and ``simapp``.
    """
    for name in ("k", "n", "overlap", "iters"):
        on(name, "input", update_outputs)
    update_outputs()

    def simulate(event) -> None:
        event.preventDefault()
        seed = int(document.getElementById("seed").value or 0)
        sample = numpy.random.default_rng(seed).normal(size=(1000, 2))
        show_message(
            f"emcore {package_version(emcore)} and numpy {numpy.__version__} work "
            f"(check value {float(sample.mean()):+.4f}). The animated simulator "
            "is not wired in yet."
        )

    on("settings", "submit", simulate)


async def boot() -> None:
    t0 = window.performance.now()
    try:
        info = read_build_info()
        numpy = await load_numpy(info)
        emcore = await load_emcore(info)
        start_app(numpy, emcore, info)
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
        f"page ready after {since_nav:.1f} s."
    )


_boot_task = asyncio.ensure_future(boot())
