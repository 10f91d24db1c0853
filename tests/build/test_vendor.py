"""sitebuild.vendor: numpy wheel vendoring, checked against the lock, without a
browser."""

from __future__ import annotations

import json
import re
import urllib.error
from pathlib import Path

import pytest

from sitebuild import vendor
from sitebuild.assemble import build_site
from sitebuild.common import PYODIDE_VERSION, BuildError, pyodide_cdn_base
from sitebuild.vendor import npm_package, sha256_file


@pytest.fixture
def lock_numpy() -> dict:
    pkg = npm_package("pyodide", PYODIDE_VERSION)
    return json.loads((pkg / "pyodide-lock.json").read_text())["packages"]["numpy"]


@pytest.fixture
def no_download(monkeypatch, tmp_path):
    """Downloads fail as on a machine that cannot reach the Pyodide CDN."""

    def refuse(url, target):
        raise urllib.error.URLError("network unreachable (test)")

    monkeypatch.setattr(vendor, "_download", refuse)
    monkeypatch.setattr(vendor, "DEFAULT_WHEELS", tmp_path / "default-wheels")


def _vendored_lock(out: Path) -> dict:
    return json.loads((out / "vendor" / "pyodide" / "pyodide-lock.json").read_text())


def _build_with(tmp_path, wheels, fake_emcore_wheel, **kwargs) -> tuple[Path, dict]:
    out = tmp_path / "site"
    info = build_site(
        out,
        vendor=True,
        wheels_dir=wheels,
        wheel=fake_emcore_wheel,
        picture=False,
        bytecode=False,
        **kwargs,
    )
    return out, info


def test_supplied_wheel_with_other_bytes_is_refused(
    tmp_path, fake_emcore_wheel, lock_numpy, monkeypatch
):
    monkeypatch.delenv("EMGMM_ALLOW_OTHER_NUMPY", raising=False)
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    supplied = wheels / lock_numpy["file_name"]
    supplied.write_bytes(b"a locally built numpy wheel with other bytes")
    with pytest.raises(BuildError) as err:
        _build_with(tmp_path, wheels, fake_emcore_wheel)
    message = str(err.value)
    assert "refusing to use it" in message and "--allow-other-numpy" in message
    assert sha256_file(supplied) in message and lock_numpy["sha256"] in message


def test_supplied_wheel_of_another_numpy_version_is_refused(
    tmp_path, fake_emcore_wheel, lock_numpy, monkeypatch
):
    monkeypatch.delenv("EMGMM_ALLOW_OTHER_NUMPY", raising=False)
    tags = lock_numpy["file_name"].split("-", 2)[2]
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    (wheels / f"numpy-9.9.9-{tags}").write_bytes(b"other version")
    with pytest.raises(BuildError, match="numpy-9.9.9"):
        _build_with(tmp_path, wheels, fake_emcore_wheel)


def test_the_lock_is_rewritten_only_when_asked_and_with_a_warning(
    tmp_path, fake_emcore_wheel, lock_numpy, capsys
):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    supplied = wheels / lock_numpy["file_name"]
    supplied.write_bytes(b"a locally built numpy wheel with other bytes")
    out, info = _build_with(tmp_path, wheels, fake_emcore_wheel, allow_other_numpy=True)
    entry = _vendored_lock(out)["packages"]["numpy"]
    assert entry["sha256"] == sha256_file(supplied) != lock_numpy["sha256"]
    assert entry["file_name"] == supplied.name == info["numpy_wheel"]
    assert (out / "vendor" / "pyodide" / supplied.name).read_bytes() == (
        supplied.read_bytes()
    )
    assert "WARNING" in capsys.readouterr().out


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_another_numpy_version_is_shipped_under_its_own_name_when_asked(
    tmp_path, fake_emcore_wheel, lock_numpy, monkeypatch, how
):
    tags = lock_numpy["file_name"].split("-", 2)[2]
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    (wheels / f"numpy-9.9.9-{tags}").write_bytes(b"other version")
    if how == "environment":
        monkeypatch.setenv("EMGMM_ALLOW_OTHER_NUMPY", "1")
        kwargs = {}
    else:
        monkeypatch.setenv("EMGMM_ALLOW_OTHER_NUMPY", "0")
        kwargs = {"allow_other_numpy": True}
    out, _ = _build_with(tmp_path, wheels, fake_emcore_wheel, **kwargs)
    entry = _vendored_lock(out)["packages"]["numpy"]
    assert entry["file_name"] == f"numpy-9.9.9-{tags}"
    assert entry["version"] == "9.9.9"


