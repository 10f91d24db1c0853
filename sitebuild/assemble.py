"""The static site: ``site/`` made deployable, on the CDN or self-contained.

:func:`build_site` copies the page's files, puts its Python (``app/``,
``simapp/`` and their data, docstrings stripped) into one wheel beside the
emcore wheel, draws the first picture (:mod:`sitebuild.firstpicture`), pastes
the HTML fragments into ``index.html``, writes the head block (CSP, SRI,
PyScript, preload hints), ``pyscript.json``, ``build-info.json`` and, for the
vendored build, the service worker's list.

Start-up
--------
Nothing waits for something it does not need. ``pyscript.json`` hands numpy,
the emcore wheel and the page wheel to Pyodide's own loader
(``packages_cache: "passthrough"`` makes PyScript pass them to
``loadPyodide({packages})``), which downloads them while the interpreter
boots. The head's ``<link rel="preload">`` / ``modulepreload`` hints start
the runtime's files (PyScript's chunks, the config, the Pyodide core) as soon
as the HTML arrives instead of one after the other, each with the request mode
its real request will have, so the browser uses the preloaded copy. The
packages are not preloaded: Pyodide asks for them once its lock file is in,
and on a slow link bandwidth taken by them is taken from the interpreter,
which is needed first. The CDN build preloads only its config (the rest comes
from the CDN). ``main.py`` is inlined into ``index.html``.

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
from xml.sax.saxutils import escape, quoteattr

from .bytecode import compile_wheels
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
from .firstpicture import FirstPicture, first_picture
from .vendor import allow_other_numpy_from_env, npm_package, vendor_runtimes
from .wheel import (
    PAGE_DIST,
    browser_wheel,
    build_wheel,
    page_wheel,
    strip_docstrings,
)

HEAD_MARKER = "<!-- build:head -->"
#: The page's entry point, inlined by the build (its text replaces ``src``).
MAIN_SCRIPT_RE = re.compile(r'<script type="py" src="\./main\.py"[^>]*>(?=</script>)')
#: Where the first picture goes in ``index.html`` (before the chart's caption).
PICTURE_MARKER = "<!-- build:first-picture -->"
#: The file the page's Python reads to learn what the build carries; a copy
#: sits at the site's root for tools, the page reads the one in its wheel.
BUILD_INFO = "build-info.json"
#: PyScript's chunks that ``core.js`` imports on every start (matched by name
#: before the content hash; ``tests/build`` checks they exist in the pin).
PYSCRIPT_START_CHUNKS = (
    "core",
    "deprecations-manager",
    "donkey",
    "error",
    "py-editor",
    "py-game",
    "py-terminal",
    "pyodide_graph",
)
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
    """Modules of the page's packages (POSIX, relative), for its wheel."""
    return _site_package_files(site_src, (".py",))


def site_data_files(site_src: Path = SITE_SRC) -> list[str]:
    """Data files (bundled CSV) the page's Python opens, for its wheel."""
    return _site_package_files(site_src, SITE_DATA_SUFFIXES)


def page_members(site_src: Path, info: dict) -> dict[str, bytes]:
    """The page wheel's files: the packages' modules without docstrings, their
    data files, and ``app/build-info.json`` (``info``)."""
    members = {
        rel: strip_docstrings((site_src / rel).read_text("utf-8"), rel).encode()
        for rel in site_python_files(site_src)
    }
    for rel in site_data_files(site_src):
        members[rel] = (site_src / rel).read_bytes()
    members[f"app/{BUILD_INFO}"] = (json.dumps(info, indent=2) + "\n").encode()
    return members


def _copy_site(site_src: Path, out: Path) -> None:
    """The page's own files; its packages go into the page wheel, ``main.py``
    into ``index.html``."""
    ignore = shutil.ignore_patterns(
        "__pycache__", "*.pyc", ".*", "pyscript.json", "*.whl", "*.wasm", "main.py"
    )
    for path in sorted(site_src.iterdir()):
        if path.name in SITE_PACKAGES or ignore(str(site_src), [path.name]):
            continue
        if path.is_dir():
            shutil.copytree(path, out / path.name, ignore=ignore)
        else:
            shutil.copy2(path, out / path.name)


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


def _pyscript_config(site_src: Path, interpreter: str, packages: list[str]) -> dict:
    """``site/pyscript.json`` with the interpreter and the packages Pyodide's
    loader fetches while it boots (PyScript passes them through)."""
    base_path = site_src / "pyscript.json"
    config = json.loads(base_path.read_text()) if base_path.exists() else {}
    config["interpreter"] = interpreter
    config["packages"] = packages
    config["packages_cache"] = "passthrough"
    return config


