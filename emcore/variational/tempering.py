"""The E-step at a temperature, and annealing schedules.

At temperature ``T`` the E-step's responsibilities are

    r_ik = (pi_k N(x_i | k)) ** (1 / T) / sum_j (pi_j N(x_i | j)) ** (1 / T),

the maximiser of the free energy ``sum_ik r_ik log(pi_k N_ik) + T H(r)``
(deterministic-annealing EM, Ueda & Nakano 1998). ``T = 1`` is EM itself
(and emcore runs its usual code for it, not this module); ``T > 1`` flattens
the responsibilities, so components drift together and merge; ``T -> 0``
sharpens them into hard assignments: ``T = 0`` gives one-hot rows on each
sample's most probable component (the first one on ties), which is
classification EM, and k-means when the variances are equal, shared and
fixed and the weights equal. The M-step is EM's, given the responsibilities.

Whatever ``T``, the log-likelihood an iteration reports (and its
convergence test uses) is the mixture's own, at ``T = 1``.

Annealing runs EM at a falling sequence of temperatures, each stage starting
from the last one's parameters: hot stages see one broad cluster and cool
ones split it where the data ask for a split, which often avoids the local
optima a single cold start falls into.
"""

from __future__ import annotations

import numbers
from dataclasses import replace

import numpy as np

from .._validation import check_float
from ..kernels.moments import _normalise_kn

__all__ = [
    "MAX_STAGES",
    "annealed_steps",
    "annealing_temperatures",
    "check_temperature",
    "tempered_e_step_steps",
    "tempered_iteration_steps",
]

#: Most temperatures an annealing schedule may have.
MAX_STAGES = 1000


def check_temperature(temperature):
    """``temperature`` as a float >= 0, or ``ValueError`` naming it."""
    return check_float("temperature", temperature, 0.0)


def annealing_temperatures(annealing, temperature=1.0):
    """The temperatures of an annealing schedule, hottest first.

    Parameters
    ----------
    annealing : None or (float, float)
        ``(T0, factor)``: start at ``T0`` and multiply the temperature by
        ``factor`` (in (0, 1)) after each stage, down to ``temperature``,
        which is always the last stage. None: no annealing.
    temperature : float, default=1.0
        The final temperature; with annealing it must be > 0 and below
        ``T0``.

    Returns
    -------
    tuple of float
        ``(T0, T0 * factor, T0 * factor**2, ..., temperature)``: every
        ``T0 * factor**j`` above ``temperature``, then ``temperature``;
        ``(temperature,)`` without annealing.

    Examples
    --------
    >>> annealing_temperatures((4.0, 0.5))
    (4.0, 2.0, 1.0)
    >>> annealing_temperatures((10.0, 0.3), temperature=0.5)
    (10.0, 3.0, 0.8999999999999999, 0.5)
    """
    temperature = check_temperature(temperature)
    if annealing is None:
        return (temperature,)
    if (
        isinstance(annealing, (str, bytes))
        or not hasattr(annealing, "__len__")
        or len(annealing) != 2
        or not all(
            isinstance(v, numbers.Real) and not isinstance(v, bool) for v in annealing
        )
    ):
        raise ValueError(
            "annealing must be None or a pair (T0, factor) of numbers: the first "
            f"temperature and the factor between stages; got {annealing!r}"
        )
    if temperature <= 0:
        raise ValueError(
            "annealing needs a final temperature > 0 (a schedule of products "
            f"never reaches 0); got temperature = {temperature}"
        )
    start = check_float("annealing[0] (T0)", annealing[0], temperature, low_open=True)
    factor = check_float("annealing[1] (factor)", annealing[1], 0.0, 1.0, low_open=True)
    if factor == 1.0:
        raise ValueError("annealing[1] (factor) must be below 1 to cool; got 1.0")
    stages = []
    current = start
    while current > temperature:
        stages.append(current)
        if len(stages) >= MAX_STAGES:
            raise ValueError(
                f"annealing {tuple(annealing)!r} needs more than {MAX_STAGES} "
                f"stages to cool to temperature = {temperature}; use a smaller "
                "T0 or factor"
            )
        current *= factor
    stages.append(temperature)
    return tuple(float(t) for t in stages)


