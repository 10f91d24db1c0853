"""The gallery of hard data (``data=ring`` ...) and the starts (``init=``) in
words: each data set's menu title and its one line on what goes wrong, what
the data panel says of one, its class names, each start's description, and
the sentence on planted outliers caught.

The data sets are :mod:`emcore.synthetic.gallery`'s, named by the same keys.

Examples
--------
>>> menu_label("cigars")
'Cigars: two long parallel clusters'
>>> class_names(2, outliers=True)
('cluster 1', 'cluster 2', 'outliers')
>>> caught_sentence(19, 25, 25)
'19 of the 25 planted outliers flagged: precision 0.76, recall 0.76.'
"""

from __future__ import annotations

__all__ = [
    "INIT_DESCRIPTIONS",
    "TITLES",
    "WHAT_GOES_WRONG",
    "anomaly_count",
    "caught_sentence",
    "class_names",
    "data_info",
    "menu_label",
]

#: Short display names, in the gallery's menu order.
TITLES: dict[str, str] = {
    "ring": "Ring: one cluster around another",
    "moons": "Moons: two interlocking half-moons",
    "cigars": "Cigars: two long parallel clusters",
    "unequal": "Unequal: very different sizes and spreads",
    "outliers": "Outliers: a mixture plus scattered points",
}

#: One line each: what goes wrong with a Gaussian mixture, or its start.
WHAT_GOES_WRONG: dict[str, str] = {
    "ring": (
        "No ellipse is ring-shaped: one component takes the middle and most of "
        "the ring, the other an arc of it."
    ),
    "moons": (
        "An ellipse cannot bend: the components cut across the moons instead "
        "of following them."
    ),
    "cigars": (
        "The k-means++ start cuts the cigars across and EM cannot undo it; "
        "init=whitened finds them."
    ),
    "unequal": (
        "k-means cuts the wide cluster and lumps the small ones together; EM "
        "fits unequal weights and spreads."
    ),
    "outliers": (
        "Scattered points stretch the covariances and can claim a component; "
        "anomaly=5 flags the 5 % of lowest density."
    ),
}

#: The starts (``init=``), as a menu shows them.
INIT_DESCRIPTIONS: dict[str, str] = {
    "k-means++": "k-means++: K far-apart points (the default)",
    "kmeans": "k-means: the clusters of k-means",
    "random": "random: random responsibilities",
    "random_from_data": "random from data: K random points",
    "whitened": "whitened: k-means after scaling every direction alike",
}


def menu_label(name: str) -> str:
    """The data menu's entry for gallery data set ``name``."""
    return TITLES[name]


def data_info(name: str, n_samples: int, seed: int) -> str:
    """What the data panel says of gallery data set ``name``: what goes
    wrong, and that the seed and N draw it (so a link redraws it)."""
    return (
        f"{WHAT_GOES_WRONG[name]} Drawn for this page: {n_samples} points "
        f"from seed {seed}; a new seed or N draws new points."
    )


def class_names(n_clusters: int, *, outliers: bool = False) -> tuple[str, ...]:
    """The true classes of gallery data: its clusters, then the planted
    outliers (one more class) when there are any."""
    names = tuple(f"cluster {j + 1}" for j in range(n_clusters))
    return (*names, "outliers") if outliers else names


def anomaly_count(n_flagged: int, percent: int) -> str:
    """The anomalies card: how many points the lowest ``percent`` % are."""
    points = "point" if n_flagged == 1 else "points"
    return f"{n_flagged} {points} (the lowest {percent} % by fitted density)"


def caught_sentence(n_caught: int, n_planted: int, n_flagged: int) -> str:
    """How many planted outliers the lowest-density flags caught, with the
    precision (caught / flagged) and recall (caught / planted)."""
    if n_planted == 0:
        return "No outliers were planted in these data."
    precision = n_caught / n_flagged if n_flagged else 0.0
    recall = n_caught / n_planted
    return (
        f"{n_caught} of the {n_planted} planted outliers flagged: precision "
        f"{precision:.2f}, recall {recall:.2f}."
    )
