"""Row blocks: long computations on large data split into short steps.

On 200,000 rows one E-step, M-step, k-means iteration or scoring pass takes
0.1-0.5 s in Pyodide, and the browser page can paint only between the steps
of a generator. The step generators of emcore therefore take a sequence of
row ``slices`` and yield ``None`` between blocks; a caller that must stay
responsive asks for :data:`ROW_BLOCK` rows a step, every other caller for one
block (no extra pauses, exactly today's work).

Only per-row work is split: every row is computed exactly as in the whole
array. Reductions over rows (means, variances, argsorts, cumulative sums) stay
whole-array operations wherever their result picks something (a k-means++
centre); only the M-step's moment sums are added block by block, in block
order, so a blocked fit can differ from the whole-array one in the last bits
of those sums and nowhere else, and CPython and Pyodide, which run the same
blocks in the same order, agree.
"""

from __future__ import annotations

__all__ = ["ROW_BLOCK", "beat_steps", "row_slices", "run_steps"]

#: Rows per step when a caller asks for progress: about 10-25 ms of EM work in
#: Pyodide (K = 8, 2-D data) on a quiet machine, measured with
#: ``benchmarks/bench_big_data.py``; smaller data sets are one block.
ROW_BLOCK = 32_768


def row_slices(n_samples, block=None):
    """Consecutive row blocks of at most ``block`` rows covering
    ``n_samples`` rows, as few as possible and of (nearly) equal size.

    Parameters
    ----------
    n_samples : int
    block : int or None
        Most rows per block; None (or ``block >= n_samples``) gives one block.

    Returns
    -------
    tuple of slice
        ``(slice(None),)`` for one block, so that indexing with it is the
        whole array itself.

    Examples
    --------
    >>> row_slices(5000, 32768)
    (slice(None, None, None),)
    >>> row_slices(70000, 32768)
    (slice(0, 23333, None), slice(23333, 46666, None), slice(46666, 70000, None))
    """
    if block is None or n_samples <= block:
        return (slice(None),)
    count = -(-n_samples // block)
    edges = [n_samples * i // count for i in range(count + 1)]
    return tuple(slice(a, b) for a, b in zip(edges[:-1], edges[1:], strict=True))


def run_steps(steps):
    """Exhaust a step generator; return what it returns."""
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value


def beat_steps(steps, beat):
    """Run a step generator, yielding ``beat()`` at each of its pauses (a
    caller's heartbeat event in place of the bare None); return what it
    returns."""
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value
        yield beat()
