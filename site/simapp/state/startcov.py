"""The watched fit's start beyond its means: ``covs0``, its covariances.

A start's covariance is the 2x2 ``[[a, b], [b, c]]`` a link writes as
``a,b,c`` (``;`` between them, :data:`START_DIGITS` significant digits),
only once an axis handle changed it. EM then starts from them: emcore's
``precisions_init``, their inverses, of the shapes it takes. Each
covariance type shapes its own (:data:`SHAPED_COVS`): ``cov=full`` one
triple per component; ``cov=diag`` too, axis-aligned (``b`` = 0);
``cov=spherical`` too, a circle (``b`` = 0 and ``a`` = ``c``: its variance,
so a link stays three numbers per component whatever the type); ``cov=tied``
one triple, the matrix every component shares (:func:`covs0_count`).

The rule that keeps a start's covariance symmetric positive definite, and
so EM's: an axis handle sets a 1σ semi-axis of at least :data:`MIN_SD` and
at least :data:`MAX_AXIS_RATIO` times shorter than the other one
(:func:`cov_from_axes` clamps to it); a link's matrix is used when its
smaller eigenvalue is at least :data:`MIN_VARIANCE` and at least
:data:`MIN_EIGEN_RATIO` of the larger (rounding to six digits keeps a
dragged one inside).

:func:`start_options` (emcore's keywords), :func:`start_query` (the link's
``means0=`` and ``covs0=``) and :func:`parse_starts` (a link's) serve
:mod:`simapp.state.settings`.

Examples
--------
>>> notes = []
>>> parse_covs0("2,0.5,1; 1,0,1", 2, "full", notes)
((2.0, 0.5, 1.0), (1.0, 0.0, 1.0))
>>> covs0_label(((2.0, 0.5, 1.0), (1.0, 0.0, 1.0)))
'2,0.5,1;1,0,1'
>>> parse_covs0("1,2,1", 1, "full", notes), notes[0][38:62]
((), 'is not positive definite')
"""

from __future__ import annotations

import math

from simapp.state.values import (
    START_DIGITS,
    check_means0,
    means0_label,
    parse_means0,
    parse_number,
    round_start,
    shown,
)
from simapp.text.quoting import quote_user_text

__all__ = [
    "MAX_AXIS_RATIO",
    "MIN_EIGEN_RATIO",
    "MIN_SD",
    "MIN_VARIANCE",
    "SHAPED_COVS",
    "axes_of",
    "check_starts",
    "cov_from_axes",
    "covs0_count",
    "covs0_label",
    "parse_covs0",
    "parse_starts",
    "start_options",
    "start_query",
]

#: Covariance types whose start an axis handle shapes (full and tied: both
#: axes and their rotation; diag: the two axis-aligned ones; spherical: the
#: circle's radius).
SHAPED_COVS: tuple[str, ...] = ("full", "diag", "spherical", "tied")

#: A dragged 1σ semi-axis is at least this long (data units) ...
MIN_SD = 2e-3
#: ... and at least 1/this of the other one.
MAX_AXIS_RATIO = 100.0
#: A link's covariance: its smaller eigenvalue at least this (EM's own
#: floor, emcore's ``reg_covar``) ...
MIN_VARIANCE = 1e-6
#: ... and at least this fraction of the larger (a dragged one keeps 1e-4).
MIN_EIGEN_RATIO = 1e-5


def _eigen(a: float, b: float, c: float) -> tuple[float, float]:
    """Both eigenvalues of ``[[a, b], [b, c]]``, larger first."""
    mid, half = (a + c) / 2.0, math.hypot((a - c) / 2.0, b)
    return mid + half, mid - half


def axes_of(a: float, b: float, c: float) -> tuple[float, float, float]:
    """The 1σ semi-axes (larger first) and the larger one's angle (radians,
    counter-clockwise from +x) of ``[[a, b], [b, c]]``."""
    big, small = _eigen(a, b, c)
    angle = 0.5 * math.atan2(2.0 * b, a - c)
    return math.sqrt(max(big, 0.0)), math.sqrt(max(small, 0.0)), angle


def cov_from_axes(
    sd1: float, sd2: float, angle: float, cov: str
) -> tuple[float, float, float]:
    """``(a, b, c)`` of the covariance whose 1σ semi-axes are ``sd1`` along
    ``angle`` (radians) and ``sd2`` across it, clamped by the rule (each at
    least :data:`MIN_SD` and 1/:data:`MAX_AXIS_RATIO` of the other) and
    rounded as links write it; ``cov='diag'`` keeps it axis-aligned (the
    angle snaps to the nearest axis), ``cov='spherical'`` a circle of
    radius ``sd1`` (``sd2`` and ``angle`` unused)."""
    if cov not in SHAPED_COVS:
        raise ValueError(f"cov={cov!r}: a start's axes are shaped for {SHAPED_COVS}")
    if not all(math.isfinite(v) for v in (sd1, sd2, angle)):
        raise ValueError(f"axes must be finite; got {(sd1, sd2, angle)!r}")
    if cov == "spherical":
        variance = round_start(max(abs(sd1), MIN_SD) ** 2)
        return (variance, 0.0, variance)
    sd1, sd2 = max(abs(sd1), MIN_SD), max(abs(sd2), MIN_SD)
    top = max(sd1, sd2)
    sd1, sd2 = max(sd1, top / MAX_AXIS_RATIO), max(sd2, top / MAX_AXIS_RATIO)
    if cov == "diag":
        quarter = round(angle / (math.pi / 2.0))
        angle = quarter * math.pi / 2.0
        if quarter % 2:  # along y: the axes swap
            sd1, sd2 = sd2, sd1
        return (round_start(sd1 * sd1), 0.0, round_start(sd2 * sd2))
    u, v = math.cos(angle), math.sin(angle)
    v1, v2 = sd1 * sd1, sd2 * sd2
    a = v1 * u * u + v2 * v * v
    b = (v1 - v2) * u * v
    c = v1 * v * v + v2 * u * u
    return (round_start(a), round_start(b), round_start(c))


