"""The static site: ``site/`` made deployable, on the CDN or self-contained.

:func:`build_site` copies the sources, strips the docstrings of the Python the
browser downloads, adds the emcore wheel, pastes the HTML fragments into
``index.html``, writes the head block (CSP, SRI, PyScript), ``pyscript.json``,
``build-info.json`` and, for the vendored build, the service worker's list.

Supply chain
------------
The CDN build pins exact versions and carries Subresource Integrity (sha384,
computed from the npm tarball that jsDelivr mirrors byte for byte) on
PyScript's ``core.js`` and ``core.css``, and, through the import map's
``integrity`` table, on every JavaScript chunk ``core.js`` imports. What cannot
carry SRI: Pyodide's ``pyodide.mjs`` / ``pyodide.asm.js`` (served from
jsDelivr's ``/pyodide/`` release mirror, whose bytes we cannot verify at build
time without network access to it), ``pyodide.asm.wasm``, ``python_stdlib.zip``
and ``pyodide-lock.json`` (fetched by Pyodide itself, no integrity hook). Package
wheels loaded with ``loadPackage`` are checked by Pyodide against the sha256 in
``pyodide-lock.json``. A Content-Security-Policy meta tag limits scripts and
connections to the page's origin (plus jsDelivr in the CDN build); it has to
allow 'unsafe-eval' because PyScript builds its hooks with ``Function()``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import tempfile
import time
from pathlib import Path

from .common import (
    DIST_SITE,
    JSDELIVR,
    PYODIDE_VERSION,
    PYSCRIPT_VERSION,
    SITE_SRC,
    BuildError,
    log,
    pyodide_cdn_base,
    pyscript_cdn_base,
)
from .vendor import npm_package, vendor_runtimes
from .wheel import browser_wheel, build_wheel, strip_docstrings

HEAD_MARKER = "<!-- build:head -->"
# ``<!-- include:theory.html -->`` in index.html is replaced by site/theory.html
INCLUDE_RE = re.compile(r"<!--\s*include:\s*([A-Za-z0-9_][A-Za-z0-9_.-]*\.html)\s*-->")
#: Packages of the page's Python, copied onto Pyodide's filesystem
SITE_PACKAGES = ("app", "simapp")
#: Data files the page's Python reads (bundled datasets), by suffix
SITE_DATA_SUFFIXES = (".csv",)


def sri(path: Path, algorithm: str = "sha384") -> str:
    digest = hashlib.new(algorithm, path.read_bytes()).digest()
    return f"{algorithm}-{base64.b64encode(digest).decode()}"


def csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def _site_package_files(site_src: Path, suffixes: tuple[str, ...]) -> list[str]:
    files = []
    for package in SITE_PACKAGES:
        folder = site_src / package
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(site_src)
            if "__pycache__" in rel.parts or "tests" in rel.parts:
                continue
            if path.is_file() and path.suffix in suffixes:
                files.append(rel.as_posix())
    return files


def site_python_files(site_src: Path = SITE_SRC) -> list[str]:
    """Python files PyScript must put on Pyodide's filesystem (POSIX, relative)."""
    files = ["main.py"] if (site_src / "main.py").exists() else []
    return files + _site_package_files(site_src, (".py",))


def site_data_files(site_src: Path = SITE_SRC) -> list[str]:
    """Data files (bundled CSV) the site's Python opens, like its modules."""
    return _site_package_files(site_src, SITE_DATA_SUFFIXES)


def _copy_site(site_src: Path, out: Path) -> None:
    ignore = shutil.ignore_patterns(
        "__pycache__", "*.pyc", ".*", "pyscript.json", "*.whl", "*.wasm"
    )
    shutil.copytree(site_src, out, ignore=ignore, dirs_exist_ok=True)


def strip_site_python(out: Path) -> None:
    """Strip docstrings from the site's Python files in the built ``out``."""
    for rel in site_python_files(out):
        path = out / rel
        path.write_text(strip_docstrings(path.read_text("utf-8"), rel), "utf-8")


