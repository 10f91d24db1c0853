"""Drawing big scatters a slice per animation frame, so the page stays responsive.

Stamping 200,000 points (:mod:`simapp.charts.raster`) and blending their colours
(:func:`simapp.charts.palette.blend`) takes 0.2-0.5 s in Pyodide: one frame that
long is a visible freeze. :func:`scatter_steps` does the same work as a
generator of small pieces into an off-screen buffer, and :class:`DrawQueue`
runs the pieces of every pending picture for a time budget per call; the page
calls :meth:`DrawQueue.run` once per frame and puts a picture on its canvas
when its job is finished. Pictures of at most :data:`AT_ONCE_POINTS` points
are drawn in one go, as before. Everything here is plain Python (the clock
is injected) and tested in CPython: the finished buffer equals
:func:`simapp.charts.raster.render_points` of the blended colours, byte for byte.

Examples
--------
>>> import numpy as np
>>> X = np.array([[2.5, 2.5], [6.5, 3.5]])
>>> queue = DrawQueue()
>>> shown = []
>>> queue.submit("chart", scatter_steps(X, 9, 9, 1.0, rgb=[90, 90, 90]),
...              shown.append)
>>> queue.idle
False
>>> for finish, image in queue.run(budget_s=1.0):
...     finish(image)
>>> queue.idle, shown[0].shape
(True, (9, 9, 4))
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Hashable, Sequence

import numpy as np

from simapp.charts import palette
from simapp.charts.raster import PointRaster
from simapp.run.budget import TimeBudget

__all__ = [
    "AT_ONCE_POINTS",
    "BLEND_ROWS",
    "DRAW_BUDGET_S",
    "STAMP_WRITES",
    "DrawQueue",
    "scatter_steps",
]

#: Stamping per animation frame (seconds): with the frame's other work and the
#: browser's paint, a frame stays well under the 200 ms of a noticeable freeze.
DRAW_BUDGET_S = 0.03

#: Pictures with this many points or fewer are drawn in one go (the 5,000
#: simulated points take a few ms; only own data of many rows are sliced).
AT_ONCE_POINTS = 20_000

#: Rows blended per piece, and pixel writes per stamping piece: small enough
#: that one piece stays a few ms in Pyodide under load.
BLEND_ROWS = 20_000
STAMP_WRITES = 100_000


def scatter_steps(
    X_px: np.ndarray,
    width: int,
    height: int,
    radius_px: float,
    *,
    rgb=None,
    resp: np.ndarray | None = None,
    colours: np.ndarray | Sequence[Sequence[float]] | None = None,
    alpha: float | np.ndarray = 1.0,
    out: np.ndarray | None = None,
    blend_rows: int = BLEND_ROWS,
    stamp_writes: int = STAMP_WRITES,
) -> Generator[float, None, np.ndarray]:
    """Blend the points' colours and stamp them, a piece per ``next()``.

    Parameters
    ----------
    X_px : ndarray, shape (n, 2)
        Disc centres in device pixels (:func:`simapp.charts.raster.render_points`).
    width, height : int
        Canvas size in device pixels.
    radius_px : float
        Disc radius in device pixels.
    rgb : array_like, shape (n, 3) or (3,), uint8, optional
        The points' colours; or give ``resp`` (and ``colours``) to blend them.
    resp : ndarray, shape (n, k), optional
        Responsibilities: the colours are :func:`simapp.charts.palette.blend`
        ``(resp, colours)``, computed ``blend_rows`` rows per piece.
    colours : array_like, shape (k, 3), optional
        Component colours in [0, 1] for ``resp``.
    alpha, out
        As :func:`simapp.charts.raster.render_points`.
    blend_rows, stamp_writes : int
        Piece sizes (rows blended; pixel writes stamped).

    Yields
    ------
    float
        Share of the work done, in [0, 1].

    Returns
    -------
    ndarray, shape (height, width, 4), dtype uint8
        The picture, equal to ``render_points(X_px, rgb, width, height,
        radius_px, alpha, out=out)``.
    """
    if (rgb is None) == (resp is None):
        raise ValueError("give exactly one of rgb and resp")
    n = int(np.shape(X_px)[0])
    blend_share = 0.0
    if resp is not None:
        resp = np.asarray(resp)
        if resp.ndim != 2 or resp.shape[0] != n:
            raise ValueError(f"resp must have shape ({n}, k), got {resp.shape}")
        rgb = np.empty((n, 3), dtype=np.uint8)
        step = max(int(blend_rows), 1)
        blend_share = 0.2  # about its share of the work in Pyodide
        for start in range(0, n, step):
            rows = slice(start, start + step)
            rgb[rows] = palette.blend(resp[rows], colours)
            yield blend_share * min(start + step, n) / max(n, 1)
    job = PointRaster(X_px, rgb, width, height, radius_px, alpha, out=out)
    for done in job.steps(stamp_writes):
        yield blend_share + (1 - blend_share) * done
    return job.out


class DrawQueue:
    """Pending pictures, one per key (a canvas); run a time budget at a time.

    A picture submitted for a key replaces the one still pending there (a
    newer frame of the animation makes the older one pointless). Jobs run in
    the order they were first submitted.

    Attributes
    ----------
    longest : float
        Longest single piece seen, in seconds (for benchmarks).
    """

    def __init__(self) -> None:
        self._jobs: dict[Hashable, tuple[Generator, Callable]] = {}
        self.longest = 0.0

    @property
    def idle(self) -> bool:
        """True when no picture is pending."""
        return not self._jobs

    def pending(self, key: Hashable) -> bool:
        return key in self._jobs

    def submit(self, key: Hashable, steps: Generator, finish: Callable) -> None:
        """Queue ``steps`` (a generator returning the picture) for ``key``;
        ``finish`` is handed back with the picture once it is done."""
        self.cancel(key)
        self._jobs[key] = (steps, finish)

    def cancel(self, key: Hashable) -> None:
        """Drop the picture pending for ``key``, if any."""
        old = self._jobs.pop(key, None)
        if old is not None:
            old[0].close()

    def run(
        self,
        budget_s: float = DRAW_BUDGET_S,
        clock: Callable[[], float] = time.perf_counter,
        keys: Sequence[Hashable] | None = None,
    ) -> list[tuple[Callable, object]]:
        """Advance the pending jobs until ``budget_s`` went by (at least one
        piece); returns ``(finish, picture)`` of the jobs that completed, in
        order. ``keys`` limits the run to those jobs (None: all).

        Exceptions of a job propagate (it is dropped first).
        """
        budget = TimeBudget(budget_s, clock)
        finished = []
        for key in list(self._jobs):
            if keys is not None and key not in keys:
                continue
            steps, finish = self._jobs[key]
            while True:
                try:
                    next(steps)
                except StopIteration as stop:
                    del self._jobs[key]
                    finished.append((finish, stop.value))
                    break
                except BaseException:
                    del self._jobs[key]
                    raise
                finally:
                    more = budget.lap()
                    self.longest = max(self.longest, budget.longest)
                if not more:
                    return finished
            if not more:
                break
        return finished
