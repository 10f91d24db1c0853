"""Browser-free helpers of the page's "explore" features (issue 5).

* Step-through EM (item 1): :func:`timeline_drawable` turns a
  :class:`simapp.run.timeline.Timeline` position into what the clustering canvas
  draws (ellipses, responsibilities, colour mapping, parameters) and
  :func:`timeline_label` says in words what that half-step is.
* True K versus model K (item 3): :func:`fit_vs_truth`.
* Multi-start made visible (item 4): :func:`optima_groups`,
  :func:`starts_summary`, :func:`start_drawable` and
  :func:`draw_starts_chart` (a strip chart of every start's final
  log-likelihood per point).
* K-means side by side (item 6): :func:`kmeans_colours`,
  :func:`draw_kmeans_centres` and :func:`ari_sentence`.
* Uncertainty view (item 7): :func:`params_key` keys the density cache so the
  background is recomputed only when the drawn parameters change.

Nothing here imports the browser; ``ctx`` is a canvas-2D-context-like object.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from emcore.geometry import mixture_ellipses
from emcore.metrics import match_labels
from simapp.charts import palette
from simapp.charts.marks import font
from simapp.charts.viewport import format_ticks, nice_ticks
from simapp.run.timeline import FrameState, Params, Timeline, responsibilities

__all__ = [
    "Drawable",
    "ari_sentence",
    "colour_mapping",
    "draw_kmeans_centres",
    "draw_starts_chart",
    "fit_vs_truth",
    "kmeans_colours",
    "optima_groups",
    "params_key",
    "start_drawable",
    "starts_summary",
    "timeline_drawable",
    "timeline_label",
]

PHASE_WORDS = {
    "init": "initial parameters (k-means++), before the first E-step",
    "e": "E-step: points recoloured by the new responsibilities",
    "m": "M-step: ellipses moved to the new parameters",
}


@dataclass(frozen=True)
class Drawable:
    """What the clustering canvas shows, whatever its source.

    Attributes
    ----------
    ellipses : list of emcore.geometry.Ellipse
        1σ ellipses, one per component.
    resp : ndarray of shape (n, K) or None
        Responsibilities colouring the points (None: grey points).
    mapping : ndarray of shape (K,)
        Fitted component -> true cluster (for stable colours).
    params : Params or None
        Parameters behind the ellipses (for the density background).
    """

    ellipses: list
    resp: np.ndarray | None
    mapping: np.ndarray
    params: Params | None

    def __getitem__(self, name: str) -> Any:
        # the page's drawing code reads frames and results as mappings
        return getattr(self, name)


def colour_mapping(resp, labels_true, n_true: int | None, k: int) -> np.ndarray:
    """Component -> true cluster from hard labels (identity without truth)."""
    if labels_true is None or resp is None or n_true is None:
        return np.arange(k)
    labels = np.argmax(np.asarray(resp), axis=1)
    return match_labels(labels_true, labels, int(n_true), int(k))


def timeline_drawable(
    timeline: Timeline, X, position: int, labels_true=None, n_true=None
) -> tuple[FrameState, Drawable]:
    """State at a global half-step ``position`` and what to draw for it.

    At ``phase == 'init'`` the points stay grey (no E-step yet); the
    ellipses' colours come from the responsibilities the initial parameters
    would give, so they do not change colour at the first E-step.
    """
    state = timeline.state_at(position)
    k = timeline.n_components
    resp = timeline.resp_at(X, position)
    shown = state.ellipse_params
    basis = resp
    if basis is None and shown is not None:
        basis = responsibilities(X, shown)[0]
    mapping = colour_mapping(basis, labels_true, n_true, k)
    ellipses = (
        mixture_ellipses(shown.means, shown.covariances, "full")
        if shown is not None
        else []
    )
    return state, Drawable(ellipses, resp, mapping, shown)


def start_drawable(
    timeline: Timeline, X, result, start: int, labels_true=None, n_true=None
) -> Drawable:
    """A start's final solution: its ellipses from ``result['starts']`` and
    point colours from its final parameters (one E-step)."""
    info = result["starts"][start]
    params = None
    resp = None
    if start < timeline.n_starts and timeline.n_iterations(start):
        params = timeline.params(start, timeline.n_iterations(start))
        resp = responsibilities(X, params)[0]
    k = len(info["ellipses"])
    mapping = colour_mapping(resp, labels_true, n_true, k)
    return Drawable(list(info["ellipses"]), resp, mapping, params)


def timeline_label(state: FrameState, n_starts: int) -> str:
    """E.g. ``'Start 1 of 4, iteration 3: E-step: points recoloured ...'``."""
    head = f"Start {state.start + 1} of {n_starts}, iteration {state.iteration}"
    text = f"{head}: {PHASE_WORDS[state.phase]}"
    if state.loglik is not None:
        text += f" (log L per point {state.loglik:.4f})"
    if state.converged:
        text += "; converged"
    return text


def params_key(params: Params | None) -> bytes | None:
    """A cheap identity of a parameter set (K <= 8: a few hundred bytes)."""
    if params is None:
        return None
    return b"".join(
        np.ascontiguousarray(a, dtype=np.float64).tobytes()
        for a in (params.weights, params.means, params.covariances)
    )


# --------------------------------------------------------------------- true K
def fit_vs_truth(k: int, k_true: int | None, best_k_bic: int) -> tuple[str, str]:
    """Sentence comparing fitted K, the data's clusters and BIC's pick.

    Returns
    -------
    text : str
    kind : {'match', 'over', 'under', 'unknown'}
    """
    bic = f"BIC picks K = {best_k_bic}"
    if k_true is None:
        return f"EM fitted {k} components; {bic}.", "unknown"
    k, k_true = int(k), int(k_true)
    bic += " (the right number)." if best_k_bic == k_true else "."
    clusters = "cluster" if k_true == 1 else "clusters"
    if k > k_true:
        return (
            f"Over-fitting: EM fitted {k} components to data with {k_true} "
            f"{clusters}, so some cluster is split between components. {bic}",
            "over",
        )
    if k < k_true:
        return (
            f"Under-fitting: EM fitted {k} components to data with {k_true} "
            f"{clusters}, so some components must cover several clusters. {bic}",
            "under",
        )
    return f"EM fitted {k} components, as many as the data have. {bic}", "match"


# ----------------------------------------------------------------- multi-start
def optima_groups(finals: Sequence[float], tol: float) -> list[int]:
    """Optimum id of each start (0 = best), the rule behind ``n_optima`` of
    ``emcore.selection.local_optima_verdict``: sorted from the best, a gap of
    at least ``tol`` per point opens a new optimum; ``best_hits`` is the
    size of group 0.
    """
    values = [float(v) for v in finals]
    order = sorted(range(len(values)), key=lambda i: -values[i])
    groups = [0] * len(values)
    group = 0
    for prev, cur in zip(order, order[1:], strict=False):
        if values[prev] - values[cur] >= tol:
            group += 1
        groups[cur] = group
    return groups


def starts_summary(n_optima: int, best_hits: int, n_starts: int) -> str:
    """E.g. ``'2 distinct optima; the best reached by 3 of 4 starts.'``."""
    optima = "1 distinct optimum" if n_optima == 1 else f"{n_optima} distinct optima"
    starts = "start" if n_starts == 1 else "starts"
    return f"{optima}; the best reached by {best_hits} of {n_starts} {starts}."


def draw_starts_chart(
    ctx: Any,
    width: int,
    height: int,
    finals: Sequence[float],
    groups: Sequence[int],
    best: int,
    selected: int | None,
    dpr: float = 1.0,
) -> list[tuple[float, float]]:
    """Strip chart: one dot per start at its final log-likelihood per point.

    Starts are stacked per optimum (``groups``, one column each); starts
    that reached the best (group 0, emcore's ``best_hits``) are green, the others
    grey-blue; the best start is ringed and the selected one drawn larger
    with a dark outline.

    Returns
    -------
    list of (x, y)
        Canvas pixel centre of each start's dot (for hit tests and tests).
    """
    values = np.asarray(finals, dtype=np.float64)
    n = len(values)
    ctx.clearRect(0, 0, width, height)
    if n == 0:
        return []
    left, right = 18 * dpr, width - 18 * dpr
    top, bottom = 8 * dpr, height - 36 * dpr
    finite = values[np.isfinite(values)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0, 1)
    pad = max((hi - lo) * 0.08, 1e-3 * max(1.0, abs(hi)))
    lo, hi = lo - pad, hi + pad

    def x_of(v: float) -> float:
        return left + (v - lo) / (hi - lo) * (right - left)

    # axis and ticks
    ctx.save()
    ctx.strokeStyle = palette.AXIS_CSS
    ctx.lineWidth = 1 * dpr
    ctx.beginPath()
    ctx.moveTo(left, bottom)
    ctx.lineTo(right, bottom)
    ctx.stroke()
    ticks = nice_ticks(lo, hi, max(2, int((right - left) / (80 * dpr)) + 1))
    ctx.fillStyle = palette.AXIS_CSS
    ctx.font = font(10.5, dpr)
    ctx.textAlign = "center"
    ctx.textBaseline = "top"
    for t, label in zip(ticks, format_ticks(ticks), strict=True):
        x = x_of(float(t))
        if left - 1 <= x <= right + 1:
            ctx.beginPath()
            ctx.moveTo(x, bottom)
            ctx.lineTo(x, bottom + 4 * dpr)
            ctx.stroke()
            ctx.fillText(label, x, bottom + 6 * dpr)
    ctx.fillStyle = "#566173"
    ctx.fillText(
        "final log-likelihood per point", (left + right) / 2, bottom + 21 * dpr
    )

    # dots, stacked upwards per optimum
    radius = 7 * dpr
    ring = radius + 4.5 * dpr  # the best start's ring
    rows = max(np.bincount(np.asarray(groups, dtype=np.intp)).max(), 1)
    room = bottom - top - 2 * ring - 3 * dpr
    step = min(2 * ring + 1 * dpr, room / max(rows - 1, 1))
    seen: dict[int, int] = {}
    centres: list[tuple[float, float]] = []
    for i in range(n):
        g = int(groups[i])
        row = seen.get(g, 0)
        seen[g] = row + 1
        v = float(values[i])
        x = x_of(v) if math.isfinite(v) else left
        y = bottom - ring - 3 * dpr - row * step
        y = max(y, top + ring)
        centres.append((float(x), float(y)))
    for i, (x, y) in enumerate(centres):
        hit = int(groups[i]) == 0
        ctx.fillStyle = "#1a7f37" if hit else "#7a8794"
        ctx.strokeStyle = "#ffffff"
        ctx.lineWidth = 1.5 * dpr
        r = radius * (1.3 if i == selected else 1.0)
        ctx.beginPath()
        ctx.arc(x, y, r, 0.0, 2 * math.pi)
        ctx.fill()
        ctx.stroke()
        if i == best:
            ctx.strokeStyle = "#1a7f37"
            ctx.lineWidth = 2 * dpr
            ctx.beginPath()
            ctx.arc(x, y, r + 3.5 * dpr, 0.0, 2 * math.pi)
            ctx.stroke()
        if i == selected:
            ctx.strokeStyle = "#111111"
            ctx.lineWidth = 2 * dpr
            ctx.beginPath()
            ctx.arc(x, y, r, 0.0, 2 * math.pi)
            ctx.stroke()
        ctx.fillStyle = "#ffffff"
        ctx.font = font(10, dpr, "700")
        ctx.textAlign = "center"
        ctx.textBaseline = "middle"
        ctx.fillText(str(i + 1), x, y + 0.5 * dpr)
    ctx.restore()
    return centres


# ---------------------------------------------------------------------- k-means
def kmeans_colours(labels, k: int, mapping) -> np.ndarray:
    """RGB (n, 3) uint8 of k-means' hard labels in the matched colours."""
    colours = palette.component_colors(int(k), mapping)
    rgb = np.rint(colours * 255.0).astype(np.uint8)
    return rgb[np.asarray(labels, dtype=np.intp)]


def draw_kmeans_centres(ctx: Any, centres_px, colours_css: Sequence[str], dpr: float):
    """Mark k-means centres: a filled diamond in the cluster colour, outlined."""
    h = 7 * dpr
    ctx.save()
    for (x, y), colour in zip(np.asarray(centres_px), colours_css, strict=False):
        x, y = float(x), float(y)
        if not (math.isfinite(x) and math.isfinite(y)):
            continue
        ctx.beginPath()
        ctx.moveTo(x, y - h)
        ctx.lineTo(x + h, y)
        ctx.lineTo(x, y + h)
        ctx.lineTo(x - h, y)
        ctx.closePath()
        ctx.fillStyle = colour
        ctx.fill()
        ctx.strokeStyle = "#111111"
        ctx.lineWidth = 2 * dpr
        ctx.stroke()
    ctx.restore()


def ari_sentence(ari_gmm: float | None, ari_kmeans: float | None) -> str:
    """The two ARIs compared in words."""
    if ari_gmm is None or ari_kmeans is None:
        return "No true labels, so no ARI to compare."
    diff = ari_gmm - ari_kmeans
    if abs(diff) < 0.005:
        verdict = "they recover the clusters equally well"
    elif diff > 0:
        verdict = "the mixture recovers the clusters better"
    else:
        verdict = "k-means recovers the clusters better here"
    return (
        f"ARI against the true clusters: GMM {ari_gmm:.3f}, k-means "
        f"{ari_kmeans:.3f}: {verdict}."
    )
