"""One numbering and one set of colours for every export of a run.

The page colours each fitted component by the true class it matches
(:func:`simapp.charts.palette.component_colors` of the result's
``mapping``) and its legend names the colours drawn
(:func:`simapp.text.data_chart.legend_names`). Every export says the same
thing in the same words: fitted components are "component 1" .. "component
K" in the fit's own order (row ``k - 1`` of the weights, means and
covariances; column ``p_k`` of the CSV), each with the colour the page draws
it in; true classes are named as the page's legend names them (their class
names, else "cluster 1" ..), class ``j`` in the palette's colour ``j``.
:func:`colour_key` builds that key once; the PNG legend, the parameters
JSON, the CSV, the script, the notebook and the video all read it.

Examples
--------
>>> key = colour_key(2, [1, 0], n_true=2, class_names=("setosa", "virginica"))
>>> [(c.name, c.colour, c.matches) for c in key.components]
[('component 1', '#e69f00', 'virginica'), ('component 2', '#0072b2', 'setosa')]
>>> key.legend
(('setosa', '#0072b2'), ('virginica', '#e69f00'))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simapp.charts import palette
from simapp.text import data_chart as words

__all__ = ["ColourKey", "Entry", "colour_key", "component_name", "result_key"]


def component_name(j: int) -> str:
    """The name of fitted component ``j`` (0-based): ``component j + 1``."""
    return f"component {int(j) + 1}"


@dataclass(frozen=True)
class Entry:
    """One named colour of the key.

    Attributes
    ----------
    name : str
        ``component k``, or a class's name.
    colour : str
        CSS ``#rrggbb``, as the page draws it.
    marker : str
        Swatch shape (:data:`simapp.charts.palette.CLASS_MARKERS`).
    matches : str
        A component's matched class name (``extra component`` when it
        matched none, ``""`` without true classes); ``""`` for a class.
    """

    name: str
    colour: str
    marker: str = "square"
    matches: str = ""


@dataclass(frozen=True)
class ColourKey:
    """The components, the classes and the page legend of one run.

    Attributes
    ----------
    components : tuple of Entry
        One per fitted component, in the fit's order.
    classes : tuple of Entry
        One per true class, by class code (empty without a truth).
    legend : tuple of (str, str)
        The page legend's ``(name, colour)`` entries: one per colour drawn,
        in palette order.
    """

    components: tuple
    classes: tuple
    legend: tuple


def colour_key(
    n_components: int, mapping=None, *, n_true: int = 0, class_names=()
) -> ColourKey:
    """The key of a fit of ``n_components`` matched to ``n_true`` classes.

    Parameters
    ----------
    n_components : int
        Fitted components, >= 1 (beyond
        :data:`simapp.charts.palette.MAX_COMPONENTS` the colours repeat).
    mapping : array-like of int, shape (n_components,), optional
        Fitted component -> true class (the result's ``mapping``).
    n_true : int
        How many true classes; 0 for none.
    class_names : sequence of str
        The classes' names by code (fewer: the rest are ``cluster j``).

    Returns
    -------
    ColourKey
    """
    k, n_true = int(n_components), int(n_true)
    if k < 1:
        raise ValueError(f"n_components={n_components}; must be >= 1")
    if n_true < 0:
        raise ValueError(f"n_true={n_true}; must be >= 0")
    names = tuple(str(n) for n in class_names)
    if k > palette.MAX_COMPONENTS:  # past the page's K: the colours repeat
        indices = [j % palette.MAX_COMPONENTS for j in range(k)]
    else:
        colours = palette.component_colors(k, None if n_true == 0 else mapping)
        indices = [int(i) for i in palette.nearest(colours)]
    matched = words.legend_names(indices, n_true, names) if n_true else [""] * k
    components = tuple(
        Entry(component_name(j), palette.HEX[i], matches=m)
        for j, (i, m) in enumerate(zip(indices, matched, strict=True))
    )
    classes = tuple(
        Entry(words.cluster_name(j, names), *palette.class_style(j))
        for j in range(n_true)
    )
    order = sorted(set(indices))
    legend = tuple(
        (name, palette.HEX[i])
        for i, name in zip(order, words.legend_names(order, n_true, names), strict=True)
    )
    return ColourKey(components, classes, legend)


def result_key(result, class_names=()) -> ColourKey:
    """The key of a finished run, as its page legend counts the classes.

    Parameters
    ----------
    result : emcore.records.ExperimentResult
        ``weights``, ``mapping``, ``labels_true`` and ``true_means``.
    class_names : sequence of str
        Your data's class names (none for simulated data).
    """
    if result.true_means is not None:
        n_true = len(result.true_means)
    elif result.labels_true is not None:
        n_true = max(len(class_names), int(np.max(result.labels_true)) + 1)
    else:
        n_true = 0
    return colour_key(
        len(result.weights), result.mapping, n_true=n_true, class_names=class_names
    )
