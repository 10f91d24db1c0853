"""The model-selection sweep computed in the watched fit's idle time
(``events.send(simulator.BACKGROUND)``): whatever the interleaving, every
cell is computed once and the result is :func:`emcore.experiment.run`'s."""

import dataclasses
import warnings

import numpy as np
import pytest

from emcore.exceptions import EmcoreConvergenceWarning
from emcore.experiment import BACKGROUND, iterate, run

COVS = ["full", "tied", "diag", "spherical"]
FIT_KINDS = ("seed", "init", "em")


def _same(a, b, path="result"):
    """Exact, recursive equality of results (arrays, floats, containers)."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), path
        for key in a:
            _same(a[key], b[key], f"{path}[{key!r}]")
    elif isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{path}[{i}]")
    elif isinstance(a, np.ndarray):
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), path
    elif dataclasses.is_dataclass(a):
        assert type(a) is type(b), path
        _same(dataclasses.asdict(a), dataclasses.asdict(b), path)
    elif isinstance(a, float) and a != a:
        assert b != b, path
    else:
        assert a == b, path


def _drive(settings, policy):
    """Consume ``iterate(**settings)``, sending BACKGROUND ``policy(event)``
    times after each fit event (fewer once the sweep says idle); returns
    the events in order."""
    events = iterate(**settings)
    out = [next(events)]
    while out[-1].kind != "done":
        wanted = policy(out[-1]) if out[-1].kind in FIT_KINDS else 0
        for _ in range(wanted):
            out.append(events.send(BACKGROUND))
            if out[-1].kind == "idle":
                break
        out.append(next(events))
    return out


def _ic_cells(events):
    return {(e.cov, e.k): e for e in events if e.kind == "ic"}


@pytest.mark.parametrize("compare", [False, True])
@pytest.mark.parametrize("cov", COVS)
def test_any_interleaving_gives_runs_result_and_each_cell_once(cov, compare):
    settings = dict(k=3, n=300, overlap=30, cov=cov, seed=5, n_init=2, compare=compare)
    plain = list(iterate(**settings))
    expected = run(**settings)
    rng = np.random.default_rng([5, COVS.index(cov), compare])
    events = _drive(settings, lambda e: int(rng.integers(0, 6)))
    done = events[-1]
    assert done.kind == "done"
    _same(done.result, expected)
    cells = [e for e in events if e.kind == "ic"]
    assert len(cells) == (32 if compare else 8)
    assert _ic_cells(events).keys() == _ic_cells(plain).keys()
    for key, event in _ic_cells(plain).items():
        _same(_ic_cells(events)[key], _background(event, events))
    # the fit itself is the same, event for event
    fit = [e.loglik_mean for e in events if e.kind == "em"]
    assert fit == [e.loglik_mean for e in plain if e.kind == "em"]
    # the request did work: some of the sweep came before the fit ended
    last_em = max(i for i, e in enumerate(events) if e.kind == "em")
    early = [e for e in events[:last_em] if e.kind in ("sweep", "ic")]
    assert early and all(e.background for e in early)
    # and none once the fit is over (the first foreground sweep event)
    over = min(
        i
        for i, e in enumerate(events)
        if e.kind in ("sweep", "ic", "finish") and not e.background
    )
    assert over > last_em
    assert not any(e.background for e in events[over:])


def _background(plain_event, events):
    """``plain_event`` with the ``background`` flag its interleaved copy
    carries."""
    match = _ic_cells(events)[plain_event.cov, plain_event.k]
    return dataclasses.replace(plain_event, background=match.background)


@pytest.mark.parametrize("cov", COVS)
def test_the_whole_sweep_fits_in_the_first_iteration_but_the_watched_cell(cov):
    settings = dict(k=4, n=400, cov=cov, seed=2, n_init=1, compare=True)
    first = {"seen": False}

    def policy(event):
        if event.kind == "em" and not first["seen"]:
            first["seen"] = True
            return 10_000  # until idle
        return 0

    events = _drive(settings, policy)
    kinds = [e.kind for e in events]
    idle = kinds.index("idle")
    assert kinds.count("idle") == 1
    assert events[idle - 1].kind == "ic"  # the last cell the fit allows
    before = _ic_cells(events[:idle])
    assert len(before) == 31 and (cov, 4) not in before
    # after the fit only the watched cell is scored, then the result
    after = [e for e in events[idle:] if e.kind in ("ic", "sweep")]
    assert {(e.cov, e.k) for e in after} == {(cov, 4)}
    assert after[-1].kind == "ic" and not after[-1].background
    _same(events[-1].result, run(**settings))


def test_a_request_before_the_fit_starts_is_answered_by_the_fit():
    """The ``data`` event is not a fit event: nothing runs in the
    background before the fit has begun (the page only asks during it)."""
    events = iterate(k=2, n=150, seed=4)
    assert next(events).kind == "data"
    assert events.send(BACKGROUND).kind == "seed"


def test_interleaving_leaves_the_warning_filters_as_they_were():
    """The watched fit keeps a ``catch_warnings`` block open across its
    yields; the sweep's steps must not close theirs out of order (that
    would leave "ignore" filters behind or drop the caller's)."""
    settings = dict(k=5, n=300, overlap=60, seed=9, n_init=2, iters=10, tol=1e-8)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        before = list(warnings.filters)
        rng = np.random.default_rng(9)
        events = _drive({**settings, "compare": True}, lambda e: int(rng.integers(3)))
        after = list(warnings.filters)
    assert after == before
    # capped fits (iters=10, tol=1e-8) warn inside emcore; the page's run
    # reports that in its notes, not as warnings
    assert events[-1].result.converged is False
    assert not [w for w in caught if issubclass(w.category, EmcoreConvergenceWarning)]
