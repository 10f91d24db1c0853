"""The information-criteria panel in words: the AIC/BIC chart, the covariance
comparison, their summaries and the warning about suspect picks.

Sign conventions: emcore (like scikit-learn) defines AIC = −2ℓ + 2p,
BIC = −2ℓ + p ln N and ICL = BIC + 2·(entropy of the responsibilities):
lower is better. mclust plots the negative (2ℓ − p ln N): higher is better;
:func:`axis_label` says which direction the chart shows.

Examples
--------
>>> ic_summary(3, 3, true_k=3)
'BIC and AIC both recommend K = 3 (the data were drawn with K = 3).'
>>> axis_label("bic", higher_is_better=True)
'−BIC (higher is better)'
>>> legend_label("AIC", None)
'AIC: pending'
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "COMPARISON_EMPTY",
    "CRITERION_NAMES",
    "IC_EMPTY",
    "IC_TITLE",
    "K_TITLE",
    "axis_label",
    "best_text",
    "comparison_caption",
    "ic_caption",
    "ic_progress",
    "ic_summary",
    "legend_label",
    "line_words",
    "pick_warning",
]

#: Display name of each criterion, lower-case key as in emcore's results.
CRITERION_NAMES: dict[str, str] = {"bic": "BIC", "aic": "AIC", "icl": "ICL"}
#: Empty states of the AIC/BIC chart and of the comparison chart.
IC_EMPTY = "AIC/BIC per K appear after a run"
COMPARISON_EMPTY = "The comparison fills in as fits finish"
#: Axis titles of the criterion charts.
K_TITLE = "number of components K"
IC_TITLE = "AIC or BIC (lower is better)"

_MINUS = "\u2212"
_COV_WORDS = {
    "full": "full covariances (each ellipse its own size, shape and angle)",
    "tied": "one shared (tied) covariance",
    "diag": "diagonal covariances (axis-aligned ellipses)",
    "spherical": "spherical covariances (circles)",
}


def _name(criterion: str) -> str:
    if criterion not in CRITERION_NAMES:
        raise ValueError(
            f"criterion must be one of {', '.join(CRITERION_NAMES)}; got {criterion!r}"
        )
    return CRITERION_NAMES[criterion]


def legend_label(name: str, best_k: int | None) -> str:
    """An AIC/BIC legend entry: where the criterion is lowest, or pending."""
    return f"{name}: min at K={best_k}" if best_k is not None else f"{name}: pending"


def axis_label(criterion: str, *, higher_is_better: bool = False) -> str:
    """The comparison chart's y-axis title, saying which direction is better."""
    name = _name(criterion)
    if higher_is_better:
        return f"{_MINUS}{name} (higher is better)"
    return f"{name} (lower is better)"


def best_text(
    best: tuple[str, int] | None,
    criterion: str = "bic",
    *,
    n_types: int = 4,
    complete: bool = True,
) -> str:
    """The best model of the comparison in words, for the summary under it."""
    name = _name(criterion)
    if best is None:
        return f"{name} per covariance type and K appears as the fits finish."
    cov, k = best
    what = _COV_WORDS.get(cov, f"{cov} covariances")
    if complete:
        lead = f"Best by {name} over {n_types} covariance types and K"
    else:
        lead = f"Best by {name} so far"
    # K once: the summary repeated itself ("... (full, K = 3)")
    return f"{lead}: K = {k} with {what}."


def ic_progress(done_ks: Sequence[int], ks: Sequence[int]) -> str:
    """Summary text while AIC/BIC cells arrive (in any order: the page fits
    them while the animation leaves time, the animated K last).

    Examples
    --------
    >>> ic_progress([], range(1, 9))
    'AIC and BIC for K = 1–8 appear here as they are computed.'
    >>> ic_progress([1, 2, 4], range(1, 9))
    'AIC/BIC computed for 3 of 8 values of K (K = 1, 2, 4)…'
    """
    ks = list(ks)
    if not done_ks:
        return f"AIC and BIC for K = {ks[0]}–{ks[-1]} appear here as they are computed."
    got = sorted(done_ks)
    return (
        f"AIC/BIC computed for {len(got)} of {len(ks)} values of K "
        f"(K = {', '.join(map(str, got))})…"
    )


