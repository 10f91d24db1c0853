"""Reproducible builds: the same sources give the same site, byte for byte.

Every wheel the build writes has one fixed timestamp and a fixed member
order, so pip's clock (here: two different ``SOURCE_DATE_EPOCH``) does not
reach the site, and the service worker's cache name only changes when a file
does (returning visitors download nothing after a redeploy of the same
commit).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from sitebuild.assemble import build_site
from sitebuild.common import PYODIDE_VERSION
from sitebuild.vendor import _find_numpy_wheel, default_wheels_dir, npm_package
from sitebuild.wheel import ZIP_TIME, build_wheel


def _numpy_folder() -> Path | None:
    lock = json.loads(
        (npm_package("pyodide", PYODIDE_VERSION) / "pyodide-lock.json").read_text()
    )
    folder = default_wheels_dir()
    found = _find_numpy_wheel(lock["packages"]["numpy"], folder)
    return folder if found is not None else None


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("vendor", [True, False], ids=["vendor", "cdn"])
def test_two_builds_of_the_same_sources_are_identical(tmp_path, monkeypatch, vendor):
    numpy_folder = _numpy_folder() if vendor else None
    sites = []
    for n, epoch in enumerate(("1600000000", "1700000000")):
        # pip's wheel carries this time: the two emcore wheels differ
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        wheel = build_wheel(tmp_path / f"wheel-{n}")
        out = tmp_path / f"site-{n}"
        kwargs = {}
        if vendor:
            kwargs = {
                "vendor": True,
                "wheels_dir": numpy_folder,
                "numpy": numpy_folder is not None,
                "allow_other_numpy": True,
            }
        build_site(out, wheel=wheel, **kwargs)
        sites.append(_files(out))
    first, second = sites
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert differ == []
    wheels = [name for name in first if name.endswith(".whl")]
    assert any(name.startswith("wheels/emcore-") for name in wheels)
    for name in wheels:
        if name.startswith("wheels/"):  # the ones the build writes
            with zipfile.ZipFile(tmp_path / "site-0" / name) as whl:
                assert {i.date_time for i in whl.infolist()} == {ZIP_TIME}, name
    if vendor:
        cache = [
            line for line in first["sw.js"].decode().splitlines() if "CACHE =" in line
        ]
        assert len(cache) == 1 and "emgmm-" in cache[0]
