"""Fixtures for the real-browser tests: build, serve, drive Debian chromium.

The session builds the emcore wheel once, then each site variant (vendored
without numpy, vendored with numpy, CDN) on demand into a temporary folder,
serves it on 127.0.0.1 at a free port and opens pages in Debian's chromium
through Playwright. Every request and every console error is recorded so tests
can assert that nothing left localhost and that the console stayed clean.
Screenshots go to ``artifacts/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # any --import-mode

from browser_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    TIMINGS,
    PageRun,
    Site,
    build,
    numpy_wheel_search,
)


# --------------------------------------------------------------------------- build
@pytest.fixture(scope="session")
def emcore_wheel(tmp_path_factory) -> Path:
    """The emcore wheel the sites carry: built from this checkout, or the
    prebuilt one named by ``EMGMM_EMCORE_WHEEL`` (to test a given release)."""
    given = os.environ.get("EMGMM_EMCORE_WHEEL")
    if given:
        path = Path(given).expanduser().resolve()
        if not path.is_file():
            pytest.fail(f"EMGMM_EMCORE_WHEEL={given} is not a file")
        print(f"\n[browser] using the prebuilt emcore wheel {path}")
        return path
    return build.build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="session")
def site_factory(tmp_path_factory, emcore_wheel):
    """``site_factory(variant)`` builds and serves a site once per session.

    Variants: ``vendor-no-numpy``, ``vendor`` (needs the numpy wheel), ``cdn``.
    """
    sites: dict[str, Site] = {}
    servers = []

    def make(variant: str) -> Site:
        if variant in sites:
            return sites[variant]
        out = tmp_path_factory.mktemp(f"site-{variant}") / "site"
        kwargs: dict = {"wheel": emcore_wheel}
        if variant == "vendor-no-numpy":
            kwargs.update(vendor=True, numpy=False)
        elif variant == "vendor":
            folder, _ = numpy_wheel_search()
            # this machine's wheel may be a local build of the lock's numpy
            kwargs.update(vendor=True, wheels_dir=folder, allow_other_numpy=True)
        elif variant != "cdn":
            raise ValueError(variant)
        t0 = time.perf_counter()
        info = build.build_site(out, **kwargs)
        seconds = time.perf_counter() - t0
        server = build.make_server(out, 0, quiet=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        host, port = server.server_address[:2]
        sites[variant] = Site(out, f"http://{host}:{port}/", info, seconds)
        url = sites[variant].url
        print(f"\n[browser] built {variant} site in {seconds:.2f} s at {url}")
        return sites[variant]

    yield make
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def numpy_wheels_dir() -> Path:
    """The folder holding Pyodide's numpy wheel, or skip saying where we looked."""
    folder, looked = numpy_wheel_search()
    if folder is None:
        where = ", ".join(str(p) for p in looked)
        reason = (
            f"Pyodide's numpy wasm wheel not found (looked in {where}). Put "
            "numpy-*-pyodide_*_wasm32.whl there or set EMGMM_WHEELS=DIR; "
            "`python build.py --vendor` can also download it from the Pyodide CDN."
        )
        print(f"\n[browser] SKIP: {reason}")
        pytest.skip(reason)
    return folder


# --------------------------------------------------------------------------- browser
@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} not found: install Debian chromium "
            "(apt-get install -y chromium), as .ci/run does"
        )
    sync_api = pytest.importorskip("playwright.sync_api")
    pw = sync_api.sync_playwright().start()
    browser = pw.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()
    pw.stop()


@pytest.fixture
def open_page(browser):
    """``open_page(url, offline=False, viewport=(w, h), cdn=None)`` -> PageRun.

    A fresh browser context per page (no shared cache or storage). With
    ``offline=True`` every request outside the page's origin is aborted, as on
    a machine without network, except those a ``cdn`` handler (see
    :func:`cdn_mirror`) answers.
    """
    contexts = []

    def _open(
        url: str, *, offline: bool = False, viewport=(1280, 900), cdn=None
    ) -> PageRun:
        context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]},
            device_scale_factor=1,
        )
        contexts.append(context)
        page = context.new_page()
        run = PageRun(page, url)
        if offline:
            origin = "{0.scheme}://{0.netloc}/".format(urlsplit(url))

            def guard(route):
                if route.request.url.startswith(origin):
                    route.continue_()
                elif cdn is not None:
                    cdn(route)
                else:
                    route.abort("internetdisconnected")

            context.route("**/*", guard)
        page.on("request", lambda req: run.requests.append(req.url))

        def on_console(msg):
            run.console.append(f"{msg.type}: {msg.text}")
            if msg.type == "error":
                run.console_errors.append(msg.text)

        page.on("console", on_console)
        page.on("pageerror", lambda exc: run.page_errors.append(str(exc)))
        page.goto(url, wait_until="domcontentloaded")
        return run

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def timings():
    """Collects measured timings; written to artifacts/browser-timings.json."""
    data: dict = {}
    yield data
    if data:
        TIMINGS.parent.mkdir(parents=True, exist_ok=True)
        TIMINGS.write_text(json.dumps(data, indent=2) + "\n")
