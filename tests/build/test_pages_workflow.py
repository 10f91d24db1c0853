"""The GitHub Pages workflow publishes the self-contained build.

Its build command is read from ``.github/workflows/pages.yml`` and run here
through ``build.py``'s command line with no network: Pyodide's numpy wheel
from the local folder (``$EMGMM_WHEELS`` or ``~/.cache/emgmm/wheels``, as on a
runner after the download), any download refused, and the emcore wheel built
once by pip beforehand (pip's build backend comes from a package index, which
is not what this test is about).
"""

from __future__ import annotations

import json
import re
import shlex
import urllib.request

import pytest
from build_support import ROOT, load_build_script

from sitebuild import assemble, vendor
from sitebuild.common import PYODIDE_VERSION
from sitebuild.vendor import _find_numpy_wheel, default_wheels_dir, npm_package
from sitebuild.wheel import build_wheel

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def _steps(text: str) -> list[dict[str, str]]:
    """``name``, ``run`` and ``path`` of each step of the build job (the
    workflow's own plain layout: one ``key: value`` per line)."""
    job = text[text.index("\n  build:") : text.index("\n  deploy:")]
    steps: list[dict[str, str]] = []
    for line in job.splitlines():
        item = re.match(r"\s+- (\w[\w-]*): (.+)$", line)
        if item:
            steps.append({item.group(1): item.group(2)})
            continue
        field = re.match(r"\s+(run|path|name): (.+)$", line)
        if field and steps:
            steps[-1][field.group(1)] = field.group(2)
    return steps


def _build_step(steps: list[dict[str, str]]) -> tuple[int, list[str]]:
    found = [
        (i, shlex.split(s["run"]))
        for i, s in enumerate(steps)
        if "build.py" in s.get("run", "")
    ]
    assert len(found) == 1, steps
    return found[0]


def test_the_workflow_builds_and_uploads_the_self_contained_site():
    steps = _steps(WORKFLOW.read_text(encoding="utf-8"))
    index, argv = _build_step(steps)
    assert argv[:2] == ["python", "build.py"]
    assert "--vendor" in argv
    assert not {"--no-numpy", "--no-first-picture", "--wheels"} & set(argv)
    out = argv[argv.index("--out") + 1]
    uploads = [s["path"] for s in steps if "upload-pages-artifact" in s.get("uses", "")]
    assert uploads == [out]
    # numpy for the first picture, installed before the build
    installs = [
        i for i, s in enumerate(steps) if "pip install numpy" in s.get("run", "")
    ]
    assert installs and installs[0] < index


@pytest.fixture(scope="module")
def numpy_wheels():
    entry = json.loads(
        (npm_package("pyodide", PYODIDE_VERSION) / "pyodide-lock.json").read_text()
    )["packages"]["numpy"]
    folder = default_wheels_dir()
    if _find_numpy_wheel(entry, folder) is None:
        pytest.skip(f"Pyodide's numpy wheel is not in {folder} (set EMGMM_WHEELS)")
    return folder


def test_the_workflows_build_command_works_offline(tmp_path, monkeypatch, numpy_wheels):
    _, argv = _build_step(_steps(WORKFLOW.read_text(encoding="utf-8")))
    emcore = build_wheel(tmp_path / "emcore")

    def no_network(*args, **kwargs):
        raise AssertionError(f"the build went to the network: {args}")

    monkeypatch.setattr(vendor, "_download", no_network)
    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    monkeypatch.setattr(assemble, "build_wheel", lambda _dir: emcore)
    monkeypatch.setenv("EMGMM_WHEELS", str(numpy_wheels))
    # the cached wheel may be a local build of the lock's numpy
    monkeypatch.setenv("EMGMM_ALLOW_OTHER_NUMPY", "1")
    out = tmp_path / "site"
    args = argv[2:]
    args[args.index("--out") + 1] = str(out)
    assert load_build_script().main(args) == 0

    info = json.loads((out / "build-info.json").read_text())
    assert info["mode"] == "vendor" and info["numpy_wheel"]
    config = json.loads((out / "pyscript.json").read_text())
    assert config["interpreter"] == "./vendor/pyodide/pyodide.mjs"
    html = (out / "index.html").read_text()
    assert not re.search(r'(src|href)="(https?:)?//', html)  # all same-origin
    assert 'id="first-picture"' in html
    assert '<meta name="emgmm-service-worker" content="./sw.js">' in html
    # the service worker keeps the runtime, numpy and the wheels for offline use
    precache = (out / "sw.js").read_text()
    for rel in (
        "vendor/pyodide/pyodide.asm.wasm",
        f"vendor/pyodide/{info['numpy_wheel']}",
        info["emcore_wheel"],
        info["page_wheel"],
    ):
        assert f'"./{rel}"' in precache
