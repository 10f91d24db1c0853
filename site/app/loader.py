"""Start the page: check numpy and emcore, build the app, report failures.

``main.py`` calls :func:`boot` and nothing else. Pyodide's own loader has
fetched numpy, emcore and this package while the interpreter booted (the
build's ``pyscript.json`` lists them), so importing them is usually all there
is to do; a package that did not arrive is loaded once more, and if it still
fails the page says in plain words what failed and how to fix it, sets
``document.body.dataset.status`` to ``error`` and stays alive. Just before the
app draws its chart, the build's first picture (the default run's final fit,
shown while Python started) makes way for it.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import js
import pyodide_js
from pyodide.ffi import create_once_callable
from pyscript.ffi import create_proxy

from . import dom

#: What the build carries; it writes this file into the page's wheel.
BUILD_INFO = Path(__file__).with_name("build-info.json")
#: The loading bar's value (of 100) once Python runs, and as the app starts.
PROGRESS_PYTHON, PROGRESS_APP = 90, 96


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
    replace_first_picture()  # the picture is of a start that did not happen
    if isinstance(exc, LoadError):
        dom.show_message(str(exc), "error", exc.detail)
    else:
        text = messages.start_failure(exc)
        dom.show_message(text, "error", dom.traceback_text(exc))
    dom.log_warning(str(exc))


def read_build_info() -> dict:
    from simapp.text import messages

    try:
        return json.loads(BUILD_INFO.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LoadError(messages.build_info_error(BUILD_INFO.name), repr(exc)) from exc


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
    """numpy, loaded with the interpreter or else now."""
    from simapp.text import messages

    try:
        import numpy
    except ImportError:
        pass
    else:
        return numpy
    dom.show_message("Loading numpy…")
    errors = await load_package("numpy", "numpy")
    try:
        import numpy
    except ImportError as exc:
        detail = "\n".join([*errors, repr(exc)])
        raise LoadError(messages.numpy_load_error(info), detail) from exc
    return numpy


async def load_emcore(info: dict):
    """emcore, loaded with the interpreter or else now from its wheel."""
    from simapp.text import messages

    try:
        import emcore
    except ImportError:
        pass
    else:
        return emcore
    wheel = info.get("emcore_wheel", "")
    url = str(js.URL.new(wheel, js.location.href).href)
    dom.show_message(f"Loading emcore ({wheel.rsplit('/', 1)[-1]})…")
    errors = await load_package("emcore", url)
    try:
        import emcore
    except ImportError as exc:
        detail = "\n".join([*errors, repr(exc)])
        raise LoadError(messages.emcore_load_error(wheel), detail) from exc
    return emcore


def replace_first_picture() -> None:
    """Take the build's first picture off the stage: the live chart, drawn
    next, takes its place (the stylesheet shows it again)."""
    js.document.documentElement.dataset.firstPicture = "replaced"
    for element in js.document.querySelectorAll(".first-picture"):
        element.remove()


def warm_up_after_paint(page) -> None:
    """Pay numpy's first-call costs (:func:`app.runner.warm_up`) once the
    ready page has been painted, unless a run started meanwhile (a run pays
    them itself): the page is usable that much sooner."""
    from .runner import warm_up

    def warm(*_args) -> None:
        if page.store.state.status == "ready":
            warm_up()

    def after_paint(_time) -> None:
        js.setTimeout(create_once_callable(warm), 0)

    js.requestAnimationFrame(create_once_callable(after_paint))


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
    """Check everything, start the app; on any failure show what and why."""
    warnings.showwarning = _warn_to_console
    started = dom.now()  # since navigation: the runtime and packages are in
    dom.el("load-progress").value = PROGRESS_PYTHON
    try:
        info = read_build_info()
        numpy = await load_numpy(info)
        emcore = await load_emcore(info)
        from .page import Page  # needs numpy and emcore

        dom.el("load-progress").value = PROGRESS_APP
        replace_first_picture()
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
        started,
        dom.now(),
    )
    page.ready(text)
    warm_up_after_paint(page)