def expand_includes(html: str, site_src: Path) -> tuple[str, list[str]]:
    """Replace every ``<!-- include:NAME.html -->`` with ``site_src/NAME.html``.

    One pass: markers inside an included fragment are left as they are.

    Returns
    -------
    html : str
        The expanded text.
    names : list of str
        The included file names, in order of first use.

    Raises
    ------
    BuildError
        If an included file is missing (NAME is a plain file name; the pattern
        admits no path separators, so nothing outside ``site_src`` is read).
    """
    names: list[str] = []

    def replace(match: re.Match) -> str:
        name = match.group(1)
        path = site_src / name
        if not path.is_file():
            raise BuildError(
                f"{site_src / 'index.html'} includes {name}, which is not in {site_src}"
            )
        if name not in names:
            names.append(name)
        return path.read_text(encoding="utf-8").rstrip("\n")

    return INCLUDE_RE.sub(replace, html), names


def _pyscript_config(site_src: Path, interpreter: str) -> dict:
    base_path = site_src / "pyscript.json"
    config = json.loads(base_path.read_text()) if base_path.exists() else {}
    files = dict(config.get("files", {}))
    shipped = [*site_python_files(site_src), *site_data_files(site_src)]
    for rel in ["build-info.json", *shipped]:
        files[f"./{rel}"] = f"./{rel}"
    config["files"] = files
    config["interpreter"] = interpreter
    return config


def _head_block(*, csp: str, importmap: str | None, css: str, js: str) -> str:
    lines = [f'<meta http-equiv="Content-Security-Policy" content="{csp}">']
    if importmap:
        lines.append(f'<script type="importmap">{importmap}</script>')
    lines.append(css)
    lines.append(js)
    return "\n    ".join(lines)


def _csp(*, extra_origin: str = "", importmap: str | None = None) -> str:
    origin = f" {extra_origin}" if extra_origin else ""
    # 'unsafe-eval': PyScript 0.7 compiles its interpreter hooks with Function()
    # (core-*.js, hooks for workers, run even on the main thread) and fails
    # without it; 'wasm-unsafe-eval' lets Pyodide compile its WebAssembly.
    script_src = f"'self'{origin} 'unsafe-eval' 'wasm-unsafe-eval'"
    if importmap:
        script_src += " " + csp_hash(importmap)
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {script_src}",
            f"style-src 'self'{origin} 'unsafe-inline'",
            f"connect-src 'self'{origin}",
            "img-src 'self' data: blob:",
            "font-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'none'",
        ]
    )


def _vendored_head() -> str:
    """The head block of the self-contained site: everything from ``./vendor/``."""
    head = _head_block(
        csp=_csp(),
        importmap=None,
        css='<link rel="stylesheet" href="./vendor/pyscript/core.css">',
        js='<script type="module" src="./vendor/pyscript/core.js"></script>',
    )
    # boot.js registers the offline service worker when this is present
    return head + '\n    <meta name="emgmm-service-worker" content="./sw.js">'


def _cdn_head(pyscript_dist: Path) -> str:
    """The head block of the CDN site: PyScript from jsDelivr, under SRI."""
    base = pyscript_cdn_base()
    integrity = {
        base + p.name: sri(p)
        for p in sorted(pyscript_dist.glob("*.js"))
        if p.name != "core.js"
    }
    importmap = json.dumps({"imports": {}, "integrity": integrity})
    return _head_block(
        csp=_csp(extra_origin=JSDELIVR, importmap=importmap),
        importmap=importmap,
        css=(
            f'<link rel="stylesheet" href="{base}core.css" '
            f'integrity="{sri(pyscript_dist / "core.css")}" '
            'crossorigin="anonymous">'
        ),
        js=(
            f'<script type="module" src="{base}core.js" '
            f'integrity="{sri(pyscript_dist / "core.js")}" '
            'crossorigin="anonymous"></script>'
        ),
    )


