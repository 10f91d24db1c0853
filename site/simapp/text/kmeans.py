"""The k-means panel in words: the two ARIs and the sentence comparing them.

Examples
--------
>>> ari_text(0.91234), ari_text(None)
('0.912', 'n/a')
>>> ari_sentence(None, 0.5)
'No true labels, so no ARI to compare.'
"""

from __future__ import annotations

__all__ = ["EMPTY_CHART", "EMPTY_SUMMARY", "NO_VALUE", "ari_sentence", "ari_text"]

#: The chart and the summary before a run has finished.
EMPTY_CHART = "K-means appears after the fit"
EMPTY_SUMMARY = "K-means appears after the fit."
#: An ARI not computed yet.
NO_VALUE = "–"


def ari_text(ari: float | None) -> str:
    """One ARI as shown (``n/a`` without true labels)."""
    return "n/a" if ari is None else f"{ari:.3f}"


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