def ic_summary(
    best_bic: int,
    best_aic: int,
    *,
    true_k: int | None = None,
    criterion: str = "bic",
    best_icl: int | None = None,
) -> str:
    """The recommended K in words, the chosen criterion first.

    Parameters
    ----------
    best_bic, best_aic : int
        K with the lowest BIC / AIC.
    true_k : int, optional
        K the data were drawn with, for comparison.
    criterion : {'bic', 'aic', 'icl'}, default 'bic'
        The criterion the chart shows (the comparison's choice); it leads
        the sentence.
    best_icl : int, optional
        K with the lowest ICL; needed when ``criterion`` is ``'icl'``.

    Examples
    --------
    >>> ic_summary(3, 4, criterion="icl", best_icl=2)
    'ICL recommends K = 2; BIC K = 3, AIC K = 4.'
    """
    picks = {"bic": best_bic, "aic": best_aic, "icl": best_icl}
    lead = _name(criterion)
    if picks[criterion] is None:
        raise ValueError(f"best_{criterion} is needed when criterion={criterion!r}")
    order = [criterion] + [c for c in ("bic", "aic") if c != criterion]
    names = [CRITERION_NAMES[c] for c in order]
    ks = [int(picks[c]) for c in order]  # type: ignore[arg-type]
    if len(set(ks)) == 1:
        both = "both" if len(names) == 2 else "all"
        text = f"{_and(names)} {both} recommend K = {ks[0]}"
    elif len(names) == 2:
        text = f"{names[0]} recommends K = {ks[0]}, {names[1]} K = {ks[1]}"
    else:
        others = ", ".join(
            f"{n} K = {k}" for n, k in zip(names[1:], ks[1:], strict=True)
        )
        text = f"{lead} recommends K = {ks[0]}; {others}"
    if true_k is not None:
        text += f" (the data were drawn with K = {true_k})"
    return text + "."


def _and(names: Sequence[str]) -> str:
    return (
        " and ".join(names)
        if len(names) < 3
        else (", ".join(names[:-1]) + " and " + names[-1])
    )


#: A marker shape, in the plural.
_MARKERS = {
    "square": "squares",
    "circle": "circles",
    "triangle": "triangles",
    "diamond": "diamonds",
}


def line_words(colour: str, dash: Sequence[float], marker: str) -> str:
    """A line's look in words: colour, stroke and markers.

    ``dash`` is the canvas dash pattern: none is solid, a short dash (2 px
    or less) dotted, two pairs dash-dot, anything else dashed.

    >>> line_words("orange", (6.0, 4.0), "circle")
    'orange, dashed, circles'
    """
    if marker not in _MARKERS:
        raise ValueError(f"marker must be one of {', '.join(_MARKERS)}; got {marker!r}")
    if not dash:
        stroke = "solid"
    elif len(dash) >= 4:
        stroke = "dash-dot"
    elif dash[0] <= 2:
        stroke = "dotted"
    else:
        stroke = "dashed"
    return f"{colour}, {stroke}, {_MARKERS[marker]}"


def ic_caption(styles: dict[str, tuple[str, Sequence[float], str]]) -> str:
    """The AIC/BIC chart's caption, naming each line by its look.

    Parameters
    ----------
    styles : dict
        ``criterion name -> (colour name, dash pattern, marker)``, as the
        chart draws them.
    """
    lines = [f"{name} ({line_words(*style)})" for name, style in styles.items()]
    return (
        f"{_and(lines)} of the same covariance type against K, filled in K by "
        "K; the lowest value is best and is ringed, leaving out fits that rest "
        "on a degenerate component. Each K starts from its own k-means++ "
        "start and from splits and merges of its neighbours' fits, except the "
        "fit you watch, which keeps all its starts."
    )


