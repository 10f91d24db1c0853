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
    "ic_progress",
    "ic_summary",
    "legend_label",
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


def ic_summary(best_bic: int, best_aic: int, *, true_k: int | None = None) -> str:
    """The recommended K in words.

    Parameters
    ----------
    best_bic, best_aic : int
        K with the lowest BIC / AIC.
    true_k : int, optional
        K the data were drawn with, for comparison.
    """
    if best_bic == best_aic:
        text = f"BIC and AIC both recommend K = {best_bic}"
    else:
        text = f"BIC recommends K = {best_bic}, AIC K = {best_aic}"
    if true_k is not None:
        text += f" (the data were drawn with K = {true_k})"
    return text + "."


def pick_warning(picks) -> tuple[str, dict]:
    """A warning when the AIC/BIC/ICL pick rests on suspect components.

    Parameters
    ----------
    picks : emcore.records.Picks
        A finished run's picks (:func:`emcore.experiment.run`'s
        ``result.picks``): each criterion's K, its K over healthy fits and
        the note of its fit.

    Returns
    -------
    text : str
        ``""`` when every pick is a healthy fit; else which picks are
        suspect, why (the components named), and the picks over healthy fits.
    healthy : dict
        ``{criterion: K or None}`` over healthy fits (for ``data-*``).

    Examples
    --------
    >>> from emcore.records import CriterionPick, Picks
    >>> fine = CriterionPick(k=3, k_healthy=3, note="")
    >>> pick_warning(Picks(aic=fine, bic=fine, icl=fine))[0]
    ''
    """
    names = CRITERION_NAMES
    healthy = {c: picks.of(c).k_healthy for c in names}
    suspect = {c: picks.of(c).note for c in names if picks.of(c).note}
    if not suspect:
        return "", healthy
    by_k: dict = {}
    for c in suspect:
        by_k.setdefault(int(picks.of(c).k), []).append(names[c])
    parts = []
    for k, crits in by_k.items():
        note = next(suspect[c] for c in suspect if int(picks.of(c).k) == k)
        who = " and ".join(crits)
        parts.append(
            f"{who}'s pick K = {k} rests on suspect components ({note}): likely "
            "an artefact of repeated or rounded values, not a group in the data"
        )
    better = [f"{names[c]} K = {healthy[c]}" for c in names if healthy[c] is not None]
    text = "Caution: " + "; ".join(parts) + "."
    if better:
        text += " Over fits without such components: " + ", ".join(better) + "."
    else:
        text += " Every fit of the sweep has such a component."
    return text, healthy
