#!/usr/bin/env python3
"""Build, serve and test the EM / Gaussian-mixture simulator page.

Standard library only; ``pip`` builds the emcore wheel and ``npm`` fetches the
vendored runtimes. This file is the command line; the ``sitebuild`` package
beside it does the work, one module per job (its ``__init__`` lists them; the
supply chain, CSP and SRI are described in ``sitebuild.assemble``).

Commands
--------
``python build.py [--no-first-picture]``
    Build the emcore wheel and the page's wheel and write the deployable
    static site to ``dist/site/``. PyScript and Pyodide load from the jsDelivr
    CDN at the versions pinned in ``sitebuild.common``. The first picture (the
    default run drawn at build time) needs numpy in this Python;
    ``--no-first-picture`` leaves it out.
``python build.py --vendor [--pyodide-version V] [--wheels DIR] [--no-numpy]``
    Write a fully self-contained site (works with the network off, and
    offline after the first visit through its service worker; what the
    GitHub Pages workflow publishes): PyScript from npm ``@pyscript/core``, the
    Pyodide core from npm ``pyodide`` and Pyodide's numpy wasm wheel from
    ``--wheels DIR`` (default: ``$EMGMM_WHEELS``, else
    ``~/.cache/emgmm/wheels``) or downloaded from the Pyodide CDN; a wheel
    whose sha256 differs from ``pyodide-lock.json`` is refused unless
    ``--allow-other-numpy`` (or ``EMGMM_ALLOW_OTHER_NUMPY=1``) says to ship it.
``python build.py serve [--port P] [build options]``
    Build, then serve ``dist/site`` on http://127.0.0.1:P/.
``python build.py test [pytest args]``
    Create ``.venv`` if missing, install ``.[test]``, install Debian chromium,
    firefox-esr, webkit2gtk-driver and xvfb when running as root without them
    and npm puppeteer-core into ``.cache/node``, then run ruff and pytest.

The tests and benchmarks load this file by path and use the names it imports
from ``sitebuild`` (``__all__``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# loaded by path from tests/ and benchmarks/ too: make ``sitebuild`` importable
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.append(str(Path(__file__).resolve().parent))

from sitebuild.assemble import build_site, csp_hash, sri, write_service_worker  # noqa: E402
from sitebuild.checks import run_tests  # noqa: E402
from sitebuild.common import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    DEFAULT_WHEELS,
    DIST_SITE,
    FIREFOX,
    JSDELIVR,
    MINIBROWSER,
    NODE_DIR,
    PYODIDE_VERSION,
    PYSCRIPT_VERSION,
    SITE_SRC,
    WEBKIT_DRIVER,
    XVFB,
    BuildError,
    pyodide_cdn_base,
    pyscript_cdn_base,
)
from sitebuild.serve import MIME_TYPES, make_server, serve  # noqa: E402
from sitebuild.vendor import (  # noqa: E402
    _find_numpy_wheel,
    default_wheels_dir,
    npm_package,
    sha256_file,
)
from sitebuild.wheel import build_wheel  # noqa: E402

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "DEFAULT_WHEELS",
    "FIREFOX",
    "JSDELIVR",
    "MIME_TYPES",
    "MINIBROWSER",
    "NODE_DIR",
    "PYODIDE_VERSION",
    "PYSCRIPT_VERSION",
    "SITE_SRC",
    "WEBKIT_DRIVER",
    "XVFB",
    "BuildError",
    "_find_numpy_wheel",
    "build_site",
    "build_wheel",
    "csp_hash",
    "default_wheels_dir",
    "main",
    "make_server",
    "npm_package",
    "pyodide_cdn_base",
    "pyscript_cdn_base",
    "sha256_file",
    "sri",
    "write_service_worker",
]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Build, serve or test the EM/GMM simulator site."
    )
    parser.add_argument(
        "command", nargs="?", default="build", choices=["build", "serve", "test"]
    )
    parser.add_argument("--vendor", action="store_true", help="self-contained site")
    parser.add_argument(
        "--pyodide-version", default=PYODIDE_VERSION, help="Pyodide (--vendor)"
    )
    parser.add_argument(
        "--wheels", type=Path, default=None, help="folder with Pyodide's numpy wheel"
    )
    parser.add_argument(
        "--no-numpy", action="store_true", help="leave numpy out (error-page test)"
    )
    parser.add_argument(
        "--allow-other-numpy",
        action="store_true",
        help="ship a numpy wheel whose sha256 differs from pyodide-lock.json "
        "(recorded in the vendored lock); refused otherwise",
    )
    parser.add_argument(
        "--no-first-picture",
        action="store_true",
        help="no build-time picture of the default run (needs no numpy here)",
    )
    parser.add_argument("--out", type=Path, default=DIST_SITE, help="output folder")
    parser.add_argument("--port", type=int, default=8000, help="serve port")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "test":
        return run_tests(argv[1:])
    args = _parser().parse_args(argv)
    wheels = args.wheels if args.wheels is not None else default_wheels_dir()
    try:
        build_site(
            args.out,
            vendor=args.vendor,
            pyodide_version=args.pyodide_version,
            wheels_dir=wheels,
            numpy=not args.no_numpy,
            picture=not args.no_first_picture,
            allow_other_numpy=args.allow_other_numpy or None,
        )
    except BuildError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return 2
    if args.command == "serve":
        serve(args.out, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