def _problem(a: float, b: float, c: float, cov: str) -> str | None:
    """Why ``[[a, b], [b, c]]`` is not a start of ``cov``, or None."""
    if cov == "diag" and b != 0.0:
        return "is not axis-aligned (cov=diag needs b = 0)"
    if cov == "spherical" and (b != 0.0 or a != c):
        return "is not a circle (cov=spherical needs b = 0 and a = c)"
    big, small = _eigen(a, b, c)
    if small <= 0.0 or a <= 0.0:
        return "is not positive definite (a > 0, c > 0 and a·c > b² needed)"
    if small < MIN_VARIANCE or small < MIN_EIGEN_RATIO * big:
        return (
            f"is nearly singular (its variances must be at least "
            f"{MIN_VARIANCE:g} and {MIN_EIGEN_RATIO:g} of each other)"
        )
    return None


def check_starts(means0, covs0) -> None:
    """Raise ValueError unless ``means0`` is ``(x, y)`` pairs and ``covs0``
    ``(a, b, c)`` triples of finite floats."""
    check_means0(means0)
    for triple in covs0:
        if not (
            isinstance(triple, tuple)
            and len(triple) == 3
            and all(isinstance(v, float) and math.isfinite(v) for v in triple)
        ):
            raise ValueError(
                f"covs0 must be (a, b, c) triples of finite floats, got {covs0!r}"
            )


def covs0_count(k: int, cov: str) -> int:
    """How many ``a,b,c`` a start of ``k`` components of ``cov`` has: one
    for ``cov='tied'`` (the shared matrix), else ``k``."""
    return 1 if cov == "tied" else k


def covs0_label(covs0) -> str:
    """Starting covariances as links write them: ``'a,b,c;a,b,c'``."""
    return ";".join(
        ",".join(f"{round_start(v):.{START_DIGITS}g}" for v in triple)
        for triple in covs0
    )


def parse_covs0(text: str, k: int, cov: str, notes: list[str]) -> tuple:
    """``covs0``: ``a,b,c`` triples split by ``;``, one per component (one
    in all for ``cov='tied'``).

    Returns the triples (rounded by ``round_start``), or ``()`` with a note
    when one is not three plain numbers or not a start's covariance of
    ``cov``, or their count is not :func:`covs0_count`.
    """
    usual = "; using the usual start"
    if cov not in SHAPED_COVS:
        raise ValueError(f"cov={cov!r}: a start's covariances are of {SHAPED_COVS}")
    pieces = [p.strip() for p in text.split(";")]
    if pieces and not pieces[-1]:
        pieces.pop()  # a trailing ";"
    triples = []
    for i, piece in enumerate(pieces, start=1):
        parts = [parse_number(part.strip()) for part in piece.split(",")]
        what = f"covs0={shown(text)}: covariance {i} ({quote_user_text(piece)})"
        if len(parts) != 3 or None in parts:
            notes.append(f"{what} is not three numbers a,b,c (of [[a,b],[b,c]]){usual}")
            return ()
        triple = tuple(round_start(v) for v in parts)
        problem = _problem(*triple, cov)
        if problem is not None:
            notes.append(f"{what} {problem}{usual}")
            return ()
        triples.append(triple)
    count = covs0_count(k, cov)
    if len(triples) != count:
        needs = (
            "one a,b,c (the shared matrix)"
            if cov == "tied"
            else f"k={k}: it needs one a,b,c per component"
        )
        notes.append(
            f"covs0 has {len(triples)} covariance{'s' if len(triples) != 1 else ''} "
            f"but cov={cov} has {needs}{usual}"
        )
        return ()
    return tuple(triples)


def parse_starts(raw: dict[str, str], k: int, cov: str, notes: list[str]) -> dict:
    """A link's ``means0`` and ``covs0``, when given."""
    values: dict[str, object] = {}
    if raw.get("means0", ""):
        values["means0"] = parse_means0(raw["means0"], k, notes)
    if raw.get("covs0", ""):
        values["covs0"] = parse_covs0(raw["covs0"], k, cov, notes)
    return values


def start_options(means0, covs0, k: int, cov: str) -> dict[str, object]:
    """emcore's ``means_init`` and ``precisions_init`` (the inverses of
    ``covs0``: full ``(k, 2, 2)``, diag ``(k, 2)``, spherical ``(k,)``, tied
    ``(2, 2)``), each when it has as many entries as ``k`` and ``cov`` need
    (:func:`covs0_count`)."""
    options: dict[str, object] = {}
    if means0 and len(means0) == k:
        options["means_init"] = means0
    if covs0 and len(covs0) == covs0_count(k, cov):
        precisions = []
        for a, b, c in covs0:
            det = a * c - b * b
            if cov == "diag":
                precisions.append((1.0 / a, 1.0 / c))
            elif cov == "spherical":
                precisions.append(1.0 / a)
            else:
                precisions.append(((c / det, -b / det), (-b / det, a / det)))
        options["precisions_init"] = (
            precisions[0] if cov == "tied" else tuple(precisions)
        )
    return options


def start_query(means0, covs0) -> list[str]:
    """The link's ``means0=`` and ``covs0=``, each when set."""
    parts = []
    if means0:
        parts.append(f"means0={means0_label(means0)}")
    if covs0:
        parts.append(f"covs0={covs0_label(covs0)}")
    return parts
