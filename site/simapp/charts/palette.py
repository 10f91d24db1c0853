"""Colour-blind-safe component colours and responsibility blending.

The first four colours are Okabe-Ito's blue, orange, bluish green and reddish
purple; the fifth and sixth are the "wine" and "indigo" of Paul Tol's muted
scheme, so that the six of K = 6 stay apart for every kind of colour vision
(Okabe-Ito's sky blue and vermilion, too close to its blue and orange in small
points, come last: only the AIC/BIC sweep's K > 6 uses them). No yellow (too
little contrast on a white background) and no black (the true-centre markers
and axes).

Components are matched to true clusters (:func:`colour_mapping`, by
``emcore.metrics.match_labels``) and :func:`component_colors` turns that
mapping into stable per-component colours.

True classes are not limited to the eight colours: a dataset may have any
number. :func:`class_style` gives class ``j`` the colour ``j mod 8`` and a
marker shape that changes with every eight classes, so the first 32 classes
differ in colour or shape (beyond that the pairs repeat).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from emcore.metrics import match_labels
from simapp.text.describe import COLOUR_NAMES

__all__ = [
    "AXIS_CSS",
    "CLASS_MARKERS",
    "HEX",
    "MAX_COMPONENTS",
    "NEUTRAL_RGB",
    "RGB",
    "blend",
    "class_style",
    "colour_mapping",
    "colour_name",
    "component_colors",
    "nearest",
    "permute",
    "rgb_to_css",
]

#: Palette as CSS hex strings, in the order components are coloured.
HEX: tuple[str, ...] = (
    "#0072b2",  # blue
    "#e69f00",  # orange
    "#009e73",  # bluish green
    "#cc79a7",  # reddish purple
    "#882255",  # wine (Tol muted)
    "#332288",  # indigo (Tol muted)
    "#d55e00",  # vermilion
    "#56b4e9",  # sky blue
)

MAX_COMPONENTS: int = len(HEX)


def colour_name(css: str) -> str:
    """The plain name of one of the :data:`HEX` colours (``'#0072b2'``: blue).

    Raises
    ------
    ValueError
        For a colour not in the palette.
    """
    try:
        return COLOUR_NAMES[HEX.index(css.lower())]
    except ValueError:
        raise ValueError(f"colour {css!r} is not one of the palette's {HEX}") from None


#: Palette as an (8, 3) float64 array with channels in [0, 1] (read-only).
RGB: np.ndarray = np.array(
    [[int(h[i : i + 2], 16) / 255.0 for i in (1, 3, 5)] for h in HEX]
)
RGB.setflags(write=False)

#: Grey used for points whose responsibilities are unusable (all zero / NaN).
NEUTRAL_RGB: np.ndarray = np.array([0.55, 0.55, 0.55])
NEUTRAL_RGB.setflags(write=False)

#: Colour of axes, ticks and labels.
AXIS_CSS: str = "#333333"

#: Marker shape of each run of eight true classes (a legend's swatches are
#: squares for the first eight, as ever).
CLASS_MARKERS: tuple[str, ...] = ("square", "circle", "triangle", "diamond")


def class_style(j: int) -> tuple[str, str]:
    """CSS colour and marker shape of true class ``j`` (0-based, any number).

    Parameters
    ----------
    j : int
        Class code, >= 0.

    Returns
    -------
    colour : str
        ``HEX[j % 8]``.
    marker : str
        One of :data:`CLASS_MARKERS`: ``square`` for classes 0-7,
        ``circle`` for 8-15, and so on, cycling after 32.

    Raises
    ------
    ValueError
        For a negative ``j``.

    Examples
    --------
    >>> class_style(0), class_style(9)
    (('#0072b2', 'square'), ('#e69f00', 'circle'))
    """
    j = int(j)
    if j < 0:
        raise ValueError(f"class j={j}; must be >= 0")
    turn, colour = divmod(j, MAX_COMPONENTS)
    return HEX[colour], CLASS_MARKERS[turn % len(CLASS_MARKERS)]


def rgb_to_css(rgb: Sequence[float] | np.ndarray, alpha: float | None = None) -> str:
    """CSS colour string of one RGB triple with channels in [0, 1].

    Parameters
    ----------
    rgb : array_like, shape (3,)
    alpha : float, optional
        Opacity in [0, 1]; when given the result is ``rgba(...)``.

    Returns
    -------
    str
        ``'#rrggbb'`` or ``'rgba(r, g, b, a)'``.
    """
    r, g, b = (int(round(float(np.clip(c, 0.0, 1.0)) * 255)) for c in rgb)
    if alpha is None:
        return f"#{r:02x}{g:02x}{b:02x}"
    return f"rgba({r}, {g}, {b}, {float(np.clip(alpha, 0.0, 1.0)):.3g})"


def nearest(colours: Sequence[Sequence[float]] | np.ndarray) -> np.ndarray:
    """Index of the palette colour nearest to each colour (e.g. to name it).

    Parameters
    ----------
    colours : array_like, shape (k, 3)
        RGB in [0, 1].

    Returns
    -------
    ndarray of int, shape (k,)

    Examples
    --------
    >>> nearest(RGB[[2, 0]] + 0.01).tolist()
    [2, 0]
    """
    rgb = np.asarray(colours, dtype=np.float64).reshape(-1, 3)
    return np.argmin(((rgb[:, None, :] - RGB[None, :, :]) ** 2).sum(-1), axis=1)


def permute(order: Sequence[int] | np.ndarray) -> np.ndarray:
    """Palette rows reordered: row ``j`` is palette colour ``order[j]``.

    Parameters
    ----------
    order : sequence of int, shape (k,)
        Palette index for each component; must be distinct and < 8.

    Returns
    -------
    ndarray, shape (k, 3)
        float64 colours in [0, 1].

    Raises
    ------
    ValueError
        If an index is out of range or repeated.
    """
    idx = np.asarray(order, dtype=np.intp).reshape(-1)
    if idx.size and (idx.min() < 0 or idx.max() >= MAX_COMPONENTS):
        raise ValueError(f"palette indices must be in [0, {MAX_COMPONENTS}), got {idx}")
    if np.unique(idx).size != idx.size:
        raise ValueError(f"palette indices must be distinct, got {idx}")
    return RGB[idx].copy()


def colour_mapping(resp, labels_true, n_true: int | None, k: int) -> np.ndarray:
    """Fitted component -> true cluster, from the points' hard labels.

    Parameters
    ----------
    resp : array_like of shape (n, k) or None
        Responsibilities; each point's label is its most likely component.
    labels_true : array_like of int, shape (n,), or None
    n_true : int or None
        Number of true clusters.
    k : int
        Number of components.

    Returns
    -------
    ndarray of int, shape (k,)
        For :func:`component_colors`; the identity when any input is None
        (no truth to follow, or no responsibilities yet).
    """
    if labels_true is None or resp is None or n_true is None:
        return np.arange(k)
    labels = np.argmax(np.asarray(resp), axis=1)
    return match_labels(labels_true, labels, int(n_true), int(k))


def component_colors(
    n_components: int, mapping: Sequence[int] | np.ndarray | None = None
) -> np.ndarray:
    """Stable colours for fitted components.

    Parameters
    ----------
    n_components : int
        Number of fitted components, 1-8.
    mapping : sequence of int, shape (n_components,), optional
        ``mapping[j]`` is the true cluster matched to component ``j``
        (``-1`` or out-of-range when unmatched). Matched components take
        their cluster's colour so colours follow the truth, not EM's arbitrary
        component order; unmatched or duplicate ones take the lowest unused
        colours.

    Returns
    -------
    ndarray, shape (n_components, 3)
        float64 colours in [0, 1], all distinct.
    """
    if not 1 <= n_components <= MAX_COMPONENTS:
        raise ValueError(
            f"n_components={n_components} is outside [1, {MAX_COMPONENTS}]"
        )
    if mapping is None:
        return permute(range(n_components))
    wanted = [int(m) for m in np.asarray(mapping).reshape(-1)[:n_components]]
    wanted += [-1] * (n_components - len(wanted))
    used: set[int] = set()
    order = [-1] * n_components
    for j, m in enumerate(wanted):
        if 0 <= m < MAX_COMPONENTS and m not in used:
            order[j] = m
            used.add(m)
    free = (i for i in range(MAX_COMPONENTS) if i not in used)
    order = [o if o >= 0 else next(free) for o in order]
    return permute(order)


def blend(
    resp: np.ndarray, colors: np.ndarray | Sequence[Sequence[float]] | None = None
) -> np.ndarray:
    """Mix component colours by responsibilities, one colour per point.

    A point with responsibilities (0.7, 0.3) gets 0.7 * colour A + 0.3 * colour B
    (in sRGB, which keeps pure memberships exactly on the palette colour).

    Parameters
    ----------
    resp : ndarray, shape (n, k)
        Non-negative responsibilities; rows are normalised here, so counts or
        unnormalised weights also work. Rows that are all zero or non-finite
        become neutral grey.
    colors : array_like, shape (k, 3), optional
        Component colours in [0, 1]; default the first ``k`` palette colours.

    Returns
    -------
    ndarray, shape (n, 3), dtype uint8
        RGB per point.
    """
    r = np.asarray(resp, dtype=np.float64)
    if r.ndim != 2:
        raise ValueError(f"resp must be 2-D (n, k), got shape {r.shape}")
    k = r.shape[1]
    c = component_colors(k) if colors is None else np.asarray(colors, np.float64)
    if c.shape != (k, 3):
        raise ValueError(f"colors must have shape ({k}, 3), got {c.shape}")
    r = np.where(np.isfinite(r) & (r > 0), r, 0.0)
    total = r.sum(axis=1, keepdims=True)
    ok = total[:, 0] > 0
    # a sum over components, not ``@``: each row is computed on its own, so
    # blending in slices of rows gives the same bytes (and wasm numpy has no
    # BLAS for the small product)
    share = np.divide(r, total, out=np.zeros_like(r), where=total > 0)
    mixed = np.zeros((r.shape[0], 3))
    for j in range(k):
        mixed += share[:, j : j + 1] * c[j]
    mixed[~ok] = NEUTRAL_RGB
    return np.rint(np.clip(mixed, 0.0, 1.0) * 255.0).astype(np.uint8)
