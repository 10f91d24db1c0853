#!/usr/bin/env python3
"""Build, serve and test the EM / Gaussian-mixture simulator page.

Standard library only; ``pip`` builds the emcore wheel and ``npm`` fetches the
vendored runtimes.

Commands
--------
``python build.py``
    Build the emcore wheel and write the deployable static site to
    ``dist/site/``. PyScript and Pyodide load from the jsDelivr CDN at the
    versions pinned below (the GitHub Pages build).
``python build.py --vendor [--pyodide-version V] [--wheels DIR] [--no-numpy]``
    Write a fully self-contained site (works with the network off): PyScript
    from npm ``@pyscript/core``, the Pyodide core from npm ``pyodide`` and
    Pyodide's numpy wasm wheel from ``--wheels DIR`` (default: ``$EMGMM_WHEELS``,
    else ``~/.cache/emgmm/wheels``) or downloaded from the Pyodide CDN and
    checked against ``pyodide-lock.json``.
``python build.py serve [--port P] [build options]``
    Build, then serve ``dist/site`` on http://127.0.0.1:P/.
``python build.py test [pytest args]``
    Create ``.venv`` if missing, install ``.[test]``, install Debian chromium,
    firefox-esr, webkit2gtk-driver and xvfb when running as root without them
    and npm puppeteer-core into ``.cache/node``, then run ruff and pytest.

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

import argparse
import ast
import base64
import gzip
import hashlib
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
import venv
import zipfile
from functools import partial
from pathlib import Path

# ---------------------------------------------------------------------------
# The one place that pins the browser runtime. Both builds (CDN and vendored)
# and the browser tests use these.
PYSCRIPT_VERSION = "0.7.31"
PYODIDE_VERSION = "0.28.3"
# ---------------------------------------------------------------------------

JSDELIVR = "https://cdn.jsdelivr.net"
ROOT = Path(__file__).resolve().parent
SITE_SRC = ROOT / "site"
DIST_SITE = ROOT / "dist" / "site"
CACHE_DIR = Path(os.environ.get("EMGMM_CACHE", Path.home() / ".cache" / "emgmm"))
NPM_CACHE = CACHE_DIR / "npm"
DEFAULT_WHEELS = CACHE_DIR / "wheels"
HEAD_MARKER = "<!-- build:head -->"
# Debian's chromium, which `build.py test` installs; the browser tests and the
# browser benchmark drive it headless with these flags (no background traffic:
# this machine's network is closed)
CHROMIUM = Path(os.environ.get("EMGMM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Firefox ESR and WebKitGTK (Safari's engine), from Debian like chromium. Firefox
# is driven over WebDriver BiDi by npm puppeteer-core (installed into NODE_DIR,
# never downloading a browser), WebKit by selenium through WebKitWebDriver and
# MiniBrowser on an Xvfb display (its --headless mode hangs).
FIREFOX = Path(os.environ.get("EMGMM_FIREFOX", "/usr/bin/firefox-esr"))
WEBKIT_DRIVER = Path(os.environ.get("EMGMM_WEBKIT_DRIVER", "/usr/bin/WebKitWebDriver"))
MINIBROWSER = Path(
    os.environ.get(
        "EMGMM_MINIBROWSER", "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
    )
)
XVFB = Path("/usr/bin/Xvfb")
# the last puppeteer-core whose engines field accepts Debian 12's Node 20
PUPPETEER_CORE_VERSION = "24.43.1"
NODE_DIR = ROOT / ".cache" / "node"  # git-ignored
# Debian package that provides each browser file the tests need
BROWSER_PACKAGES = {
    CHROMIUM: "chromium",
    FIREFOX: "firefox-esr",
    WEBKIT_DRIVER: "webkit2gtk-driver",
    MINIBROWSER: "webkit2gtk-driver",  # via its dependency libwebkit2gtk-4.1-0
    XVFB: "xvfb",
}
# ``<!-- include:theory.html -->`` in index.html is replaced by site/theory.html
INCLUDE_RE = re.compile(r"<!--\s*include:\s*([A-Za-z0-9_][A-Za-z0-9_.-]*\.html)\s*-->")
# files Pyodide needs from the npm "pyodide" package (the core distribution)
PYODIDE_CORE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".css": "text/css",
    ".html": "text/html",
    ".py": "text/x-python",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}


class BuildError(Exception):
    """A build step failed; the message says what and how to fix it."""


def log(msg: str) -> None:
    print(f"[build] {msg}", flush=True)


def pyscript_cdn_base(version: str = PYSCRIPT_VERSION) -> str:
    return f"{JSDELIVR}/npm/@pyscript/core@{version}/dist/"


def pyodide_cdn_base(version: str = PYODIDE_VERSION) -> str:
    return f"{JSDELIVR}/pyodide/v{version}/full/"


def sri(path: Path, algorithm: str = "sha384") -> str:
    digest = hashlib.new(algorithm, path.read_bytes()).digest()
    return f"{algorithm}-{base64.b64encode(digest).decode()}"


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    log("$ " + " ".join(str(c) for c in cmd))
    return subprocess.run(cmd, check=False, **kwargs)


# --------------------------------------------------------------------------- wheel
def build_wheel(out_dir: Path) -> Path:
    """Build the emcore wheel with pip into ``out_dir`` and check it is pure."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="emgmm-wheel-") as tmp:
        cmd = [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps"]
        cmd += ["-w", tmp, "--quiet", "--disable-pip-version-check"]
        proc = run(cmd)
        if proc.returncode != 0:
            raise BuildError(
                "building the emcore wheel failed (pip wheel . --no-deps); "
                "see pip's output above (a missing README.md or a syntax "
                "error in emcore/ are common causes)"
            )
        wheels = sorted(Path(tmp).glob("emcore-*.whl"))
        if len(wheels) != 1:
            raise BuildError(f"expected one emcore wheel, pip produced {wheels}")
        wheel = wheels[0]
        if not wheel.name.endswith("-py3-none-any.whl"):
            raise BuildError(
                f"{wheel.name} is not a pure py3-none-any wheel; Pyodide needs one"
            )
        target = out_dir / wheel.name
        shutil.copy2(wheel, target)
    log(f"wheel {target.name}")
    return target


# ------------------------------------------------------------------ shipped Python
def strip_docstrings(source: str, filename: str = "<site>") -> str:
    """The same module without docstrings and comments, for the browser.

    The page never reads a docstring, and they are most of the bytes of this
    project's Python: the browser gets ``ast.unparse`` of the module with every
    module, class and function docstring removed. Behaviour is unchanged; the
    repository and the PyPI wheel keep the documented sources.
    """
    tree = ast.parse(source, filename=filename)
    for node in ast.walk(tree):
        if not isinstance(
            node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
        ):
            continue
        body = node.body
        if (
            body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    text = ast.unparse(tree) + "\n"
    compile(text, filename, "exec")  # never ship what would not import
    return text


def strip_site_python(out: Path) -> None:
    """Strip docstrings from the site's Python files in the built ``out``."""
    for rel in site_python_files(out):
        path = out / rel
        path.write_text(strip_docstrings(path.read_text("utf-8"), rel), "utf-8")


def browser_wheel(wheel: Path, out_dir: Path) -> Path:
    """A copy of ``wheel`` whose modules have no docstrings, RECORD redone.

    Same name and metadata: it is the same package, only smaller to download.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / wheel.name
    records = []
    with (
        zipfile.ZipFile(wheel) as src,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst,
    ):
        record_name = next(n for n in src.namelist() if n.endswith(".dist-info/RECORD"))
        for info in src.infolist():
            if info.filename == record_name:
                continue
            data = src.read(info.filename)
            if info.filename.endswith(".py"):
                data = strip_docstrings(data.decode("utf-8"), info.filename).encode()
            dst.writestr(info.filename, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest())
            records.append(
                f"{info.filename},sha256={digest.decode().rstrip('=')},{len(data)}"
            )
        records.append(f"{record_name},,")
        dst.writestr(record_name, "\n".join(records) + "\n")
    return target


# --------------------------------------------------------------------------- npm
def _safe_extract(tgz: Path, dest: Path) -> None:
    with tarfile.open(tgz) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, filter="data")
            return
        for member in tar.getmembers():
            target = (dest / member.name).resolve()
            if not str(target).startswith(str(dest.resolve())) or not (
                member.isfile() or member.isdir()
            ):
                raise BuildError(f"refusing suspicious tar member {member.name}")
        tar.extractall(dest)  # noqa: S202 - members checked above


def npm_package(name: str, version: str) -> Path:
    """Return the extracted ``package/`` folder of ``name@version``.

    The tarball is fetched once with ``npm pack`` into ``~/.cache/emgmm/npm``
    (npm checks it against the registry's integrity hash) and reused after.
    """
    NPM_CACHE.mkdir(parents=True, exist_ok=True)
    tgz = NPM_CACHE / f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"
    if not tgz.exists():
        if shutil.which("npm") is None:
            raise BuildError(
                f"npm is needed to fetch {name}@{version} (install Node.js/npm), "
                f"or place its tarball at {tgz}"
            )
        proc = run(
            ["npm", "pack", f"{name}@{version}", "--pack-destination", str(NPM_CACHE)],
            stdout=subprocess.DEVNULL,
        )
        if proc.returncode != 0 or not tgz.exists():
            raise BuildError(f"npm pack {name}@{version} failed (see output above)")
    extracted = NPM_CACHE / "extracted" / tgz.name.removesuffix(".tgz")
    package = extracted / "package"
    if not (package / "package.json").exists():
        if extracted.exists():
            shutil.rmtree(extracted)
        extracted.mkdir(parents=True)
        _safe_extract(tgz, extracted)
    meta = json.loads((package / "package.json").read_text())
    if meta.get("name") != name or meta.get("version") != version:
        raise BuildError(f"{tgz} holds {meta.get('name')}@{meta.get('version')}")
    return package


# --------------------------------------------------------------------------- site
#: Packages of the page's Python, copied onto Pyodide's filesystem
SITE_PACKAGES = ("app", "simapp")
#: Data files the page's Python reads (bundled datasets), by suffix
SITE_DATA_SUFFIXES = (".csv",)


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


def _find_numpy_wheel(entry: dict, wheels_dir: Path | None) -> Path | None:
    """Find the numpy wheel the lock names, or one with the same platform tags."""
    if wheels_dir is None or not wheels_dir.is_dir():
        return None
    exact = wheels_dir / entry["file_name"]
    if exact.exists():
        return exact
    # numpy-<version>-<py>-<abi>-<platform>.whl: accept another version built
    # for the same interpreter and Pyodide ABI.
    tags = entry["file_name"].split("-", 2)[2]
    candidates = sorted(wheels_dir.glob(f"numpy-*-{tags}"))
    return candidates[-1] if candidates else None


def _download(url: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(target.suffix + ".part")
    log(f"downloading {url}")
    with urllib.request.urlopen(url, timeout=60) as resp, tmp.open("wb") as fh:
        shutil.copyfileobj(resp, fh)
    tmp.replace(target)


def default_wheels_dir() -> Path | None:
    env = os.environ.get("EMGMM_WHEELS")
    if env:
        return Path(env).expanduser()
    return DEFAULT_WHEELS


def vendor_numpy(
    lock: dict, pyodide_version: str, wheels_dir: Path | None, out_dir: Path
) -> Path:
    """Copy Pyodide's numpy wheel into ``out_dir``, updating ``lock`` in place.

    Raises
    ------
    BuildError
        When the wheel is neither in ``wheels_dir`` nor downloadable, or a
        download does not match the lock's sha256.
    """
    entry = lock["packages"]["numpy"]
    wanted = entry["file_name"]
    found = _find_numpy_wheel(entry, wheels_dir)
    if found is None:
        url = pyodide_cdn_base(pyodide_version) + wanted
        target = DEFAULT_WHEELS / wanted
        try:
            _download(url, target)
        except (urllib.error.URLError, OSError) as exc:
            where = wheels_dir if wheels_dir is not None else "(no wheels folder)"
            raise BuildError(
                f"the vendored build needs Pyodide's numpy wheel {wanted}: it is "
                f"not in {where} and downloading {url} failed ({exc}). Put that "
                "file in a folder and pass --wheels DIR (or set EMGMM_WHEELS), "
                "or build with --no-numpy to test the error page."
            ) from exc
        digest = sha256_file(target)
        if digest != entry["sha256"]:
            target.unlink()
            raise BuildError(
                f"downloaded {wanted} has sha256 {digest}, but pyodide-lock.json "
                f"says {entry['sha256']}; refusing to use it"
            )
        found = target
    digest = sha256_file(found)
    if found.name != wanted or digest != entry["sha256"]:
        log(
            f"numpy wheel {found.name} (sha256 {digest[:12]}...) differs from the "
            f"lock's {wanted} ({entry['sha256'][:12]}...): recording the supplied "
            "wheel in the vendored pyodide-lock.json"
        )
        entry["file_name"] = found.name
        entry["sha256"] = digest
        parts = found.name.split("-")
        if len(parts) >= 2:
            entry["version"] = parts[1]
    shutil.copy2(found, out_dir / found.name)
    log(f"numpy wheel {found.name}")
    return out_dir / found.name


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

    pyscript_pkg = npm_package("@pyscript/core", PYSCRIPT_VERSION)
    pyscript_dist = pyscript_pkg / "dist"
    info: dict = {
        "mode": "vendor" if vendor else "cdn",
        "pyscript_version": PYSCRIPT_VERSION,
        "pyodide_version": pyodide_version,
        "emcore_wheel": f"wheels/{wheel.name}",
        "numpy_wheel": None,
    }

    if vendor:
        ps_out = out / "vendor" / "pyscript"
        ps_out.mkdir(parents=True)
        for path in sorted(pyscript_dist.iterdir()):
            if path.suffix in {".js", ".css"}:
                shutil.copy2(path, ps_out / path.name)
        pyodide_pkg = npm_package("pyodide", pyodide_version)
        po_out = out / "vendor" / "pyodide"
        po_out.mkdir(parents=True)
        for name in PYODIDE_CORE_FILES:
            src = pyodide_pkg / name
            if not src.exists():
                raise BuildError(f"npm pyodide@{pyodide_version} lacks {name}")
            if name != "pyodide-lock.json":
                shutil.copy2(src, po_out / name)
        lock = json.loads((pyodide_pkg / "pyodide-lock.json").read_text())
        if "numpy" not in lock.get("packages", {}):
            raise BuildError(f"pyodide-lock.json of {pyodide_version} has no numpy")
        info["numpy_wheel_expected"] = lock["packages"]["numpy"]["file_name"]
        if numpy:
            found = vendor_numpy(lock, pyodide_version, wheels_dir, po_out)
            info["numpy_wheel"] = found.name
        else:
            log("--no-numpy: numpy left out on purpose")
        (po_out / "pyodide-lock.json").write_text(json.dumps(lock, indent=1))
        interpreter = "./vendor/pyodide/pyodide.mjs"
        head = _head_block(
            csp=_csp(),
            importmap=None,
            css='<link rel="stylesheet" href="./vendor/pyscript/core.css">',
            js='<script type="module" src="./vendor/pyscript/core.js"></script>',
        )
        # boot.js registers the offline service worker when this is present
        head += '\n    <meta name="emgmm-service-worker" content="./sw.js">'
    else:
        base = pyscript_cdn_base()
        integrity = {
            base + p.name: sri(p)
            for p in sorted(pyscript_dist.glob("*.js"))
            if p.name != "core.js"
        }
        importmap = json.dumps({"imports": {}, "integrity": integrity})
        head = _head_block(
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
        interpreter = pyodide_cdn_base() + "pyodide.mjs"

    index = out / "index.html"
    html, included = expand_includes(index.read_text(encoding="utf-8"), site_src)
    for name in included:
        # inlined into index.html; a bare fragment is not a page of its own
        if name != "index.html":
            (out / name).unlink(missing_ok=True)
    if HEAD_MARKER not in html:
        raise BuildError(f"{site_src / 'index.html'} lacks the {HEAD_MARKER} marker")
    index.write_text(html.replace(HEAD_MARKER, head, 1), encoding="utf-8")

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


# --------------------------------------------------------------------------- serve
class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the MIME types Pyodide needs and no caching."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map}
    extensions_map.update(MIME_TYPES)
    quiet = False

    #: Compressed as GitHub Pages and most static hosts do, so that local
    #: transfers (and the browser benchmark) look like the deployed site.
    compressible = frozenset({".html", ".css", ".js", ".mjs", ".json", ".py", ".wasm"})
    _gzip_cache: dict = {}

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = self.headers.get("Accept-Encoding", "")
        if (
            "gzip" not in accepts
            or "Range" in self.headers
            or path.suffix not in self.compressible
            or not path.is_file()
        ):
            super().do_GET()
            return
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        body = self._gzip_cache.get(key)
        if body is None:
            body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            self._gzip_cache[key] = body
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        if not self.quiet:
            super().log_message(format, *args)


def make_server(
    directory: Path, port: int = 0, *, quiet: bool = False
) -> http.server.ThreadingHTTPServer:
    """A ThreadingHTTPServer for ``directory`` on 127.0.0.1 (port 0 = free port)."""
    handler = type("Handler", (SiteHandler,), {"quiet": quiet})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), partial(handler, directory=str(directory))
    )
    server.daemon_threads = True
    return server


# --------------------------------------------------------------------------- test
def install_browsers() -> None:
    """Install the three browser engines the tests drive, when missing.

    As root: Debian's chromium, firefox-esr, webkit2gtk-driver (WebKitWebDriver
    and MiniBrowser) and xvfb (``apt-get update`` once, then one ``apt-get
    install -y``). Then npm ``puppeteer-core`` into ``.cache/node`` with
    ``PUPPETEER_SKIP_DOWNLOAD=1``. A failure is logged, not raised: the browser
    tests then fail (or skip, printing why) on their own.
    """
    missing = sorted({pkg for p, pkg in BROWSER_PACKAGES.items() if not p.exists()})
    if missing and hasattr(os, "geteuid") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        lock = ["-o", "DPkg::Lock::Timeout=600"]  # other apt runs may hold the lock
        for cmd in (
            ["apt-get", *lock, "update"],
            ["apt-get", *lock, "install", "-y", *missing],
        ):
            if run(cmd, env=env).returncode != 0:
                log(f"installing {', '.join(missing)} failed; browser tests will fail")
                break
    elif missing:
        log(f"not root: cannot install {', '.join(missing)}")
    package = NODE_DIR / "node_modules" / "puppeteer-core" / "package.json"
    installed = package.exists() and (
        json.loads(package.read_text()).get("version") == PUPPETEER_CORE_VERSION
    )
    if installed:
        return
    if shutil.which("npm") is None:
        log("npm not found: the Firefox tests need npm puppeteer-core")
        return
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    cmd = ["npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix"]
    spec = f"puppeteer-core@{PUPPETEER_CORE_VERSION}"
    if run([*cmd, str(NODE_DIR), spec], env=env).returncode != 0:
        log(f"npm install {spec} failed; the Firefox tests will fail")


def run_tests(pytest_args: list[str]) -> int:
    """Set up .venv, the browsers, then ruff + pytest; return the exit code."""
    venv_dir = ROOT / ".venv"
    py = venv_dir / "bin" / "python"
    if not py.exists():
        log(f"creating {venv_dir}")
        venv.EnvBuilder(with_pip=True).create(venv_dir)
    proc = run([str(py), "-m", "pip", "install", "--quiet", "-e", ".[test]"], cwd=ROOT)
    if proc.returncode != 0:
        log("installing .[test] failed")
        return proc.returncode
    install_browsers()
    ruff = str(venv_dir / "bin" / "ruff")
    steps = {
        "ruff check": [ruff, "check", "."],
        "ruff format --check": [ruff, "format", "--check", "."],
        # the slowest tests in every run's output: CI has a 30-minute budget
        "pytest": [str(py), "-m", "pytest", *(pytest_args or ["--durations=25"])],
    }
    failed = [name for name, cmd in steps.items() if run(cmd, cwd=ROOT).returncode]
    if not pytest_args and other_kernel_pass(str(py)):
        failed.append("pytest under a second OpenBLAS kernel")
    if failed:
        log("FAILED: " + ", ".join(failed))
        return 1
    log("all checks passed")
    return 0


#: emcore's numeric tests, run again under a second BLAS kernel (the slow
#: search over random starts is left out: it adds minutes and no new products).
NUMERIC_TESTS = [
    "tests/emcore/test_blas_kernels.py",
    "tests/emcore/test_robustness.py",
    "tests/emcore/test_mixture.py",
    "-k",
    "not reaches_sklearns_best_optimum",
]


def other_kernel_pass(py: str) -> int:
    """Run the numeric tests under an OpenBLAS kernel other than this CPU's.

    Matrix products give NaN from ``inf * 0`` on some kernels only, so results
    must not depend on the kernel; ``OPENBLAS_CORETYPE`` picks another one for
    this pytest process alone. Haswell and Sandybridge run on every x86-64 CPU
    of the last decade. Returns pytest's exit code.
    """
    probe = (
        "import numpy, threadpoolctl; print(next(i['architecture'] for i in "
        "threadpoolctl.threadpool_info() if i['internal_api'] == 'openblas'))"
    )
    found = subprocess.run([py, "-c", probe], capture_output=True, text=True)
    default = found.stdout.strip() or "unknown"
    other = "Sandybridge" if default.lower() in ("haswell", "zen") else "Haswell"
    log(f"numeric tests again under OpenBLAS {other} (this CPU's kernel: {default})")
    env = {**os.environ, "OPENBLAS_CORETYPE": other}
    cmd = [py, "-m", "pytest", "-W", "error::RuntimeWarning", *NUMERIC_TESTS]
    start = time.monotonic()
    code = run(cmd, cwd=ROOT, env=env).returncode
    log(f"second-kernel pass took {time.monotonic() - start:.0f} s")
    return code


# --------------------------------------------------------------------------- cli
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
        )
    except BuildError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return 2
    if args.command == "serve":
        server = make_server(args.out, args.port)
        host, port = server.server_address[:2]
        print(f"Serving {args.out} at http://{host}:{port}/ (Ctrl+C stops)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
