"""The browser's wheels: emcore (built by pip, copied without docstrings) and
the page's own Python (``app/``, ``simapp/`` and their data in one wheel).

The page wheel is how the page's code reaches Pyodide: one download that
Pyodide's own package loader fetches while the interpreter boots, instead of
one request per module after it. :func:`strip_docstrings` is what every module
of both goes through.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from .common import ROOT, BuildError, log, run


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


#: Name of the page's wheel (a distribution only the page installs).
PAGE_DIST = "simulator_page"
#: The one timestamp of every archive member the build writes: the same
#: sources give the same bytes, and so the same service-worker cache name.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def record_line(name: str, data: bytes) -> str:
    """A RECORD line: path, urlsafe-base64 sha256 without padding, size."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest())
    return f"{name},sha256={digest.decode().rstrip('=')},{len(data)}"


def _member_order(name: str) -> tuple[bool, bool, str]:
    # the packages' files, then the dist-info, RECORD last (as wheels have it)
    return (".dist-info/" in name, name.endswith(".dist-info/RECORD"), name)


def write_archive(target: Path, files: dict[str, bytes]) -> Path:
    """Write a wheel (zip) reproducibly: members in a fixed order, one fixed
    timestamp, the same permissions and compression for all.

    Parameters
    ----------
    target : Path
        The archive to write (replaced if it exists).
    files : dict of str to bytes
        Archive name (POSIX path) -> contents.
    """
    with zipfile.ZipFile(target, "w") as archive:
        for name in sorted(files, key=_member_order):
            member = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            archive.writestr(member, files[name], compresslevel=9)
    return target


def page_wheel(members: dict[str, bytes], out_dir: Path, version: str) -> Path:
    """Write the page's wheel: ``members`` (archive name -> bytes) plus its
    ``dist-info``, deterministically (sorted, fixed times).

    Parameters
    ----------
    members : dict of str to bytes
        E.g. ``{"app/__init__.py": b"..."}``; names are POSIX paths.
    out_dir : Path
        Where the wheel goes.
    version : str
        Its version (the emcore version it ships with).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    info = f"{PAGE_DIST}-{version}.dist-info"
    files = dict(sorted(members.items()))
    files[f"{info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {PAGE_DIST}\nVersion: {version}\n"
        "Summary: The EM simulator page's own Python (app, simapp)\n"
    ).encode()
    files[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: sitebuild\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n"
    )
    files[f"{info}/top_level.txt"] = "".join(
        sorted({name.split("/", 1)[0] + "\n" for name in members})
    ).encode()
    records = [record_line(name, data) for name, data in files.items()]
    files[f"{info}/RECORD"] = (
        "\n".join([*records, f"{info}/RECORD,,"]) + "\n"
    ).encode()
    return write_archive(out_dir / f"{PAGE_DIST}-{version}-py3-none-any.whl", files)


def browser_wheel(wheel: Path, out_dir: Path) -> Path:
    """A copy of ``wheel`` whose modules have no docstrings, RECORD redone.

    Same name and metadata: it is the same package, only smaller to download.
    Written with :func:`write_archive`: pip's timestamps do not reach it.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {}
    with zipfile.ZipFile(wheel) as src:
        record_name = next(n for n in src.namelist() if n.endswith(".dist-info/RECORD"))
        for name in src.namelist():
            if name == record_name or name.endswith("/"):
                continue
            data = src.read(name)
            if name.endswith(".py"):
                data = strip_docstrings(data.decode("utf-8"), name).encode()
            files[name] = data
    records = [
        record_line(name, files[name]) for name in sorted(files, key=_member_order)
    ]
    files[record_name] = ("\n".join([*records, f"{record_name},,"]) + "\n").encode()
    return write_archive(out_dir / wheel.name, files)
