"""The wheels' Python as bytecode, compiled once by Pyodide itself.

Importing a module from source makes Pyodide compile it, at every start of
the page: for emcore and the page's ~80 modules that was about half of the
time between the interpreter being up and the page being ready. The build
compiles them instead, with the very Pyodide the site runs (npm ``pyodide``
under Node, the version of the site's runtime), and ships sourceless
``.pyc`` files in place of the ``.py`` files (tracebacks keep file names,
lines and functions; the repository has the sources).

:func:`compile_wheels` rewrites wheels so; each result is cached in
``~/.cache/emgmm/bytecode`` by the wheel's bytes and the Pyodide version.
Without Node the wheel stays as it is (logged): the page works the same,
it only starts slower.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from .common import CACHE_DIR, BuildError, log
from .vendor import npm_package
from .wheel import record_line, write_archive

BYTECODE_CACHE = CACHE_DIR / "bytecode"

# Node side: boot Pyodide, compile every module sent on stdin ({name: source}
# as JSON), print {name: base64 pyc}. PYTHONHASHSEED=0: the order of a
# frozenset constant (``x in {"a", "b"}``) follows the string hashes, and the
# same sources must give the same bytes.
COMPILE_JS = r"""
const [pkgDir] = process.argv.slice(2);
const { loadPyodide } = await import(pkgDir + "/pyodide.mjs");
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const py = await loadPyodide({
  indexURL: pkgDir + "/", env: { PYTHONHASHSEED: "0" },
  stdout: (s) => process.stderr.write(s + "\n"),
});
py.globals.set("SOURCES", Buffer.concat(chunks).toString("utf8"));
try {
  process.stdout.write(py.runPython(`
import base64, json, marshal, importlib.util
out = {}
for name, source in json.loads(SOURCES).items():
    # the file name tracebacks show: the path inside the wheel
    code = compile(source, name.split("/", 1)[1], "exec", dont_inherit=True, optimize=0)
    # a sourceless .pyc: magic, flags 0 and 8 unused bytes, then the code
    data = importlib.util.MAGIC_NUMBER + bytes(12) + marshal.dumps(code)
    out[name] = base64.b64encode(data).decode()
json.dumps(out)
`));
} catch (err) {
  // the Python traceback only (Node would print Pyodide's minified source)
  process.stderr.write("\n" + String(err.message).trim() + "\n");
  process.exit(2);
}
"""


def _compile(sources: dict[str, str], pyodide_version: str) -> dict[str, bytes]:
    """``{module path: pyc bytes}`` from Pyodide under Node."""
    package = npm_package("pyodide", pyodide_version)
    with tempfile.TemporaryDirectory(prefix="emgmm-bytecode-") as tmp:
        script = Path(tmp) / "compile.mjs"
        script.write_text(COMPILE_JS)
        proc = subprocess.run(
            ["node", str(script), str(package)],
            input=json.dumps(sources),
            capture_output=True,
            text=True,
            check=False,
        )
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1][:300]
        raise BuildError(f"compiling the wheels' Python in Pyodide failed: {tail}")
    compiled = json.loads(proc.stdout)
    return {name: base64.b64decode(data) for name, data in compiled.items()}


def _cached(wheel: Path, pyodide_version: str) -> Path:
    key = hashlib.sha256(wheel.read_bytes() + pyodide_version.encode()).hexdigest()
    return BYTECODE_CACHE / f"{wheel.stem}-{key[:32]}.whl"


def _rewrite(wheel: Path, compiled: dict[str, bytes]) -> None:
    """``wheel`` with each compiled module's ``.py`` replaced by its ``.pyc``
    (same place, same name), RECORD redone, written reproducibly."""
    files = {}
    with zipfile.ZipFile(wheel) as whl:
        record = next(n for n in whl.namelist() if n.endswith(".dist-info/RECORD"))
        for name in whl.namelist():
            if name == record or name.endswith("/"):
                continue
            body = whl.read(name)
            if name in compiled:
                name, body = name[:-3] + ".pyc", compiled[name]
            files[name] = body
    lines = [record_line(name, body) for name, body in sorted(files.items())]
    files[record] = ("\n".join([*lines, f"{record},,"]) + "\n").encode()
    tmp = wheel.with_suffix(".tmp")
    write_archive(tmp, files)
    tmp.replace(wheel)


def compile_wheels(wheels: list[Path], pyodide_version: str) -> bool:
    """Replace the wheels' modules by Pyodide's bytecode, in place (one Node
    run for all the wheels not in the cache).

    Returns
    -------
    bool
        True if the wheels now hold bytecode, False if Node is missing (they
        are left as they are).
    """
    if shutil.which("node") is None:
        log("node not found: the wheels ship their Python as source")
        return False
    todo = {}
    for wheel in wheels:
        cached = _cached(wheel, pyodide_version)
        if cached.exists():
            shutil.copyfile(cached, wheel)
        else:
            todo[wheel] = cached
    sources = {}
    for wheel in todo:
        with zipfile.ZipFile(wheel) as whl:
            for name in whl.namelist():
                if name.endswith(".py"):
                    sources[f"{wheel.name}/{name}"] = whl.read(name).decode("utf-8")
    compiled = _compile(sources, pyodide_version) if sources else {}
    for wheel, cached in todo.items():
        prefix = wheel.name + "/"
        mine = {
            k[len(prefix) :]: v for k, v in compiled.items() if k.startswith(prefix)
        }
        _rewrite(wheel, mine)
        BYTECODE_CACHE.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(wheel, cached)
        log(f"{wheel.name}: {len(mine)} modules compiled by Pyodide {pyodide_version}")
    return True
