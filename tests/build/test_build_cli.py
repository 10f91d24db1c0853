"""build.py: the command line over ``sitebuild``, and the names it exposes."""

from __future__ import annotations

import subprocess
import sys

from build_support import ROOT, load_build_script


def test_loaded_by_path_from_elsewhere_it_finds_sitebuild(tmp_path):
    # -S: no site-packages, so no editable install puts the repository on the path
    script = str(ROOT / "build.py")
    code = (
        "import importlib.util\n"
        f"spec = importlib.util.spec_from_file_location('b', {script!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        "print(module.PYODIDE_VERSION, module.build_site.__module__)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-S", "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    version = load_build_script().PYODIDE_VERSION
    assert proc.stdout.split() == [version, "sitebuild.assemble"]


def test_a_build_error_is_one_line_on_stderr_and_exit_code_2(tmp_path, capsys):
    out = tmp_path / "site"
    code = load_build_script().main(["--pyodide-version", "0.0.1", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err == (
        "build.py: error: --pyodide-version only applies to --vendor builds\n"
    )
    assert not out.exists()


def test_allow_other_numpy_is_passed_only_when_given(tmp_path, monkeypatch):
    build = load_build_script()
    seen = []
    monkeypatch.setattr(build, "build_site", lambda out, **kwargs: seen.append(kwargs))
    out = ["--vendor", "--out", str(tmp_path / "site")]
    assert build.main(out) == 0
    assert build.main([*out, "--allow-other-numpy"]) == 0
    # None: the environment (EMGMM_ALLOW_OTHER_NUMPY) decides, refusing by default
    assert [kwargs["allow_other_numpy"] for kwargs in seen] == [None, True]
