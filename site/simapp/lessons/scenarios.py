"""Lesson scenarios: settings that show one idea, and what to say about it.

Each :class:`Scenario` is a set of link parameters (the same text a URL
carries, so it is parsed and checked like one) and three short texts: what to
watch while EM runs, what to change next, and what the run shows. The page
offers them in its Lessons menu and opens one with ``scenario=ID`` in the URL.
``tests/site/lessons/test_scenarios.py`` runs every scenario in CPython and checks
that it really shows what its text says.

Examples
--------
>>> scenario("kmeans-vs-mixture").query["k"]
'3'
>>> [s.id for s in SCENARIOS][:2]
['local-optimum', 'collapse']
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SCENARIOS", "Scenario", "scenario", "scenario_ids"]


@dataclass(frozen=True)
class Scenario:
    """One lesson.

    Attributes
    ----------
    id : str
        What ``scenario=`` in a link names.
    title : str
        The menu entry.
    query : dict of str to str
        Link parameters the scenario sets; every other setting keeps its
        default.
    watch : str
        What to look at while EM runs.
    change : str
        What to change next, and what should happen.
    shows : str
        The idea, in a sentence or two.
    """

    id: str
    title: str
    query: dict
    watch: str
    change: str
    shows: str


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        id="local-optimum",
        title="Same data, different answers: local optima",
        query={
            "k": "4",
            "n": "600",
            "overlap": "35",
            "cov": "full",
            "iters": "200",
            "tol": "1e-5",
            "seed": "23",
            "n_init": "10",
        },
        watch=(
            "Ten k-means++ starts run one after another on the same points. "
            "Watch where each one settles: the strip of final log-likelihoods "
            "under the chart gets a dot per start."
        ),
        change=(
            "Click the dots of the lower starts to see their solutions, then "
            "set the starts to 1 and try a few seeds: a single start often "
            "stops at a worse answer and nothing on the page would tell you."
        ),
        shows=(
            "EM only climbs uphill from where it starts, so it can stop on a "
            "lower peak of the likelihood. Several starts, keeping the best, "
            "is the standard remedy, and disagreeing starts are the evidence "
            "that the remedy was needed."
        ),
    ),
    Scenario(
        id="collapse",
        title="A component collapses onto repeated points",
        query={"data": "iris", "k": "6", "cov": "full", "seed": "2"},
        watch=(
            "Iris petals are measured in 0.1 cm steps, so many flowers share "
            "the same point. With six components, one of them closes in on a "
            "handful of those repeated points and its ellipse shrinks to a "
            "sliver."
        ),
        change=(
            "Lower K to 3, or switch the covariance type to spherical or tied, "
            "and run again: the sliver disappears. Then look at the model "
            "comparison: the fits that need such slivers are flagged."
        ),
        shows=(
            "The likelihood of a Gaussian on a few identical points grows "
            "without limit as it narrows, so EM can chase a degenerate "
            "solution. A small ridge on the covariance (scikit-learn's "
            "reg_covar) keeps the numbers finite, but the component is still "
            "an artefact of the data's rounding, not a group of flowers."
        ),
    ),
    Scenario(
        id="choose-k",
        title="Choosing K: AIC, BIC and ICL disagree",
        query={
            "k": "3",
            "n": "400",
            "overlap": "40",
            "cov": "full",
            "seed": "1",
            "compare": "1",
        },
        watch=(
            "The data come from three overlapping clusters. The information "
            "criteria chart scores every K from 1 to 8; the lowest point of "
            "each curve is that criterion's choice."
        ),
        change=(
            "Switch the comparison between AIC, BIC and ICL. Then lower the "
            "overlap to 10 % and run again: BIC and ICL now agree on three, "
            "while AIC still asks for more components."
        ),
        shows=(
            "AIC charges 2 per parameter and tends to add components, BIC "
            "charges ln N per parameter and finds the true K more often, and "
            "ICL also charges for ambiguous assignments, so it prefers fewer, "
            "well-separated clusters. They answer different questions."
        ),
    ),
    Scenario(
        id="overlap-ari",
        title="Overlap against ARI: when clusters cannot be told apart",
        query={"k": "3", "n": "500", "overlap": "60", "cov": "full", "seed": "2"},
        watch=(
            "At 60 % overlap the three true clusters share most of their "
            "ground. The fit may still look reasonable, yet the Adjusted Rand "
            "Index against the true labels is low."
        ),
        change=(
            "Drag the overlap down to 30 % and to 0 %, running each time, and "
            "note the ARI: close to 1 at 0 %, far lower at 60 %."
        ),
        shows=(
            "ARI measures agreement with the truth, not the quality of the "
            "fit. When clusters overlap, even the true mixture would "
            "misassign many points, so a low ARI there is no failure of EM."
        ),
    ),
    Scenario(
        id="kmeans-vs-mixture",
        title="K-means against a mixture on elongated clusters",
        query={"k": "3", "n": "600", "overlap": "30", "cov": "full", "seed": "1"},
        watch=(
            "The clusters are long, tilted ellipses. Compare the k-means panel "
            "with the mixture: k-means cuts the plane into straight-edged "
            "cells around its centres."
        ),
        change=(
            "Set the covariance type to spherical: the mixture then makes the "
            "same round-cluster assumption as k-means, and its ARI drops "
            "towards k-means'."
        ),
        shows=(
            "K-means is a mixture with equal, round components and hard "
            "assignments. When clusters are elongated or unequal, full "
            "covariances and soft responsibilities recover them far better."
        ),
    ),
    Scenario(
        id="covariance-types",
        title="Covariance types: how much shape a component may have",
        query={
            "k": "3",
            "n": "500",
            "overlap": "20",
            "cov": "spherical",
            "seed": "46",
            "compare": "1",
        },
        watch=(
            "Spherical components are circles. These clusters are long and "
            "tilted, so the circles fit poorly and the ARI stays low; the "
            "comparison chart shows BIC for all four types side by side."
        ),
        change=(
            "Try diag (axis-aligned ellipses: still poor on tilted clusters), "
            "tied (one shared shape) and full. Note how many parameters each "
            "uses, its ARI, and which BIC is lowest."
        ),
        shows=(
            "Each covariance type trades flexibility for parameters: "
            "spherical K, diag Kd, tied d(d+1)/2 and full Kd(d+1)/2. BIC "
            "weighs the better fit against the extra parameters."
        ),
    ),
    Scenario(
        id="kmeans-trap",
        title="The k-means trap: a start that cuts the clusters across",
        query={"data": "cigars", "k": "2", "n": "500", "cov": "full", "seed": "1"},
        watch=(
            "Two long, thin, parallel clusters. Each k-means++ start cuts them "
            "across into a left and a right half, and EM, which only climbs "
            "uphill, keeps that cut: the ARI stays near 0."
        ),
        change=(
            "Raise the starts to 10: every one cuts the same way. Then set "
            "Start to whitened: EM recovers the two clusters (ARI above 0.9) "
            "and its log-likelihood is higher."
        ),
        shows=(
            "A start built on k-means sees distance, not shape: on strongly "
            "stretched clusters it puts EM beside a local optimum it cannot "
            "leave. Whitening the data first removes the stretch; the higher "
            "likelihood says which answer is better."
        ),
    ),
    Scenario(
        id="wrong-k",
        title="Fitting the wrong number of components",
        query={
            "k": "2",
            "k_true": "4",
            "n": "500",
            "overlap": "10",
            "cov": "full",
            "seed": "3",
        },
        watch=(
            "The data come from four clusters but EM fits two: each component "
            "has to cover two clusters, and its ellipse stretches across them."
        ),
        change=(
            "Raise K to 4 and run again, then to 6: with too many components "
            "EM splits true clusters, and BIC's curve shows where to stop."
        ),
        shows=(
            "EM fits whatever K it is given. Too few components merge "
            "clusters, too many split them; the information criteria, not "
            "the log-likelihood (which always rises with K), say which K the "
            "data support."
        ),
    ),
    Scenario(
        id="em-never-goes-down",
        title="Why EM never goes down: the lower bound",
        query={"k": "3", "n": "300", "overlap": "30", "seed": "4", "n_init": "1"},
        watch=(
            "When the run finishes, press Home on the timeline and Step through "
            "it while watching the bound panel beside the log-likelihood chart: "
            "after each E-step the dashed bound touches log L (the gap is 0); "
            "after each M-step both have risen and a shaded gap opens."
        ),
        change=(
            "Set the E-step temperature under the timeline to 0.3: q is no "
            "longer the posterior, so the bound stays below log L after every "
            "E-step, and on these data log L even goes down at some steps."
        ),
        shows=(
            "log L = 𝓛(q, θ) + KL(q ‖ p(z | x, θ)), and the KL divergence is "
            "never negative. The E-step makes it 0, so the bound touches log L; "
            "the M-step raises the bound, and log L, the bound plus a gap that "
            "reopens, rises at least as much. So EM never goes down."
        ),
    ),
)

_BY_ID = {s.id: s for s in SCENARIOS}


def scenario_ids() -> list[str]:
    """The scenario ids, in menu order."""
    return [s.id for s in SCENARIOS]


def scenario(scenario_id: str) -> Scenario:
    """The scenario named ``scenario_id``.

    Raises
    ------
    ValueError
        If there is no such scenario; the message lists the ids.
    """
    try:
        return _BY_ID[scenario_id]
    except (KeyError, TypeError):
        raise ValueError(
            f"scenario={scenario_id!r} is not a lesson; choose one of "
            + ", ".join(_BY_ID)
        ) from None
