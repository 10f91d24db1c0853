"""The element id of each setting's control: the one table the page's DOM code
and the browser tests share (plain data: it imports nothing, so CPython
tests import it too)."""

from __future__ import annotations

__all__ = ["CONTROL_IDS"]

#: element id of each setting's control (URL / emcore keyword name -> id)
CONTROL_IDS: dict[str, str] = {
    "k": "k",
    "n": "n",
    "overlap": "overlap",
    "cov": "cov",
    "init": "init",
    "iters": "iters",
    "tol": "tol",
    "seed": "seed",
    "n_init": "n-init",
    "k_true": "k-true",
    "dims": "dims",
    "temp": "temp",
    "model": "model",
    "conc": "conc",
    "anneal": "anneal",
}