def comparison_caption(
    styles: dict[str, tuple[str, Sequence[float], str]],
    criterion: str,
    *,
    higher_is_better: bool = False,
) -> str:
    """The comparison chart's caption: one line per covariance type.

    Parameters
    ----------
    styles : dict
        ``covariance type -> (colour name, dash pattern, marker)``, as the
        chart draws them.
    criterion : {'bic', 'aic', 'icl'}
    higher_is_better : bool, default False
        The chart shows the negated criterion (mclust's sign).
    """
    name = _name(criterion)
    lines = [f"{cov} ({line_words(*style)})" for cov, style in styles.items()]
    if higher_is_better:
        what, best = f"{_MINUS}{name}", "the highest value is best"
    else:
        what, best = name, "the lowest value is best"
    return (
        f"{what} against K, one line per covariance type: {_and(lines)}; "
        f"{best} and is ringed (fits that rest on a degenerate component left "
        "out), and a dashed vertical line marks the K you fitted. Each cell "
        "starts from its own k-means++ start and from splits and merges of its "
        "neighbours' fits, except the fit you watch, which keeps all its "
        "starts."
    )


def pick_warning(picks) -> tuple[str, dict]:
    """What the AIC/BIC/ICL picks left out: fits resting on suspect components.

    Parameters
    ----------
    picks : emcore.records.Picks
        A finished run's picks (:func:`emcore.experiment.run`'s
        ``result.picks``): each criterion's pick, its K over healthy fits,
        the K of its lowest value over every fit and that fit's note.

    Returns
    -------
    text : str
        ``""`` when each criterion's lowest value is a healthy fit; else which
        K were left out of which pick, why (the components named), and the
        picks over the other fits, or a caution when every fit is suspect.
    healthy : dict
        ``{criterion: K or None}`` over healthy fits (for ``data-*``).

    Examples
    --------
    >>> from emcore.records import CriterionPick, Picks
    >>> fine = CriterionPick(k=3, k_healthy=3, note="", k_raw=3)
    >>> pick_warning(Picks(aic=fine, bic=fine, icl=fine))[0]
    ''
    >>> odd = CriterionPick(k=2, k_healthy=2, note="component 5: collapsed", k_raw=6)
    >>> print(pick_warning(Picks(aic=fine, bic=odd, icl=fine))[0].split(":")[0])
    K = 6 left out of BIC's pick
    """
    names = CRITERION_NAMES
    healthy = {c: picks.of(c).k_healthy for c in names}
    suspect = {c: picks.of(c).note for c in names if picks.of(c).note}
    if not suspect:
        return "", healthy
    if all(healthy[c] is None for c in suspect):
        k = int(picks.of(next(iter(suspect))).k_raw)
        return (
            f"Caution: every fit of the sweep rests on a suspect component "
            f"(at K = {k}: {suspect[next(iter(suspect))]}): likely an artefact "
            "of repeated or rounded values, not groups in the data."
        ), healthy
    by_k: dict = {}
    for c in suspect:
        by_k.setdefault(int(picks.of(c).k_raw), []).append(c)
    parts = []
    for k, crits in by_k.items():
        who = " and ".join(names[c] for c in crits)
        parts.append(f"K = {k} left out of {who}'s pick: {suspect[crits[0]]}")
    picked = [f"{names[c]} K = {healthy[c]}" for c in suspect if healthy[c] is not None]
    return (
        # the notes separate components by "; ", so the K by full stops
        ". ".join(parts) + ". A fit resting on such a component is a spurious "
        "optimum (too few points, or repeated or rounded values), not a group "
        "in the data. Over the other fits: " + ", ".join(picked) + "."
    ), healthy
