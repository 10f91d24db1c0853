"""Simulated data: Gaussian clusters with a controllable overlap.

* :mod:`.overlap`: :func:`simulate`, ``K`` Gaussian clusters in the plane
  or on a line whose overlap one number sets, and the :class:`TrueMixture`
  that drew them.

May import emcore's core modules (``_validation``, ``densities``), never
``experiment``, ``selection`` or the estimators.
"""

from .overlap import (
    MAX_COMPONENTS,
    S_OVERLAPPING,
    S_SEPARATED,
    TOTAL_SD,
    TrueMixture,
    separation,
    simulate,
)

__all__ = [
    "MAX_COMPONENTS",
    "S_OVERLAPPING",
    "S_SEPARATED",
    "TOTAL_SD",
    "TrueMixture",
    "separation",
    "simulate",
]
