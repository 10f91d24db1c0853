"""Sharing and embedding: file names, links, notes.

Plain Python helpers for the page's export buttons and its ``embed=1``
layout; the page (``main.py``) does the downloading.

Examples
--------
>>> file_name("params", "json", k=3, cov="full", seed=7)
'em-gmm-params-simulated-k3-full-seed7.json'
>>> file_name("cluster", "png", k=2, cov="tied", seed=1, source="Iris petals!")
'em-gmm-cluster-iris-petals-k2-tied-seed1.png'
>>> full_simulator_query("k=3&seed=1&embed=1&run=1")
'k=3&seed=1&run=1'
"""

from __future__ import annotations

import re

__all__ = [
    "DATA_KINDS",
    "file_name",
    "full_simulator_query",
    "link_note",
]

#: Data sources the page offers; only "simulated" and "dataset" fit in a link.
DATA_KINDS: tuple[str, ...] = ("simulated", "dataset", "upload", "paste", "click")

_SLUG_RE = re.compile(r"[^a-z0-9]+")


def _slug(text: str, limit: int = 24) -> str:
    slug = _SLUG_RE.sub("-", str(text).lower()).strip("-")
    return slug[:limit].strip("-") or "data"


def file_name(
    what: str, ext: str, *, k: int, cov: str, seed: int, source: str = "simulated"
) -> str:
    """A download's file name, e.g. ``em-gmm-cluster-iris-k3-full-seed1.png``.

    Parameters
    ----------
    what : str
        The export (``cluster``, ``loglik``, ``ic``, ``params``, ``sklearn``).
    ext : str
        File extension without the dot.
    k, cov, seed
        The fit settings.
    source : str
        ``simulated``, a dataset name or a short description of the data;
        reduced to lower-case letters, digits and dashes.
    """
    parts = ["em-gmm", _slug(what), _slug(source), f"k{int(k)}", _slug(cov)]
    parts.append(f"seed{int(seed)}")
    return "-".join(parts) + "." + _slug(ext, 8)


def full_simulator_query(query: str) -> str:
    """The query of an embedded page without ``embed`` (and its
    ``controls``): the full simulator with the same settings (for the "open
    the full simulator" link)."""
    parts = [p for p in query.removeprefix("?").split("&") if p]
    embed_only = ("embed", "controls")
    return "&".join(p for p in parts if p.split("=", 1)[0].lower() not in embed_only)


def link_note(kind: str) -> str:
    """What the page's link carries for data source ``kind`` (plain text).

    Raises
    ------
    ValueError
        For a ``kind`` not in :data:`DATA_KINDS`.
    """
    if kind not in DATA_KINDS:
        raise ValueError(f"kind must be one of {', '.join(DATA_KINDS)}; got {kind!r}")
    if kind == "simulated":
        return "The link reproduces this run exactly: data, fit and charts."
    if kind == "dataset":
        return "The link names the bundled dataset and the fit settings."
    what = {
        "upload": "an uploaded file",
        "paste": "pasted data",
        "click": "points you clicked",
    }[kind]
    return (
        f"The link cannot carry {what}: it keeps only the fit settings (and "
        "opens simulated data). Download the Python snippet to keep the data."
    )