def tempered_e_step_steps(
    work, weights, means, precisions_cholesky, temperature, slices, *, log=False
):
    """The E-step at ``temperature`` on a
    :class:`~emcore.kernels.moments.MomentWorkspace`.

    A generator that yields None between the row blocks of ``slices`` (never
    for one block) and returns ``(mean_log_likelihood, resp)``: the mixture's
    per-sample mean log-likelihood (at ``T = 1``) and the tempered
    responsibilities (their logs with ``log``), shape (n_samples,
    n_components), the transposed view of a C-contiguous (K, n) array. Every
    column is computed as in the whole array: the normalisation path is
    chosen from the whole array's extremes.
    """
    weighted, low, high = yield from work.log_prob_steps(
        weights, means, precisions_cholesky, slices
    )
    n_samples = work.n_samples
    log_norm = np.empty(n_samples)
    out = np.empty_like(weighted)
    # shifted by each sample's largest term, the tempered values lie in
    # [(low - high) / T, 0]: no overflow however small T is
    with np.errstate(over="ignore", invalid="ignore"):
        floor = (low - high) / temperature if temperature > 0 else None
    for i, sl in enumerate(slices):
        if i:
            yield
        block = weighted[:, sl]
        if temperature == 0:
            hard = np.zeros_like(block)
            hard[np.argmax(block, axis=0), np.arange(block.shape[1])] = 1.0
            out[:, sl] = np.where(hard > 0, 0.0, -np.inf) if log else hard
        else:
            with np.errstate(over="ignore", invalid="ignore"):
                tempered = (block - block.max(axis=0)) / temperature
            out[:, sl], _ = _normalise_kn(tempered, floor, 0.0, log)
        _, log_norm[sl] = _normalise_kn(block, low, high, False)
    return float(log_norm.sum()) / n_samples, out.T


def tempered_iteration_steps(
    work, weights, means, precisions_cholesky, reg_covar, temperature, slices
):
    """One EM iteration whose E-step runs at ``temperature``: a generator
    that yields None between row blocks (never for one block) and returns
    ``(mean_log_likelihood, resp, estimates)`` like
    :meth:`~emcore.kernels.moments.MomentWorkspace.em_iteration_steps`."""
    mean_ll, resp = yield from tempered_e_step_steps(
        work, weights, means, precisions_cholesky, temperature, slices
    )
    if len(slices) > 1:
        yield
    estimates = yield from work.estimate_parameter_steps(resp, reg_covar, slices)
    return mean_ll, resp, estimates


def annealed_steps(
    iterate, work, weights, means, precisions_cholesky, temperatures, **kwargs
):
    """EM at each temperature of a schedule, hottest first.

    ``iterate`` is :func:`emcore.em._iterate` (passed in: ``emcore.em``
    imports this module), run once per temperature of ``temperatures``
    (from :func:`annealing_temperatures`) with ``kwargs``; each stage
    continues from the last one's parameters and converges on its own (its
    first change is measured from ``-inf``, the first stage's from
    ``kwargs["lower_bound"]``, as a warm start's). Snapshots
    number the iterations across stages and only the final stage's may be
    ``converged``; None (a pause between row blocks) passes through. One
    temperature is ``iterate`` itself.
    """
    if len(temperatures) == 1:
        yield from iterate(
            work,
            weights,
            means,
            precisions_cholesky,
            temperature=temperatures[0],
            **kwargs,
        )
        return
    done = 0
    for stage, temperature in enumerate(temperatures):
        final = stage == len(temperatures) - 1
        snap = None
        for snap in iterate(
            work,
            weights,
            means,
            precisions_cholesky,
            temperature=temperature,
            **kwargs,
        ):
            if snap is not None:
                snap = replace(
                    snap,
                    iteration=done + snap.iteration,
                    converged=snap.converged and final,
                )
            yield snap
        # the last item of a stage is always its last snapshot
        done = snap.iteration
        weights, means = snap.weights, snap.means
        precisions_cholesky = snap.precisions_cholesky
        # each stage converges on its own, never on its first iteration: a
        # small step in temperature would otherwise end it at once
        kwargs["lower_bound"] = -np.inf
