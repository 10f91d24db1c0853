"""Component health: is a fitted component a finding or an artefact?

Information criteria reward likelihood, and a Gaussian squeezed onto a few
repeated values has an enormous density there. On data measured to a coarse
resolution (Iris petals in 0.1 cm steps: 150 rows, 102 distinct points) BIC
can then prefer a K whose extra component sits on a handful of identical
rows. R's mclust leaves such fits out of its BIC table; this module gives the
facts to do the same and to say why.

A component is flagged when any of these holds (the thresholds are module
constants):

* **near-singular**: its covariance's smallest eigenvalue is below
  :data:`RCOND_MIN` times its largest (axes more than 100 : 1);
* **collapsed**: its typical spread, ``det(Σ_k)^(1/2d)``, is below
  :data:`SCALE_MIN` of the data's, ``det(cov(X))^(1/2d)``;
* **on duplicated points**: the points it is most responsible for take at
  most ``d`` distinct values (too few to span the space), or repeat on
  average more than :data:`MULTIPLICITY_MAX` times each.

Examples
--------
>>> import numpy as np
>>> from emcore import GaussianMixture
>>> rng = np.random.default_rng(0)
>>> X = np.vstack([rng.normal(size=(200, 2)), np.repeat([[4.0, 4.0]], 30, axis=0)])
>>> gm = GaussianMixture(2, random_state=0).fit(X)
>>> [h.degenerate for h in component_health(gm, X)]
[False, True]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .geometry import to_full_covariances

__all__ = [
    "MULTIPLICITY_MAX",
    "RCOND_MIN",
    "SCALE_MIN",
    "ComponentHealth",
    "component_health",
    "degeneracy_note",
]

#: Smallest accepted ratio of a covariance's smallest to largest eigenvalue.
RCOND_MIN = 1e-4
#: Smallest accepted spread of a component relative to the whole data's.
SCALE_MIN = 1e-2
#: Largest accepted mean number of copies per distinct point of a component.
MULTIPLICITY_MAX = 3.0


@dataclass(frozen=True)
class ComponentHealth:
    """What one fitted component rests on.

    Attributes
    ----------
    component : int
        Index of the component in the fitted model.
    n_points : int
        Points whose most responsible component this is.
    n_distinct : int
        Distinct rows among those points.
    rcond : float
        Smallest over largest eigenvalue of the component's covariance.
    relative_scale : float
        ``(det Σ_k / det cov(X)) ** (1 / 2d)``: the component's geometric-mean
        standard deviation as a fraction of the data's.
    reasons : tuple of str
        Plain-language reasons the component is suspect; empty when healthy.
    """

    component: int
    n_points: int
    n_distinct: int
    rcond: float
    relative_scale: float
    reasons: tuple

    @property
    def degenerate(self) -> bool:
        """True when any reason applies."""
        return bool(self.reasons)


def _log_det_and_rcond(covariances):
    # eigvalsh on tiny (d, d) blocks: no ±inf can arise from a finite fit
    eig = np.maximum(np.linalg.eigvalsh(covariances), np.finfo(float).tiny)
    # floored at the smallest normal number: identical points give a zero
    # covariance, which must read as collapsed, not divide by zero
    return np.sum(np.log(eig), axis=-1), eig[..., 0] / eig[..., -1]


def component_health(gm, X):
    """Judge every component of a fitted mixture on the data it was fitted to.

    Parameters
    ----------
    gm : GaussianMixture
        A fitted model (emcore's, or any object with scikit-learn's fitted
        attributes ``means_``, ``covariances_``, ``covariance_type`` and a
        ``predict`` method).
    X : array-like of shape (n_samples, n_features)
        The data.

    Returns
    -------
    list of ComponentHealth
        One entry per component, in the model's order.
    """
    X = np.asarray(X, dtype=np.float64)
    k, d = np.shape(gm.means_)
    full = to_full_covariances(gm.covariances_, gm.covariance_type, k, d)
    log_det, rcond = _log_det_and_rcond(full)
    data_cov = np.atleast_2d(np.cov(X, rowvar=False, bias=True))
    data_log_det = _log_det_and_rcond(data_cov[None])[0][0]
    scale = np.exp((log_det - data_log_det) / (2 * d))
    labels = np.asarray(gm.predict(X))
    out = []
    for j in range(k):
        pts = X[labels == j]
        n_pts = len(pts)
        n_distinct = len(np.unique(pts, axis=0)) if n_pts else 0
        reasons = []
        if rcond[j] < RCOND_MIN:
            ratio = 1.0 / np.sqrt(rcond[j])
            reasons.append(f"near-singular covariance (axes {ratio:.0f} : 1)")
        if scale[j] < SCALE_MIN:
            reasons.append(f"collapsed (spread {scale[j]:.1g} of the data's)")
        if n_pts > d and (n_distinct <= d or n_pts > MULTIPLICITY_MAX * n_distinct):
            reasons.append(
                f"sits on duplicated points ({n_pts} points at {n_distinct} "
                "distinct positions)"
            )
        out.append(
            ComponentHealth(
                component=j,
                n_points=n_pts,
                n_distinct=n_distinct,
                rcond=float(rcond[j]),
                relative_scale=float(scale[j]),
                reasons=tuple(reasons),
            )
        )
    return out


def degeneracy_note(health):
    """One sentence naming the suspect components, or ``""`` when none is.

    Parameters
    ----------
    health : list of ComponentHealth

    Returns
    -------
    str

    Examples
    --------
    >>> degeneracy_note([ComponentHealth(2, 29, 8, 3.5e-5, 0.02, ("x",))])
    'component 3: x'
    """
    bad = [h for h in health if h.degenerate]
    return "; ".join(
        f"component {h.component + 1}: {', '.join(h.reasons)}" for h in bad
    )
