"""One colour-segmentation fit, advanced an EM iteration at a time.

:class:`SegmentFit` runs ``emcore.GaussianMixture.fit_steps`` on the RGB
values of a picture's pixels (:func:`simapp.segmentation.pixels.features`) so the
page can paint the segmented picture after every iteration and give the
browser a frame in between. When the steps run out the estimator is fitted
exactly as ``GaussianMixture(...).fit(X)`` would fit it, and the final labels
are its ``predict(X)``.

Examples
--------
>>> from simapp.segmentation.pixels import downsample, sample_scene
>>> fit = SegmentFit(downsample(sample_scene(48, 64), 600), 3, seed=0)
>>> while fit.step():
...     pass
>>> fit.done, fit.painted().shape
(True, (16, 21, 4))
"""

from __future__ import annotations

import warnings

import numpy as np

import emcore
from simapp.segmentation.pixels import features, paint

__all__ = ["MAX_K", "MIN_K", "SegmentFit", "fit_settings"]

MIN_K, MAX_K = 2, 10


def fit_settings(k: int, seed: int = 0) -> dict:
    """The estimator's keywords for ``k`` colours (what CPython repeats).

    Raises
    ------
    ValueError
        If ``k`` is not a whole number from :data:`MIN_K` to :data:`MAX_K`.
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise ValueError(f"k={k!r} must be a whole number of colours")
    if not MIN_K <= int(k) <= MAX_K:
        raise ValueError(f"k={k} colours; allowed: {MIN_K} to {MAX_K}")
    return {
        "n_components": int(k),
        "covariance_type": "full",
        "n_init": 1,
        # k-means++ seeds without Lloyd's iterations: on 100,000 pixels the
        # full k-means start would hold the page for seconds
        "init_params": "k-means++",
        "max_iter": 100,
        "tol": 1e-3,
        "random_state": int(seed),
    }


class SegmentFit:
    """EM on a picture's colours, one iteration per :meth:`step`.

    Parameters
    ----------
    image : ndarray of shape (height, width, 3 or 4), uint8
    k : int
        Number of colours (components).
    seed : int, default 0

    Attributes
    ----------
    X : ndarray of shape (height * width, 3)
    iteration : int
        EM iterations done.
    loglik : float
        Mean log-likelihood per pixel of the latest E-step.
    labels : ndarray of shape (height * width,) or None
        Each pixel's component (the latest E-step's, then ``predict``'s).
    means : ndarray of shape (k, 3) or None
    done : bool
    converged : bool
    fresh : bool
        Whether the last :meth:`step` finished an iteration, the start or
        the fit (something new to paint), not just a piece of one.
    """

    def __init__(self, image, k: int, seed: int = 0) -> None:
        image = np.asarray(image)
        self.shape = image.shape[:2]
        self.X = features(image)
        self.model = emcore.GaussianMixture(**fit_settings(k, seed))
        # progress: the start (k-means++ seeding) and, on more than
        # emcore.kernels.rowblocks.ROW_BLOCK pixels, each iteration come in pieces,
        # so the page gets a frame between them
        self._steps = self.model.fit_steps(
            self.X, return_resp=True, include_initial=True, progress=True
        )
        self.iteration = 0
        self.loglik = float("-inf")
        self.labels = None
        self.means = None
        self.done = False
        self.converged = False
        self.fresh = False

    def step(self) -> bool:
        """One piece of the fit per call; False once the fit is over (then
        fitted). ``fresh`` says whether the piece finished an iteration (or
        the start), so there is something new to paint; ``labels`` stays
        None until the first E-step."""
        if self.done:
            return False
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a capped fit is reported, not warned
            item = next(self._steps, None)
        if item is None:
            self.done = True
            self.fresh = True
            self.converged = bool(self.model.converged_)
            self.labels = self.model.predict(self.X)
            self.means = self.model.means_
            return False
        _, snap = item
        self.fresh = snap is not None
        if snap is None:  # a pause inside the start or an iteration
            return True
        self.iteration = int(snap.iteration)
        self.means = snap.means
        if snap.iteration:
            self.loglik = float(snap.log_likelihood)
            self.labels = np.argmax(snap.resp, axis=1)
        return True

    def painted(self) -> np.ndarray:
        """The segmented picture (height, width, 4), RGBA."""
        if self.labels is None:
            raise ValueError("no EM iteration has run yet")
        return paint(self.labels, self.means, self.shape)