def _preload(href: str, *, module: bool = False) -> str:
    """A preload hint matching the request the page will make for ``href``:
    ``import()`` for modules, ``fetch()`` (CORS mode) for the rest."""
    if module:
        return f'<link rel="modulepreload" href="{href}">'
    return f'<link rel="preload" href="{href}" as="fetch" crossorigin>'


def _pyscript_chunks(pyscript_dist: Path) -> list[str]:
    """The file names of :data:`PYSCRIPT_START_CHUNKS` in this PyScript."""
    names = []
    for prefix in PYSCRIPT_START_CHUNKS:
        names += sorted(p.name for p in pyscript_dist.glob(f"{prefix}-*.js"))
    return names


def _head_block(
    *, csp: str, importmap: str | None, css: str, js: str, preloads: list[str]
) -> str:
    lines = [f'<meta http-equiv="Content-Security-Policy" content="{csp}">']
    if importmap:
        lines.append(f'<script type="importmap">{importmap}</script>')
    lines += [css, js, *preloads]
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


def _vendored_head(pyscript_dist: Path) -> str:
    """The head block of the self-contained site: everything from
    ``./vendor/``, the runtime's files preloaded."""
    core = "./vendor/pyodide/"
    chunks = [f"./vendor/pyscript/{name}" for name in _pyscript_chunks(pyscript_dist)]
    # in the order they are needed: the small files of PyScript's start
    # first, then the runtime, then the packages Pyodide loads after it
    preloads = [
        *(_preload(chunk, module=True) for chunk in chunks),
        _preload("./pyscript.json"),
        _preload(core + "pyodide.mjs", module=True),
        _preload(core + "pyodide-lock.json"),
        _preload(core + "pyodide.asm.js", module=True),
        _preload(core + "pyodide.asm.wasm"),
        _preload(core + "python_stdlib.zip"),
    ]
    head = _head_block(
        csp=_csp(),
        importmap=None,
        css='<link rel="stylesheet" href="./vendor/pyscript/core.css">',
        js='<script type="module" src="./vendor/pyscript/core.js"></script>',
        preloads=preloads,
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
        preloads=[_preload("./pyscript.json")],
    )


def picture_markup(picture: FirstPicture | None) -> str:
    """What replaces :data:`PICTURE_MARKER`: the picture's caption and the SVG
    inline (drawn with the HTML's first paint, no request), or nothing."""
    if picture is None:
        return ""
    svg = picture.svg.strip().replace(
        "<svg ",
        '<svg id="first-picture" class="first-picture" role="img" '
        f"aria-label={quoteattr(picture.alt)} ",
        1,
    )
    caption = f'<p class="frame-label first-picture">{escape(picture.caption)}</p>'
    return f"{caption}\n{svg}"


def inline_main(html: str, site_src: Path) -> str:
    """``<script type="py" src="./main.py" ...>`` with ``main.py`` (docstring
    stripped) as its text: PyScript runs it without fetching it first."""
    match = MAIN_SCRIPT_RE.search(html)
    if match is None:
        raise BuildError(
            f'{site_src / "index.html"} lacks <script type="py" src="./main.py">'
        )
    code = strip_docstrings((site_src / "main.py").read_text("utf-8"), "main.py")
    if "</" in code:
        raise BuildError("main.py cannot be inlined: it contains '</'")
    tag = match.group(0).replace(' src="./main.py"', "", 1)
    return html[: match.start()] + tag + "\n" + code + html[match.end() :]


def _write_index(out: Path, site_src: Path, head: str, picture: str) -> None:
    """Paste the includes, the head block, the first picture and ``main.py``
    into ``out/index.html``."""
    index = out / "index.html"
    html, included = expand_includes(index.read_text(encoding="utf-8"), site_src)
    html = inline_main(html, site_src)
    for name in included:
        # inlined into index.html; a bare fragment is not a page of its own
        if name != "index.html":
            (out / name).unlink(missing_ok=True)
    for marker in (HEAD_MARKER, PICTURE_MARKER):
        if marker not in html:
            raise BuildError(f"{site_src / 'index.html'} lacks the {marker} marker")
    if picture:
        # boot.js shows the picture only when this is present
        head += '\n    <meta name="emgmm-first-picture" content="default">'
    html = html.replace(HEAD_MARKER, head, 1).replace(PICTURE_MARKER, picture, 1)
    index.write_text(html, encoding="utf-8")


