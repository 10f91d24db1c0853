"""build.py without a browser: numpy wheel vendoring, lock rewriting, config, MIME."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import threading
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from build_support import ROOT, build


def test_browser_wheel_drops_docstrings_and_rewrites_record(
    tmp_path, fake_emcore_wheel
):
    out = build.browser_wheel(fake_emcore_wheel, tmp_path / "out")
    assert out.name == fake_emcore_wheel.name
    with zipfile.ZipFile(out) as whl:
        code = whl.read("emcore/__init__.py").decode()
        record = whl.read("emcore-0.0.0.dist-info/RECORD").decode().splitlines()
        names = set(whl.namelist())
    assert "docstring" not in code and "comment" not in code
    namespace: dict = {}
    exec(compile(code, "emcore/__init__.py", "exec"), namespace)
    assert namespace["f"](1) == 2 and isinstance(namespace["C"], type)
    rows = {row.split(",")[0]: row.split(",")[1:] for row in record}
    assert set(rows) == names
    for name, (digest, size) in rows.items():
        if name.endswith("RECORD"):
            assert digest == size == ""
            continue
        with zipfile.ZipFile(out) as whl:
            data = whl.read(name)
        expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest())
        assert digest == "sha256=" + expected.decode().rstrip("=")
        assert int(size) == len(data)


def test_shipped_site_python_keeps_its_behaviour_without_docstrings():
    # every site module still compiles, and shrinks, once stripped
    for rel in build.site_python_files():
        source = (build.SITE_SRC / rel).read_text("utf-8")
        stripped = build.strip_docstrings(source, rel)
        assert len(stripped) < len(source), rel
    assert build.strip_docstrings('"""only"""\n') == "pass\n"


@pytest.fixture
def lock_numpy() -> dict:
    pkg = build.npm_package("pyodide", build.PYODIDE_VERSION)
    return json.loads((pkg / "pyodide-lock.json").read_text())["packages"]["numpy"]


@pytest.fixture
def no_download(monkeypatch, tmp_path):
    """Downloads fail as on a machine that cannot reach the Pyodide CDN."""

    def refuse(url, target):
        raise urllib.error.URLError("network unreachable (test)")

    monkeypatch.setattr(build, "_download", refuse)
    monkeypatch.setattr(build, "DEFAULT_WHEELS", tmp_path / "default-wheels")


def _vendored_lock(out: Path) -> dict:
    return json.loads((out / "vendor" / "pyodide" / "pyodide-lock.json").read_text())


def test_supplied_wheel_with_other_bytes_is_recorded_in_the_lock(
    tmp_path, fake_emcore_wheel, lock_numpy
):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    supplied = wheels / lock_numpy["file_name"]
    supplied.write_bytes(b"a locally built numpy wheel with other bytes")
    out = tmp_path / "site"
    info = build.build_site(
        out, vendor=True, wheels_dir=wheels, wheel=fake_emcore_wheel
    )
    entry = _vendored_lock(out)["packages"]["numpy"]
    assert entry["sha256"] == build.sha256_file(supplied) != lock_numpy["sha256"]
    assert entry["file_name"] == supplied.name == info["numpy_wheel"]
    assert (out / "vendor" / "pyodide" / supplied.name).read_bytes() == (
        supplied.read_bytes()
    )


def test_supplied_wheel_of_another_numpy_version_records_its_name(
    tmp_path, fake_emcore_wheel, lock_numpy
):
    tags = lock_numpy["file_name"].split("-", 2)[2]
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    (wheels / f"numpy-9.9.9-{tags}").write_bytes(b"other version")
    out = tmp_path / "site"
    build.build_site(out, vendor=True, wheels_dir=wheels, wheel=fake_emcore_wheel)
    entry = _vendored_lock(out)["packages"]["numpy"]
    assert entry["file_name"] == f"numpy-9.9.9-{tags}"
    assert entry["version"] == "9.9.9"


def test_missing_numpy_wheel_is_a_clear_error_naming_the_file(
    tmp_path, fake_emcore_wheel, lock_numpy, no_download
):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(build.BuildError) as err:
        build.build_site(
            tmp_path / "site", vendor=True, wheels_dir=empty, wheel=fake_emcore_wheel
        )
    message = str(err.value)
    assert lock_numpy["file_name"] in message
    assert "--wheels DIR" in message and str(empty) in message
    assert build.pyodide_cdn_base() + lock_numpy["file_name"] in message


def test_downloaded_wheel_must_match_the_lock(tmp_path, fake_emcore_wheel, monkeypatch):
    monkeypatch.setattr(build, "DEFAULT_WHEELS", tmp_path / "default-wheels")

    def fake_download(url, target):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"tampered")

    monkeypatch.setattr(build, "_download", fake_download)
    with pytest.raises(build.BuildError, match="refusing to use it"):
        build.build_site(
            tmp_path / "site",
            vendor=True,
            wheels_dir=tmp_path / "nowhere",
            wheel=fake_emcore_wheel,
        )
    assert not list((tmp_path / "default-wheels").glob("*.whl"))


def test_no_numpy_build_keeps_the_lock_and_leaves_the_wheel_out(
    tmp_path, fake_emcore_wheel, lock_numpy, no_download
):
    out = tmp_path / "site"
    info = build.build_site(out, vendor=True, numpy=False, wheel=fake_emcore_wheel)
    assert info["numpy_wheel"] is None
    assert info["numpy_wheel_expected"] == lock_numpy["file_name"]
    assert not list((out / "vendor" / "pyodide").glob("*.whl"))
    config = json.loads((out / "pyscript.json").read_text())
    assert config["interpreter"] == "./vendor/pyodide/pyodide.mjs"
    assert "packages" not in config  # would need micropip


def test_files_config_lists_every_module_and_data_file(tmp_path, fake_emcore_wheel):
    site_src = tmp_path / "src"
    (site_src / "simapp" / "sub").mkdir(parents=True)
    (site_src / "simapp" / "data").mkdir()
    (site_src / "app" / "views").mkdir(parents=True)
    (site_src / "app" / "__init__.py").write_text("")
    (site_src / "app" / "views" / "chart.py").write_text("Y = 2\n")
    (site_src / "simapp" / "data" / "points.csv").write_text("x,y\n1,2\n")
    (site_src / "simapp" / "data" / "README.txt").write_text("not shipped to Python")
    for name in ("index.html", "theory.html", "main.py", "pyscript.json", "boot.js"):
        (site_src / name).write_bytes((ROOT / "site" / name).read_bytes())
    (site_src / "simapp" / "__init__.py").write_text("")
    (site_src / "simapp" / "draw.py").write_text("X = 1\n")
    (site_src / "simapp" / "sub" / "deep.py").write_text("")
    (site_src / "simapp" / "__pycache__").mkdir()
    (site_src / "simapp" / "__pycache__" / "draw.cpython-313.pyc").write_bytes(b"")
    out = tmp_path / "site"
    build.build_site(out, site_src=site_src, wheel=fake_emcore_wheel)
    files = json.loads((out / "pyscript.json").read_text())["files"]
    expected = [
        "build-info.json",
        "main.py",
        "app/__init__.py",
        "app/views/chart.py",
        "simapp/__init__.py",
        "simapp/draw.py",
        "simapp/sub/deep.py",
        "simapp/data/points.csv",
    ]
    assert files == {f"./{p}": f"./{p}" for p in expected}
    assert not (out / "simapp" / "__pycache__").exists()
    # the data files reach the built site unchanged (Python is stripped)
    assert (out / "simapp" / "data" / "points.csv").read_text() == "x,y\n1,2\n"


def test_the_real_site_ships_its_bundled_datasets(tmp_path, fake_emcore_wheel):
    out = tmp_path / "site"
    build.build_site(out, wheel=fake_emcore_wheel)
    files = json.loads((out / "pyscript.json").read_text())["files"]
    for name in ("iris", "palmer_penguins"):
        rel = f"simapp/data/{name}.csv"
        assert files[f"./{rel}"] == f"./{rel}"
        assert (out / rel).read_bytes() == (ROOT / "site" / rel).read_bytes()
    assert "./app/page.py" in files and "./main.py" in files


def test_cdn_build_pins_versions_and_carries_sri(tmp_path, fake_emcore_wheel):
    out = tmp_path / "site"
    info = build.build_site(out, wheel=fake_emcore_wheel)
    html = (out / "index.html").read_text()
    dist = build.npm_package("@pyscript/core", build.PYSCRIPT_VERSION) / "dist"
    base = build.pyscript_cdn_base()
    assert f'src="{base}core.js" integrity="{build.sri(dist / "core.js")}"' in html
    assert f'href="{base}core.css" integrity="{build.sri(dist / "core.css")}"' in html
    start = html.index('<script type="importmap">') + len('<script type="importmap">')
    importmap = html[start : html.index("</script>", start)]
    integrity = json.loads(importmap)["integrity"]
    assert integrity[base + "core-C9KDLldu.js"] == build.sri(dist / "core-C9KDLldu.js")
    assert build.csp_hash(importmap) in html
    config = json.loads((out / "pyscript.json").read_text())
    assert config["interpreter"] == (
        f"https://cdn.jsdelivr.net/pyodide/v{build.PYODIDE_VERSION}/full/pyodide.mjs"
    )
    assert info["pyscript_version"] == build.PYSCRIPT_VERSION
    assert "<!-- build:head -->" not in html


def test_server_sends_wasm_and_module_mime_types(tmp_path):
    for name in ("a.wasm", "b.mjs", "c.js", "d.json"):
        (tmp_path / name).write_bytes(b"x")
    server = build.make_server(tmp_path, 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        types = {}
        for name in ("a.wasm", "b.mjs", "c.js", "d.json"):
            with urllib.request.urlopen(base + name) as resp:
                types[name] = resp.headers["Content-Type"]
    finally:
        server.shutdown()
        server.server_close()
    assert types == {
        "a.wasm": "application/wasm",
        "b.mjs": "text/javascript",
        "c.js": "text/javascript",
        "d.json": "application/json",
    }


def test_server_compresses_text_and_wasm_only_when_asked(tmp_path):
    text = "print('hello')\n" * 200
    (tmp_path / "m.py").write_text(text)
    (tmp_path / "index.html").write_text("<!doctype html><p>hi</p>" * 50)
    (tmp_path / "w.whl").write_bytes(b"PK" * 100)
    server = build.make_server(tmp_path, 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"

    def get(name, encoding):
        headers = {"Accept-Encoding": encoding} if encoding else {}
        req = urllib.request.Request(base + name, headers=headers)
        with urllib.request.urlopen(req) as resp:
            return resp.headers.get("Content-Encoding"), resp.read()

    try:
        enc, body = get("m.py", "gzip, br")
        assert enc == "gzip" and gzip.decompress(body).decode() == text
        assert len(body) < len(text) / 10
        enc, body = get("", "gzip")  # the directory serves index.html
        assert enc == "gzip" and b"<p>hi</p>" in gzip.decompress(body)
        assert get("m.py", None) == (None, text.encode())
        assert get("w.whl", "gzip") == (None, b"PK" * 100)  # already compressed
    finally:
        server.shutdown()
        server.server_close()
