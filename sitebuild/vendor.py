"""The browser runtimes: npm tarballs and Pyodide's numpy wheel.

:func:`npm_package` fetches and unpacks a pinned npm package once into the
cache (the CDN build reads PyScript's files from it for Subresource
Integrity). :func:`vendor_runtimes` copies PyScript, the Pyodide core and
Pyodide's numpy wasm wheel into a self-contained site; the numpy wheel comes
from a local folder or the Pyodide CDN, and must be the one
``pyodide-lock.json`` names (its sha256) unless the build is told otherwise.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import urllib.error
import urllib.request
from pathlib import Path

from .common import DEFAULT_WHEELS, NPM_CACHE, BuildError, log, pyodide_cdn_base, run

# files Pyodide needs from the npm "pyodide" package (the core distribution)
PYODIDE_CORE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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


def allow_other_numpy_from_env() -> bool:
    """``EMGMM_ALLOW_OTHER_NUMPY=1``: the explicit opt-in for harnesses that
    drive ``build.py`` on a machine whose numpy wheel was built locally."""
    return os.environ.get("EMGMM_ALLOW_OTHER_NUMPY", "") == "1"


def vendor_numpy(
    lock: dict,
    pyodide_version: str,
    wheels_dir: Path | None,
    out_dir: Path,
    *,
    allow_other: bool = False,
) -> Path:
    """Copy Pyodide's numpy wheel into ``out_dir``.

    The wheel must be the one ``pyodide-lock.json`` names, byte for byte (its
    sha256). Only with ``allow_other`` is another one used, and then the
    vendored lock records it (Pyodide checks a wheel against the lock) with a
    warning that names both hashes; ``lock`` is updated in place.

    Raises
    ------
    BuildError
        When the wheel is neither in ``wheels_dir`` nor downloadable, a
        download does not match the lock's sha256, or a supplied wheel differs
        from the lock and ``allow_other`` is False.
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
        difference = (
            f"{found} (sha256 {digest}) is not the numpy wheel pyodide-lock.json "
            f"names ({wanted}, sha256 {entry['sha256']})"
        )
        if not allow_other:
            raise BuildError(
                f"{difference}; refusing to use it. Put Pyodide's own wheel "
                "there (or delete this one to download it), or pass "
                "--allow-other-numpy (EMGMM_ALLOW_OTHER_NUMPY=1) to ship this "
                "wheel and record it in the vendored lock"
            )
        log(f"WARNING: {difference}; --allow-other-numpy: recording it in the lock")
        entry["file_name"] = found.name
        entry["sha256"] = digest
        parts = found.name.split("-")
        if len(parts) >= 2:
            entry["version"] = parts[1]
    shutil.copy2(found, out_dir / found.name)
    log(f"numpy wheel {found.name}")
    return out_dir / found.name


def vendor_runtimes(
    out: Path,
    pyscript_dist: Path,
    pyodide_version: str,
    wheels_dir: Path | None,
    numpy: bool,
    *,
    allow_other_numpy: bool = False,
) -> tuple[str, str | None]:
    """Copy PyScript, the Pyodide core and numpy into ``out/vendor/``.

    Parameters
    ----------
    out : Path
        The site being built.
    pyscript_dist : Path
        The ``dist/`` folder of npm ``@pyscript/core``.
    pyodide_version : str
        The npm ``pyodide`` version to copy.
    wheels_dir : Path or None
        Folder holding Pyodide's numpy wasm wheel.
    numpy : bool
        False leaves numpy out (to test the page's error report).
    allow_other_numpy : bool
        Ship a numpy wheel other than the lock's (see :func:`vendor_numpy`).

    Returns
    -------
    expected : str
        The numpy wheel named by Pyodide's own ``pyodide-lock.json``.
    numpy_wheel : str or None
        The numpy wheel copied (None when ``numpy`` is False).
    """
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
    expected = lock["packages"]["numpy"]["file_name"]
    found = None
    if numpy:
        found = vendor_numpy(
            lock, pyodide_version, wheels_dir, po_out, allow_other=allow_other_numpy
        ).name
    else:
        log("--no-numpy: numpy left out on purpose")
    (po_out / "pyodide-lock.json").write_text(json.dumps(lock, indent=1))
    return expected, found