def write_service_worker(out: Path) -> list[str]:
    """Fill in ``out/sw.js``: every file of the built site with its sha256
    (the worker installs a version only if each file it fetched has its
    hash) and a cache name that changes whenever any of their bytes do.

    Returns the precached paths, relative to the site (``./`` first).
    """
    template = out / "sw.js"
    files = sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and p.name not in {"sw.js", ".nojekyll"}
    )
    text = template.read_text(encoding="utf-8")
    # the worker's own code counts too: a new worker never shares a cache
    # name with the one it replaces
    digest = hashlib.sha256(text.encode())
    hashes = {}
    for rel in files:
        data = (out / rel).read_bytes()
        digest.update(rel.encode() + b"\0" + data)
        hashes[rel] = hashlib.sha256(data).hexdigest()
    # "./" is index.html, as the server answers it
    entries = [["./", hashes["index.html"]]] if "index.html" in hashes else []
    entries += [[f"./{rel}", hashes[rel]] for rel in files]
    text = text.replace("__VERSION__", digest.hexdigest()[:16])
    text = text.replace("__FILES__", json.dumps(entries, indent=1))
    template.write_text(text, encoding="utf-8")
    return [url for url, _ in entries]


def _vendor(info, out, pyscript_dist, wheels_dir, numpy, allow_other_numpy) -> None:
    """Copy the runtimes and numpy into ``out`` and record the numpy wheel in
    ``info`` (:func:`build_site`'s parameters of the same names)."""
    if allow_other_numpy is None:
        allow_other_numpy = allow_other_numpy_from_env()
    expected, found = vendor_runtimes(
        out,
        pyscript_dist,
        info["pyodide_version"],
        wheels_dir,
        numpy,
        allow_other_numpy=allow_other_numpy,
    )
    info["numpy_wheel_expected"] = expected
    info["numpy_wheel"] = found


def build_site(
    out: Path = DIST_SITE,
    *,
    vendor: bool = False,
    pyodide_version: str = PYODIDE_VERSION,
    wheels_dir: Path | None = None,
    numpy: bool = True,
    site_src: Path = SITE_SRC,
    wheel: Path | None = None,
    picture: bool = True,
    bytecode: bool = True,
    allow_other_numpy: bool | None = None,
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
    picture : bool
        Draw the first picture (needs numpy in this Python and a real emcore
        wheel); False leaves the chart empty until Python draws it.
    bytecode : bool
        Ship the wheels' modules compiled by Pyodide (:mod:`sitebuild.bytecode`;
        needs Node); False ships the sources.
    allow_other_numpy : bool or None
        Ship a numpy wheel whose bytes differ from ``pyodide-lock.json``
        (recorded in the vendored lock, with a warning); None reads
        ``EMGMM_ALLOW_OTHER_NUMPY``. Otherwise such a wheel is refused.
    """
    t0 = time.perf_counter()
    if not vendor and pyodide_version != PYODIDE_VERSION:
        raise BuildError("--pyodide-version only applies to --vendor builds")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    _copy_site(site_src, out)

    wheels_out = out / "wheels"
    with tempfile.TemporaryDirectory(prefix="emgmm-wheel-") as tmp:
        if wheel is None:
            wheel = build_wheel(Path(tmp))
        wheel = browser_wheel(wheel, wheels_out)
    version = wheel.name.split("-")[1]
    page = wheels_out / f"{PAGE_DIST}-{version}-py3-none-any.whl"

    pyscript_dist = npm_package("@pyscript/core", PYSCRIPT_VERSION) / "dist"
    info: dict = {
        "mode": "vendor" if vendor else "cdn",
        "pyscript_version": PYSCRIPT_VERSION,
        "pyodide_version": pyodide_version,
        "emcore_wheel": f"wheels/{wheel.name}",
        "page_wheel": f"wheels/{page.name}",
        "numpy_wheel": None,
        "bytecode": bytecode and shutil.which("node") is not None,
    }
    if vendor:
        _vendor(info, out, pyscript_dist, wheels_dir, numpy, allow_other_numpy)
    page_wheel(page_members(site_src, info), wheels_out, version)
    wheels = [info["emcore_wheel"], info["page_wheel"]]
    if vendor:
        interpreter = "./vendor/pyodide/pyodide.mjs"
        head = _vendored_head(pyscript_dist)
    else:
        interpreter = pyodide_cdn_base() + "pyodide.mjs"
        head = _cdn_head(pyscript_dist)
    drawn = first_picture(wheel, page) if picture else None  # from the sources
    if info["bytecode"]:
        compile_wheels([wheel, page], pyodide_version)
    _write_index(out, site_src, head, picture_markup(drawn))

    packages = ["numpy", *(f"./{w}" for w in wheels)]
    config = _pyscript_config(site_src, interpreter, packages)
    (out / "pyscript.json").write_text(json.dumps(config, indent=2) + "\n")
    (out / BUILD_INFO).write_text(json.dumps(info, indent=2) + "\n")
    (out / ".nojekyll").write_text("")
    if vendor:
        write_service_worker(out)
    else:
        (out / "sw.js").unlink(missing_ok=True)
    log(f"site written to {out} ({info['mode']}) in {time.perf_counter() - t0:.1f} s")
    return info