def test_the_lock_is_kept_as_it_is_for_its_own_wheel(
    tmp_path, fake_emcore_wheel, lock_numpy
):
    pkg = npm_package("pyodide", PYODIDE_VERSION)
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    supplied = wheels / lock_numpy["file_name"]
    supplied.write_bytes(b"stands for the lock's wheel")
    original = json.loads((pkg / "pyodide-lock.json").read_text())
    # a lock whose numpy hash is this stand-in's: nothing may be rewritten
    original["packages"]["numpy"]["sha256"] = sha256_file(supplied)
    lock = json.loads(json.dumps(original))
    vendor.vendor_numpy(lock, PYODIDE_VERSION, wheels, tmp_path)
    assert lock == original


def test_missing_numpy_wheel_is_a_clear_error_naming_the_file(
    tmp_path, fake_emcore_wheel, lock_numpy, no_download
):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(BuildError) as err:
        build_site(
            tmp_path / "site", vendor=True, wheels_dir=empty, wheel=fake_emcore_wheel
        )
    message = str(err.value)
    assert lock_numpy["file_name"] in message
    assert "--wheels DIR" in message and str(empty) in message
    assert pyodide_cdn_base() + lock_numpy["file_name"] in message


def test_downloaded_wheel_must_match_the_lock(tmp_path, fake_emcore_wheel, monkeypatch):
    monkeypatch.setattr(vendor, "DEFAULT_WHEELS", tmp_path / "default-wheels")

    def fake_download(url, target):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"tampered")

    monkeypatch.setattr(vendor, "_download", fake_download)
    with pytest.raises(BuildError, match="refusing to use it"):
        build_site(
            tmp_path / "site",
            vendor=True,
            wheels_dir=tmp_path / "nowhere",
            wheel=fake_emcore_wheel,
            picture=False,
            bytecode=False,
        )
    assert not list((tmp_path / "default-wheels").glob("*.whl"))


def test_no_numpy_build_keeps_the_lock_and_leaves_the_wheel_out(
    tmp_path, fake_emcore_wheel, lock_numpy, no_download
):
    out = tmp_path / "site"
    info = build_site(
        out,
        vendor=True,
        numpy=False,
        wheel=fake_emcore_wheel,
        picture=False,
        bytecode=False,
    )
    assert info["numpy_wheel"] is None
    assert info["numpy_wheel_expected"] == lock_numpy["file_name"]
    assert not list((out / "vendor" / "pyodide").glob("*.whl"))
    config = json.loads((out / "pyscript.json").read_text())
    assert config["interpreter"] == "./vendor/pyodide/pyodide.mjs"
    # numpy is still asked for (the page then says it could not be loaded),
    # from Pyodide's own loader, never micropip
    assert config["packages"][0] == "numpy"
    assert config["packages_cache"] == "passthrough"
    assert "numpy-" not in (out / "index.html").read_text()  # no preload of it


def test_vendored_build_preloads_the_runtime_it_ships(
    tmp_path, fake_emcore_wheel, lock_numpy
):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    supplied = wheels / lock_numpy["file_name"]
    supplied.write_bytes(b"a numpy wheel")
    out, _ = _build_with(tmp_path, wheels, fake_emcore_wheel, allow_other_numpy=True)
    html = (out / "index.html").read_text()
    head = html[: html.index("</head>")]
    links = re.findall(r"<link rel=\"(modulepreload|preload)\" href=\"([^\"]+)\"", head)
    hrefs = [href for _, href in links]
    for href in hrefs:
        assert (out / href).is_file(), href
    core = "./vendor/pyodide/"
    runtime = ["pyodide.mjs", "pyodide-lock.json", "pyodide.asm.js"]
    for name in [*runtime, "pyodide.asm.wasm", "python_stdlib.zip"]:
        assert core + name in hrefs
    assert "./pyscript.json" in hrefs
    assert "./vendor/pyscript/pyodide_graph" in " ".join(hrefs)
    # the packages are Pyodide's to fetch once the lock is in, after the runtime
    assert not [h for h in hrefs if h.endswith(".whl")]
    # modules as modules (import()), the rest as fetch() in CORS mode
    modules = {href for kind, href in links if kind == "modulepreload"}
    assert modules == {h for h in hrefs if h.endswith((".js", ".mjs"))}
    assert head.count('as="fetch" crossorigin>') == len(hrefs) - len(modules)
    # after the CSP and PyScript's own tags, before the page's stylesheet
    assert head.index("/core.js") < head.index(hrefs[0])
    assert head.index(hrefs[-1]) < head.index("style.css") < head.index("boot.js")
