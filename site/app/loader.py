"""Start the page: load numpy and emcore, build the app, report failures.

``main.py`` calls :func:`boot` and nothing else. Each loading step that can
fail says in plain words what failed and how to fix it, sets
``document.body.dataset.status`` to ``error`` and keeps the page alive.
"""

from __future__ import annotations

import json
import warnings

import js
import pyodide_js
from pyscript.ffi import create_proxy

from . import dom

BUILD_INFO = "build-info.json"


class LoadError(Exception):
    """A loading step failed; ``str(self)`` is the plain-language message."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


def _warn_to_console(message, category, filename, lineno, file=None, line=None):
    # PyScript paints anything on stderr over the page; warnings go to the
    # browser console instead (deliberately as warnings, not errors).
    js.console.warn(f"[emgmm] {category.__name__}: {message} ({filename}:{lineno})")


def fail(exc: BaseException) -> None:
    """Show why the page could not start."""
    from simapp.text import messages  # importable without numpy

    dom.set_status("error")
    dom.el("load-progress").hidden = True
    if isinstance(exc, LoadError):
        dom.show_message(str(exc), "error", exc.detail)
    else:
        text = messages.start_failure(exc)
        dom.show_message(text, "error", dom.traceback_text(exc))
    dom.log_warning(str(exc))


def read_build_info() -> dict:
    from simapp.text import messages

    try:
        with open(BUILD_INFO) as fh:
            return json.load(fh)
    except (OSError, ValueError) as exc:
        raise LoadError(messages.build_info_error(BUILD_INFO), repr(exc)) from exc


async def load_package(what: str, name_or_url: str) -> list[str]:
    """``pyodide_js.loadPackage`` with its messages shown; returns its errors."""
    errors: list[str] = []

    def on_message(msg) -> None:
        dom.show_message(f"Loading {what}… ({msg})")

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
    from simapp.text import messages

    dom.show_message("Loading numpy…")
    dom.el("load-progress").value = 2
    errors = await load_package("numpy", "numpy")
    try:
        import numpy
    except ImportError as exc:
        detail = "\n".join([*errors, repr(exc)])
        raise LoadError(messages.numpy_load_error(info), detail) from exc
    return numpy


async def load_emcore(info: dict):
    from simapp.text import messages

    wheel = info.get("emcore_wheel", "")
    url = str(js.URL.new(wheel, js.location.href).href)
    dom.show_message(f"Loading emcore ({wheel.rsplit('/', 1)[-1]})…")
    dom.el("load-progress").value = 3
    errors = await load_package("emcore", url)
    try:
        import emcore
    except ImportError as exc:
        detail = "\n".join([*errors, repr(exc)])
        raise LoadError(messages.emcore_load_error(wheel), detail) from exc
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


async def boot() -> None:
    """Load everything, start the app; on any failure show what and why."""
    warnings.showwarning = _warn_to_console
    t0 = dom.now()
    try:
        info = read_build_info()
        numpy = await load_numpy(info)
        emcore = await load_emcore(info)
        from .page import Page  # needs numpy and emcore

        dom.el("load-progress").value = 4
        page = Page(numpy)
        page.setup()
    except Exception as exc:  # anything: show it, never a dead page
        fail(exc)
        return
    from simapp.text import messages

    js.document.body.dataset.readyMs = str(round(dom.now() * 1000))
    text = messages.ready_message(
        package_version(emcore),
        numpy.__version__,
        str(pyodide_js.version),
        dom.now() - t0,
        dom.now(),
    )
    page.ready(text)
