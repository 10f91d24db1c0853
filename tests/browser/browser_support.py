"""Shared helpers of the real-browser tests (used by conftest.py and tests).

Loads ``build.py`` as a module (named ``emgmm_build``, so it never shadows the
PyPI ``build`` package), finds Pyodide's numpy wheel, records what a page did
(:class:`PageRun`) and mirrors the jsDelivr CDN from the npm tarballs
(:func:`cdn_mirror`).
"""

from __future__ import annotations

import importlib.util
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
TIMINGS = ROOT / "artifacts" / "browser-timings.json"
BOOT_TIMEOUT_MS = 90_000


def _load_build_module():
    spec = importlib.util.spec_from_file_location("emgmm_build", ROOT / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build_module()
CHROMIUM = build.CHROMIUM
CHROMIUM_ARGS = build.CHROMIUM_ARGS


def numpy_wheel_search() -> tuple[Path | None, list[Path]]:
    """Where Pyodide's numpy wheel is (or None) and the folders looked in."""
    lock_path = build.npm_package("pyodide", build.PYODIDE_VERSION)
    entry = json.loads((lock_path / "pyodide-lock.json").read_text())["packages"][
        "numpy"
    ]
    looked = []
    env = os.environ.get("EMGMM_WHEELS")
    if env:
        looked.append(Path(env).expanduser())
    looked.append(build.DEFAULT_WHEELS)
    for folder in looked:
        found = build._find_numpy_wheel(entry, folder)
        if found is not None:
            return folder, looked
    return None, looked


@dataclass
class Site:
    """A built site served on 127.0.0.1."""

    root: Path
    url: str
    info: dict
    build_seconds: float


@dataclass
class PageRun:
    """A page plus everything it did."""

    page: object
    base_url: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        base = urlsplit(self.base_url)
        bad = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in {"data", "blob"}:
                continue
            if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
                bad.append(url)
        return bad

    def status(self) -> str:
        return self.page.evaluate("document.body.dataset.status")

    def message(self) -> str:
        return self.page.locator("#message").inner_text()

    def wait_status(self, *statuses: str, timeout_ms: int = BOOT_TIMEOUT_MS) -> str:
        """Poll ``document.body.dataset.status`` until it is one of ``statuses``.

        Polls from Python (CDP evaluation): Playwright's ``wait_for_function``
        compiles its predicate with ``eval``, which the page's CSP forbids.
        """
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            status = self.status()
            if status in statuses:
                return status
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"status stayed {status!r} (wanted {statuses}); "
                    f"message: {self.message()!r}; console: {self.console}"
                )
            self.page.wait_for_timeout(50)

    def wait_message(self, text: str, timeout_ms: int = 10_000) -> str:
        deadline = time.monotonic() + timeout_ms / 1000
        while text not in (message := self.message()):
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; message: {message!r}")
            self.page.wait_for_timeout(50)
        return message

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def cdn_mirror(wheels_dir: Path | None):
    """A Playwright route handler answering jsDelivr URLs from the npm tarballs.

    The CDN is unreachable here, so the CDN build is checked against the same
    bytes jsDelivr serves for ``/npm/@pyscript/core@V/dist/*`` (the npm
    package) and ``/pyodide/vV/full/*`` (the Pyodide release; its core files
    equal the npm ``pyodide`` package's). The lock served records the local
    numpy wheel's sha256, as the real CDN's lock records its own wheel's.
    """
    pyscript_dist = build.npm_package("@pyscript/core", build.PYSCRIPT_VERSION) / "dist"
    pyodide_pkg = build.npm_package("pyodide", build.PYODIDE_VERSION)
    lock = json.loads((pyodide_pkg / "pyodide-lock.json").read_text())
    numpy_wheel = None
    if wheels_dir is not None:
        numpy_wheel = build._find_numpy_wheel(lock["packages"]["numpy"], wheels_dir)
    if numpy_wheel is not None:
        lock["packages"]["numpy"]["sha256"] = build.sha256_file(numpy_wheel)
        lock["packages"]["numpy"]["file_name"] = numpy_wheel.name
    prefixes = {
        build.pyscript_cdn_base(): pyscript_dist,
        build.pyodide_cdn_base(): pyodide_pkg,
    }
    served: list[str] = []

    def handle(route):
        url = route.request.url
        for prefix, folder in prefixes.items():
            if not url.startswith(prefix):
                continue
            name = url[len(prefix) :].split("?")[0]
            if name == "pyodide-lock.json":
                body = json.dumps(lock).encode()
            elif numpy_wheel is not None and name == numpy_wheel.name:
                body = numpy_wheel.read_bytes()
            elif "/" not in name and (folder / name).is_file():
                body = (folder / name).read_bytes()
            else:
                break
            served.append(url)
            suffix = Path(name).suffix
            route.fulfill(
                status=200,
                body=body,
                headers={
                    "content-type": build.MIME_TYPES.get(
                        suffix, "application/octet-stream"
                    ),
                    "access-control-allow-origin": "*",
                },
            )
            return
        route.abort("internetdisconnected")

    handle.served = served
    return handle


def wait_done(run, timeout_s: float = 120.0) -> None:
    """Wait for ``body[data-status=done]``; fail at once on an error status
    or an error message, with the page's console."""
    t0 = time.perf_counter()
    while True:
        status = run.status()
        if status == "done":
            return
        kind = run.page.locator("#message").get_attribute("data-kind")
        if status == "error" or kind == "error":
            raise AssertionError(f"{status}: {run.message()}\n{run.console}")
        if time.perf_counter() - t0 > timeout_s:
            raise AssertionError(f"status stayed {status!r}: {run.message()}")
        run.page.wait_for_timeout(50)


def check_clean(run) -> None:
    """No console or page error, no emcore warning, nothing fetched from
    another origin."""
    assert run.console_errors == [], "\n".join(run.console)
    assert run.page_errors == []
    assert not [m for m in run.console if m.startswith("warning: [emgmm]")]
    assert run.foreign_requests() == []


def value(run, name: str) -> str:
    """A result card's machine-readable value (``#result-NAME``)."""
    return run.page.locator(f"#result-{name}").get_attribute("data-value")


def url_query(run) -> dict:
    """The page's current link as ``{key: first value}``."""
    return {k: v[0] for k, v in parse_qs(urlsplit(run.page.url).query).items()}
