"""python -m emcore: the command-line demo."""

import subprocess
import sys

from emcore.experiment import run


def test_cli_prints_the_same_numbers_as_run():
    out = subprocess.run(
        [sys.executable, "-m", "emcore", "--k", "2", "--n", "200", "--seed", "3"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    r = run(k=2, n=200, seed=3)
    assert f"{r.bic:.3f}" in out
    assert f"{r.ari:.4f}" in out
    assert r.verdict in out


def test_cli_reports_bad_settings_without_a_traceback():
    proc = subprocess.run(
        [sys.executable, "-m", "emcore", "--k", "9"], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "k must be in [2, 6]; got 9" in proc.stderr
    assert "Traceback" not in proc.stderr
