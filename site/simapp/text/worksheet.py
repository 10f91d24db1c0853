"""The printable worksheet in words: headings, the settings line and the
questions with their answers, generic ones and each lesson's own.

A question and its answer are templates: ``{name}`` fields stand for the
run's numbers (:func:`simapp.exports.worksheet.key_values` computes them,
under the names listed in :data:`VALUE_NAMES`), so the words can be
translated without touching the arithmetic. An item is asked only when
the run has every number it names (no ARI without true labels, no
agreement of starts with a single start).

Examples
--------
>>> sorted(fields(GENERIC[0]))
['converged', 'iterations', 'iters']
>>> settings_line({"k": 3, "cov": "full", "n": 500, "overlap": 20.0, "seed": 1})
'K = 3 components, full covariances · 500 simulated points, 20 % overlap · seed 1'
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from simapp.text.quoting import names_list, strip_bidi

__all__ = [
    "ANSWER_LINES",
    "GENERIC",
    "KEY_HEADING",
    "KEY_NOTE",
    "LESSON_ITEMS",
    "LINK_LABEL",
    "MAX_QUESTIONS",
    "MIN_QUESTIONS",
    "NAME_LINE",
    "NO_LESSON_TITLE",
    "OPENED",
    "PRINT_HINT",
    "QUESTIONS_HEADING",
    "VALUE_NAMES",
    "WHY_LINES",
    "Item",
    "better_of",
    "bic_next_verdict",
    "change_word",
    "fields",
    "figure_caption",
    "page_title",
    "settings_line",
    "yes_no",
]

#: How many questions a worksheet asks.
MIN_QUESTIONS, MAX_QUESTIONS = 5, 8
#: Ruled lines under a question, and under one that asks why.
ANSWER_LINES, WHY_LINES = 3, 4

#: The title without a lesson open.
NO_LESSON_TITLE = "Your settings"
#: Shown on screen above the sheet, never printed.
PRINT_HINT = (
    "Print this page with your browser's Print command (Ctrl+P, or ⌘P on a "
    "Mac); the answer key starts on a page of its own."
)
NAME_LINE = ("Name", "Date")
QUESTIONS_HEADING = "Questions"
KEY_HEADING = "Answer key"
KEY_NOTE = "Every number below comes from the same run as the charts."
LINK_LABEL = "Open this run again:"
#: The share panel's status once the worksheet's tab opened.
OPENED = "The worksheet opened in a new tab: print it from there."

_CAPTIONS = {
    "cluster": "The data and the fitted mixture (ellipses: one standard deviation).",
    "loglik": "Log-likelihood per point after each EM iteration, one line per "
    "start; the bold line is the best start.",
    "ic": "AIC, BIC and ICL against the number of components K; lower is better.",
}


@dataclass(frozen=True)
class Item:
    """One question and its answer.

    Attributes
    ----------
    topic : str
        What it asks about; a lesson's item replaces the generic item of the
        same topic.
    question, answer : str
        Templates; ``{name}`` fields are the run's numbers.
    lines : int
        Ruled lines left for the answer.
    """

    topic: str
    question: str
    answer: str
    lines: int = ANSWER_LINES


def fields(item: Item) -> set[str]:
    """The numbers ``item`` needs (the names of its template fields)."""
    parse = string.Formatter().parse
    return {
        name
        for text in (item.question, item.answer)
        for _, name, _, _ in parse(text)
        if name
    }


#: Asked of every run (when it has their numbers), in this order.
GENERIC: tuple[Item, ...] = (
    Item(
        "iterations",
        "Read off the log-likelihood chart: how many EM iterations did the best "
        "start (the bold line) take? Did it stop because it converged or because "
        "it reached the cap of {iters} iterations?",
        "{iterations} iterations; converged: {converged}.",
    ),
    Item(
        "loglik",
        "On the log-likelihood chart, what is the best start's final "
        "log-likelihood per point? From which iteration on is the line within "
        "0.01 of that final value?",
        "{loglik_point} per point (the total log L is {loglik}); within 0.01 of "
        "it from iteration {settled} on.",
    ),
    Item(
        "bic",
        "On the information-criteria chart, which K does BIC pick (the lowest "
        "point of its curve)? Is it the K = {k} that EM fitted?",
        "BIC picks K = {bic_k}; the same K as the fit: {bic_same}. The fit's BIC "
        "is {bic}.",
    ),
    Item(
        "k_next",
        "What would happen with K = {k_next} components instead of {k}? Say what "
        "you expect of the log-likelihood and of BIC, then check on the "
        "information-criteria chart.",
        "The log-likelihood {next_change}: {loglik_next} against {loglik} (more "
        "components can only fit at least as well, unless a start is unlucky). "
        "BIC goes from {bic} to {bic_next}: {bic_next_verdict}.",
        WHY_LINES,
    ),
    Item(
        "ari",
        "How well do the fitted clusters match the true ones? Give the adjusted "
        "Rand index (ARI) and compare it with k-means' ARI on the same data.",
        "ARI {ari} for the mixture against {kmeans_ari} for k-means: "
        "{better} recovers the true clusters better.",
    ),
    Item(
        "params",
        "How many free parameters does a {k}-component mixture with {cov} "
        "covariances have in {d} dimensions? Count the weights, the means and "
        "the covariances.",
        "{params}: the weights add {weight_params} (they sum to 1), the means "
        "{mean_params} and the covariances {cov_params}.",
    ),
    Item(
        "aic",
        "Which K does AIC pick? Why can it differ from BIC's pick?",
        "AIC picks K = {aic_k}, BIC K = {bic_k}. AIC charges 2 per parameter and "
        "BIC ln N = {log_n}, so AIC tends to add components.",
        WHY_LINES,
    ),
    Item(
        "starts",
        "The run tried {n_starts} starts. Did they all reach the same answer? "
        "Look at the strip of final log-likelihoods under the chart.",
        "{best_hits} of {n_starts} starts reached the best optimum; {n_optima} "
        "distinct optima; the local-optima check says {verdict}.",
    ),
)

#: Each lesson's own items (by scenario id), asked before the generic ones.
LESSON_ITEMS: dict[str, tuple[Item, ...]] = {
    "local-optimum": (
        Item(
            "starts",
            "{n_starts} starts ran on the same points. How many different optima "
            "did they reach, and how many starts reached the best one?",
            "{n_optima} distinct optima; {best_hits} of {n_starts} starts reached "
            "the best (local-optima check: {verdict}).",
        ),
        Item(
            "spread",
            "What is the gap between the best and the worst start's final "
            "log-likelihood per point? What could happen with a single start?",
            "{start_gap} per point. A single start could stop on any of these "
            "optima, and nothing on the page would tell you: several starts, "
            "keeping the best, is the remedy.",
            WHY_LINES,
        ),
    ),
    "collapse": (
        Item(
            "collapsed",
            "How many of the {k} ellipses have shrunk to a sliver? Why can the "
            "likelihood keep growing as a component narrows?",
            "{n_collapsed} (the smallest covariance determinant is {min_det}). "
            "The density of a Gaussian on a few identical points grows without "
            "limit as it narrows; only the small ridge reg_covar keeps it finite.",
            WHY_LINES,
        ),
        Item(
            "bic",
            "Which K does BIC pick here? Should you believe it?",
            "BIC's lowest value is at K = {bic_k_raw}; over fits without suspect "
            "components, the page's pick, it is at K = {bic_k_healthy}. The "
            "slivers come from the data's rounding, not from groups of flowers, "
            "so not the lowest value.",
            WHY_LINES,
        ),
    ),
    "choose-k": (
        Item(
            "bic",
            "Which K does each criterion pick on the information-criteria chart: "
            "AIC, BIC and ICL?",
            "AIC K = {aic_k}, BIC K = {bic_k}, ICL K = {icl_k}; the data come "
            "from {k_true} clusters.",
        ),
        Item(
            "aic",
            "Why does AIC ask for more components than BIC, and ICL for fewer? "
            "What would happen at 10 % overlap?",
            "AIC charges 2 per parameter, BIC ln N = {log_n}, and ICL also "
            "charges for ambiguous assignments. At 10 % overlap BIC and ICL "
            "agree on three while AIC still asks for more.",
            WHY_LINES,
        ),
    ),
    "overlap-ari": (
        Item(
            "ari",
            "What is the ARI of the fit against the true labels at {overlap} % "
            "overlap? And k-means' ARI?",
            "ARI {ari}; k-means {kmeans_ari}.",
        ),
        Item(
            "why",
            "What would happen to the ARI at 0 % overlap? Is a low ARI here a "
            "failure of EM?",
            "Close to 1 at 0 %. No: where clusters overlap even the true mixture "
            "misassigns many points; ARI measures agreement with the truth, not "
            "the quality of the fit.",
            WHY_LINES,
        ),
    ),
    "kmeans-vs-mixture": (
        Item(
            "ari",
            "Compare the mixture's ARI with k-means' ARI on the same data. Which "
            "recovers the elongated clusters better?",
            "Mixture {ari}, k-means {kmeans_ari}: {better}.",
        ),
        Item(
            "why",
            "What would happen with spherical covariances? Why?",
            "The mixture would make k-means' assumption of equal, round clusters, "
            "and its ARI would drop towards k-means'.",
            WHY_LINES,
        ),
    ),
    "covariance-types": (
        Item(
            "best-model",
            "In the comparison chart, which covariance type and K have the lowest BIC?",
            "{best_cov} covariances with K = {best_k}.",
        ),
        Item(
            "ari",
            "What is the ARI of this {cov} fit? What do you expect with full "
            "covariances, and why?",
            "ARI {ari}. Circles fit long, tilted clusters poorly; full "
            "covariances follow their shape, so the ARI rises.",
            WHY_LINES,
        ),
    ),
    "kmeans-trap": (
        Item(
            "ari",
            "What is the ARI of the fit? What has happened to the two long clusters?",
            "ARI {ari}: the start cut both clusters across into a left and a "
            "right half, and EM, which only climbs uphill, kept that cut.",
            WHY_LINES,
        ),
        Item(
            "why",
            "What would happen with 10 starts? And with the whitened start?",
            "Every k-means++ start cuts the same way, so 10 starts do not help. "
            "The whitened start recovers the two clusters (ARI above 0.9) with a "
            "higher log-likelihood.",
            WHY_LINES,
        ),
    ),
    "wrong-k": (
        Item(
            "bic",
            "The data come from {k_true} clusters and EM fitted {k} components. "
            "Which K does BIC pick?",
            "K = {bic_k}.",
        ),
        Item(
            "why",
            "What does each of the {k} ellipses cover? What would happen with K = 6?",
            "Each stretches across more than one cluster. With 6 components EM "
            "splits true clusters, and BIC's curve rises again after its "
            "lowest point.",
            WHY_LINES,
        ),
    ),
    "em-never-goes-down": (
        Item(
            "loglik",
            "Read off the log-likelihood chart: does the line ever go down from "
            "one iteration to the next?",
            "{goes_down}: its largest fall between two iterations is "
            "{max_drop} per point.",
        ),
        Item(
            "why",
            "Why can EM never lower the log-likelihood? Use the words E-step, "
            "M-step and lower bound.",
            "log L is the bound plus a KL divergence, never negative. The E-step "
            "makes the KL divergence 0, so the bound touches log L; the M-step "
            "raises the bound, and log L rises at least as much.",
            WHY_LINES,
        ),
    ),
    "kmeans-cold-limit": (
        Item(
            "temperature",
            "This fit ran at E-step temperature {temperature}. What does a "
            "temperature of 0 do to each point's responsibilities?",
            "At temperature {temperature} every point belongs wholly to its "
            "likeliest component: each responsibility is 0 or 1, a hard "
            "assignment, as in k-means.",
        ),
        Item(
            "kmeans",
            "Compare the fit's partition with the k-means panel's. What would "
            "you expect at temperature 1 (plain EM)?",
            "Here EM's ARI is {ari} and k-means' is {kmeans_ari}: the cold fit "
            "cuts the points as k-means does. At temperature 1 the "
            "responsibilities are soft again and points between clusters are "
            "shared, so the partitions can differ.",
            WHY_LINES,
        ),
    ),
    "prior-chooses-k": (
        Item(
            "active",
            "The fit started with K = {k} components. How many are still in "
            "use (weight above 1 %) at the end?",
            "{n_active} of the {k} components are in use; the prior emptied "
            "the others.",
        ),
        Item(
            "why",
            "Why does the Bayesian fit switch components off, when EM with the "
            "same K keeps all of them?",
            "The Dirichlet-process prior on the weights makes an empty "
            "component cost the variational bound nothing it could win back, "
            "so components the data do not need lose their weight; EM has no "
            "prior, and a spare component always raises log L a little.",
            WHY_LINES,
        ),
    ),
}

#: Every number an item may name.
VALUE_NAMES = frozenset().union(
    *(fields(item) for item in GENERIC),
    *(fields(item) for items in LESSON_ITEMS.values() for item in items),
)


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def change_word(rises: bool) -> str:
    """How the log-likelihood changes with one more component."""
    return "rises" if rises else "falls (that start was unlucky)"


def bic_next_verdict(lower: bool) -> str:
    """Whether BIC prefers one more component."""
    return (
        "BIC prefers the extra component"
        if lower
        else "the better fit does not pay for the extra parameters, so BIC "
        "prefers fewer"
    )


def better_of(mixture: float, kmeans: float) -> str:
    """Which method has the higher ARI, as a sentence part."""
    if mixture > kmeans:
        return "the mixture"
    return "k-means" if kmeans > mixture else "neither (they tie)"


def page_title(lesson_title: str) -> str:
    """The worksheet's title: the lesson's, or :data:`NO_LESSON_TITLE`."""
    return f"Worksheet: {lesson_title or NO_LESSON_TITLE}"


def figure_caption(what: str) -> str:
    """The caption under chart ``what`` (``cluster``, ``loglik`` or ``ic``)."""
    try:
        return _CAPTIONS[what]
    except KeyError:
        raise ValueError(f"chart {what!r}; allowed: {', '.join(_CAPTIONS)}") from None


def settings_line(settings: dict, data_title: str = "", class_names=()) -> str:
    """The run's settings in one line (plain text; names lose their
    bidirectional controls).

    Parameters
    ----------
    settings : dict
        ``ExperimentResult.settings``; ``n`` and ``overlap`` only for
        simulated data.
    data_title : str
        What the data are (own data, a bundled dataset); empty for
        simulated data.
    class_names : sequence of str
        The data's class names, when known.
    """
    parts = [f"K = {int(settings['k'])} components, {settings['cov']} covariances"]
    if data_title:
        data = strip_bidi(data_title)
        if class_names:
            data += f" (classes: {names_list([strip_bidi(n) for n in class_names])})"
        parts.append(data)
    elif settings.get("overlap") is not None:
        parts.append(
            f"{int(settings['n'])} simulated points, "
            f"{float(settings['overlap']):g} % overlap"
        )
    starts = settings.get("n_init")
    if starts is not None and int(starts) > 1:
        parts.append(f"{int(starts)} starts ({settings.get('init', 'k-means++')})")
    parts.append(f"seed {int(settings['seed'])}")
    return " · ".join(parts)