def _write_index(out: Path, site_src: Path, head: str) -> None:
    """Paste the includes and the head block into ``out/index.html``."""
    index = out / "index.html"
    html, included = expand_includes(index.read_text(encoding="utf-8"), site_src)
    for name in included:
        # inlined into index.html; a bare fragment is not a page of its own
        if name != "index.html":
            (out / name).unlink(missing_ok=True)
    if HEAD_MARKER not in html:
        raise BuildError(f"{site_src / 'index.html'} lacks the {HEAD_MARKER} marker")
    index.write_text(html.replace(HEAD_MARKER, head, 1), encoding="utf-8")


def write_service_worker(out: Path) -> list[str]:
    """Fill in ``out/sw.js``: the list of every file of the built site and a
    cache name that changes whenever any of their bytes do.

    Returns the precached paths, relative to the site (``./`` first).
    """
    template = out / "sw.js"
    files = sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and p.name not in {"sw.js", ".nojekyll"}
    )
    digest = hashlib.sha256()
    for rel in files:
        digest.update(rel.encode() + b"\0" + (out / rel).read_bytes())
    urls = ["./", *(f"./{rel}" for rel in files)]
    text = template.read_text(encoding="utf-8")
    text = text.replace("__VERSION__", digest.hexdigest()[:16])
    text = text.replace("__FILES__", json.dumps(urls, indent=2))
    template.write_text(text, encoding="utf-8")
    return urls


def build_site(
    out: Path = DIST_SITE,
    *,
    vendor: bool = False,
    pyodide_version: str = PYODIDE_VERSION,
    wheels_dir: Path | None = None,
    numpy: bool = True,
    site_src: Path = SITE_SRC,
    wheel: Path | None = None,
) -> dict:
    """Write the static site to ``out`` and return its build-info mapping.

    Parameters
    ----------
    out : Path
        Output folder; emptied first.
    vendor : bool
        Self-contained build (npm PyScript + npm Pyodide + numpy wheel).
    pyodide_version : str
        Pyodide version (vendored builds; the CDN build always uses the pin).
    wheels_dir : Path or None
        Folder holding Pyodide's numpy wasm wheel (vendored builds).
    numpy : bool
        False leaves numpy out (to test the page's error report).
    site_src : Path
        The site sources.
    wheel : Path or None
        A prebuilt emcore wheel to reuse instead of building one.
    """
    t0 = time.perf_counter()
    if not vendor and pyodide_version != PYODIDE_VERSION:
        raise BuildError("--pyodide-version only applies to --vendor builds")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    _copy_site(site_src, out)
    strip_site_python(out)

    wheels_out = out / "wheels"
    with tempfile.TemporaryDirectory(prefix="emgmm-wheel-") as tmp:
        if wheel is None:
            wheel = build_wheel(Path(tmp))
        wheel = browser_wheel(wheel, wheels_out)

    pyscript_dist = npm_package("@pyscript/core", PYSCRIPT_VERSION) / "dist"
    info: dict = {
        "mode": "vendor" if vendor else "cdn",
        "pyscript_version": PYSCRIPT_VERSION,
        "pyodide_version": pyodide_version,
        "emcore_wheel": f"wheels/{wheel.name}",
        "numpy_wheel": None,
    }
    if vendor:
        expected, found = vendor_runtimes(
            out, pyscript_dist, pyodide_version, wheels_dir, numpy
        )
        info["numpy_wheel_expected"] = expected
        info["numpy_wheel"] = found
        interpreter = "./vendor/pyodide/pyodide.mjs"
        head = _vendored_head()
    else:
        interpreter = pyodide_cdn_base() + "pyodide.mjs"
        head = _cdn_head(pyscript_dist)
    _write_index(out, site_src, head)

    config = _pyscript_config(site_src, interpreter)
    (out / "pyscript.json").write_text(json.dumps(config, indent=2) + "\n")
    (out / "build-info.json").write_text(json.dumps(info, indent=2) + "\n")
    (out / ".nojekyll").write_text("")
    if vendor:
        write_service_worker(out)
    else:
        (out / "sw.js").unlink(missing_ok=True)
    log(f"site written to {out} ({info['mode']}) in {time.perf_counter() - t0:.1f} s")
    return info
