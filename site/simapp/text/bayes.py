"""The Bayesian fit (``model=bayes``) in words: its result card and why the
AIC/BIC sweep stays EM's.

Examples
--------
>>> active_text(2, 6)
'2 of 6'
"""

from __future__ import annotations

__all__ = ["ACTIVE_NOTE", "SWEEP_NOTE", "TRACE_NOTE", "active_text"]

#: Under the card: what counts as in use.
ACTIVE_NOTE = (
    "Components whose expected weight is above 1 %; the prior on the weights "
    "emptied the others."
)
#: Under the result cards and the AIC/BIC chart in Bayes mode.
SWEEP_NOTE = (
    "Bayesian fit: the AIC/BIC chart and the log-likelihood, AIC, BIC and "
    "parameter cards stay those of EM fits (maximum likelihood) at each K, "
    "since a variational fit has no single log L to penalise; the Bayesian "
    "fit chooses K by how many components it keeps."
)

#: Under the log-likelihood chart in Bayes mode: what its curve is instead.
TRACE_NOTE = (
    "Bayesian fit: the curve is the ELBO per point, the bound variational "
    "Bayes climbs, not the log-likelihood."
)


def active_text(n_active: int, k: int) -> str:
    """The card's text: ``n_active`` of the ``k`` fitted components in use."""
    return f"{n_active} of {k}"
