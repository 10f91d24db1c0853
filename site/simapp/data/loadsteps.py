"""Reading large own data a slice at a time, so the page stays responsive.

:func:`load_steps` is the whole work of turning pasted or uploaded text into
a :class:`simapp.data.tables.Table` whose columns are already read as numbers,
written as a generator of progress fractions; :class:`Steps` runs such a
generator for a time budget per call. The page calls :meth:`Steps.run` once
per animation frame and shows :func:`progress_message` meanwhile, so 200,000
rows never hold the browser for more than a slice. Everything here is plain
Python (the clock is injected) and is tested in CPython.

Examples
--------
>>> steps = Steps(load_steps("x,y\\n1,2\\n3,4\\n5,6\\n"))
>>> steps.run(budget_s=10.0)
True
>>> steps.value.columns, steps.value.numeric_columns()
(('x', 'y'), ['x', 'y'])
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Generator

from simapp.data import tables as dataio
from simapp.run.budget import TimeBudget

__all__ = ["LOAD_BUDGET_S", "Steps", "load_steps", "progress_message"]

#: Work per animation frame while reading data (seconds): a frame of work
#: and the browser's paint, well under the 200 ms of a noticeable freeze.
LOAD_BUDGET_S = 0.04

#: Share of the progress bar taken by parsing (the rest: reading numbers).
_PARSE_SHARE = 0.7


def load_steps(
    data,
    *,
    max_bytes: int = dataio.MAX_BYTES,
    max_rows: int = dataio.MAX_ROWS,
    chunk_rows: int = 5_000,
    n_components: int | None = None,
) -> Generator[float, None, dataio.Table]:
    """Parse ``data`` and read its columns' numbers, in slices.

    Yields fractions from 0 to 1; returns the :class:`~simapp.data.tables.Table`
    (equal to ``dataio.parse_table(data)``, with every column's numbers
    already read, and the suggested columns selected for ``n_components``
    in a step of their own, so the page's reducer finds them ready). Too
    large input raises before any parsing: the first ``next()`` checks the
    size.

    Raises
    ------
    simapp.data.tables.DataError
        As :func:`simapp.data.tables.parse_table`.
    """
    parse = dataio.iter_parse_table(
        data, max_bytes=max_bytes, max_rows=max_rows, chunk_rows=chunk_rows
    )
    table = None
    while table is None:
        try:
            fraction = next(parse)
        except StopIteration as stop:
            table = stop.value
            break
        yield _PARSE_SHARE * fraction
    for fraction in table.iter_column_values(chunk_rows * 2):
        yield _PARSE_SHARE + (1 - _PARSE_SHARE) * 0.9 * fraction
    x, y, label = table.suggest()
    yield _PARSE_SHARE + (1 - _PARSE_SHARE) * 0.95
    if x and y:
        # an error here is the reducer's to report when it selects again
        with contextlib.suppress(dataio.DataError):
            for _ in table.iter_select(x, y, label, n_components=n_components):
                yield _PARSE_SHARE + (1 - _PARSE_SHARE) * 0.97
    yield 1.0
    return table


class Steps:
    """Runs a generator of progress fractions for a time budget per call.

    Attributes
    ----------
    progress : float
        The latest fraction yielded (0 before the first).
    value : object
        The generator's return value, once :attr:`done`.
    done : bool
    longest : float
        Longest single step seen, in seconds (for benchmarks).
    """

    def __init__(self, steps: Generator) -> None:
        self._steps = steps
        self.progress = 0.0
        self.value = None
        self.done = False
        self.longest = 0.0

    def run(
        self,
        budget_s: float = LOAD_BUDGET_S,
        clock: Callable[[], float] = time.perf_counter,
    ) -> bool:
        """Advance until ``budget_s`` went by, or would be overrun by a step as
        long as the last one (at least one step); True when done.

        Exceptions of the generator propagate (the data's errors).
        """
        # lookahead: a frame then holds the budget or one long step, not both
        budget = TimeBudget(budget_s, clock, lookahead=True)
        while not self.done:
            try:
                self.progress = float(next(self._steps))
            except StopIteration as stop:
                self.value = stop.value
                self.done = True
            more = budget.lap()
            self.longest = max(self.longest, budget.longest)
            if not more:
                break
        return self.done

    def close(self) -> None:
        """Abandon the work (a newer load replaced it)."""
        self._steps.close()


def progress_message(fraction: float, file_name: str = "") -> str:
    """The status line while data are read.

    Examples
    --------
    >>> progress_message(0.42, "big.csv")
    'Reading big.csv… 42 %'
    >>> progress_message(0.0)
    'Reading your data… 0 %'
    """
    what = file_name or "your data"
    percent = int(100 * min(max(fraction, 0.0), 1.0))
    return f"Reading {what}… {percent} %"
