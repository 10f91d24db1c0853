"""Simulated data: Gaussian clusters with a controllable overlap.

* :mod:`.overlap`: :func:`simulate`, ``K`` Gaussian clusters in the plane
  or on a line whose overlap one number sets, and the :class:`TrueMixture`
  that drew them.
* :mod:`.gallery`: :func:`make_gallery`, five data sets on which a mixture or
  its usual start goes wrong (ring, moons, cigars, unequal, outliers), each
  a :class:`GalleryData` with its true labels.

May import emcore's core modules (``_validation``, ``densities``), never
``experiment``, ``selection`` or the estimators.
"""

from .gallery import GALLERY, GalleryData, make_gallery, n_planted_outliers
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
    "GALLERY",
    "GalleryData",
    "MAX_COMPONENTS",
    "S_OVERLAPPING",
    "S_SEPARATED",
    "TOTAL_SD",
    "TrueMixture",
    "make_gallery",
    "n_planted_outliers",
    "separation",
    "simulate",
]
