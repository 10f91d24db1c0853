"""Standing mutation check: plant realistic one-line bugs, count the catches.

Each mutant (``mutant_list.py``) replaces one snippet of code, found by its
text (it must occur exactly once in its file), in emcore or in the page's
pure code, and names the tests that should catch it. The script copies the
repository's files (tracked ones, and new ones git does not ignore) to a
temporary folder, checks that those tests pass there unmutated,
then, one mutant at a time, plants the bug in the copy, runs the mutant's
tests, and puts the file back. The working tree is never touched, so an
interrupted run leaves nothing behind. It prints each verdict, the score and
the survivors; TESTING.md records the score and the survivors judged
equivalent.

    python3 tools/mutants.py            # every mutant
    python3 tools/mutants.py --list     # the mutants and their targets
    python3 tools/mutants.py NAME ...   # only these
    python3 tools/mutants.py --tests FILE ... -- NAME ...  # other targets

A mutant whose snippet is not found (the code moved or changed) fails the
run loudly, naming it: update its ``find`` text, do not drop it. Exit code 0
when the score reaches ``--target`` (default 0.95) and every snippet was
found.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from mutant_list import MUTANTS  # tools/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parents[1]


def _tracked_copy(dest: Path) -> None:
    """The repository's files as they are now: tracked ones (edits included)
    and new ones git does not ignore."""
    listing = ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    names = subprocess.run(
        listing, cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for raw in names:
        if not raw:
            continue
        src = ROOT / raw.decode()
        if src.is_file():
            target = dest / raw.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)


def _run_tests(copy: Path, tests: tuple[str, ...], timeout: float) -> tuple[bool, str]:
    """Whether the tests pass in ``copy`` (importing its emcore and site)."""
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
    cmd += ["--no-header", "-rfE", "-o", "addopts=--import-mode=importlib", *tests]
    try:
        proc = subprocess.run(
            cmd, cwd=copy, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return False, "timed out"
    lines = (proc.stdout + proc.stderr).strip().splitlines()
    # the test that caught the mutant, else pytest's summary line
    caught = [ln.split(" - ")[0] for ln in lines if ln.startswith(("FAILED", "ERROR"))]
    return proc.returncode == 0, (caught or lines or [""])[-1]


def _check_snippets(mutants) -> list[str]:
    problems = []
    for m in mutants:
        path = ROOT / m.path
        if not path.is_file():
            problems.append(f"mutant {m.name}: file {m.path} not found")
            continue
        count = path.read_text().count(m.find)
        if count != 1:
            what = "snippet not found" if count == 0 else f"snippet found {count} times"
            problems.append(f"mutant {m.name}: {what} in {m.path}: {m.find!r}")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="run only these mutants")
    parser.add_argument("--list", action="store_true", help="list and exit")
    parser.add_argument("--target", type=float, default=0.95)
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument(
        "--tests", nargs="+", help="run these tests for every mutant instead"
    )
    args = parser.parse_args(argv)

    mutants = [m for m in MUTANTS if not args.names or m.name in args.names]
    if args.tests:
        mutants = [replace(m, tests=tuple(args.tests)) for m in mutants]
    unknown = set(args.names) - {m.name for m in MUTANTS}
    if unknown:
        parser.error(f"unknown mutants: {', '.join(sorted(unknown))}")
    if args.list:
        for m in mutants:
            print(f"{m.name:36} {m.kind:22} {m.path}  -> {' '.join(m.tests)}")
        return 0
    problems = _check_snippets(mutants)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2

    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="emgmm-mutants-") as tmp:
        copy = Path(tmp)
        _tracked_copy(copy)
        targets = tuple(sorted({t for m in mutants for t in m.tests}))
        ok, last = _run_tests(copy, targets, args.timeout)
        if not ok:
            print(f"the targeted tests fail without any mutant: {last}")
            return 2
        survivors = []
        for i, m in enumerate(mutants, start=1):
            path = copy / m.path
            original = path.read_text()
            start = time.monotonic()
            try:
                path.write_text(original.replace(m.find, m.replace, 1))
                passed, last = _run_tests(copy, m.tests, args.timeout)
            finally:
                path.write_text(original)
            verdict = "SURVIVED" if passed else "killed"
            took = time.monotonic() - start
            print(f"[{i:2}/{len(mutants)}] {verdict:8} {m.name} ({took:.0f} s): {last}")
            if passed:
                survivors.append(m)
    killed = len(mutants) - len(survivors)
    score = killed / len(mutants)
    print(
        f"\nmutation score: {killed}/{len(mutants)} killed ({score:.1%}) in "
        f"{(time.monotonic() - began) / 60:.1f} min"
    )
    for m in survivors:
        print(f"  survived: {m.name} [{m.kind}] {m.path}: {m.replace!r}")
    return 0 if score >= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
